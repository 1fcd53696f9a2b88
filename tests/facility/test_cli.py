"""The command line: output formats, stable JSON keys, exit codes, one-line errors."""

import json
import subprocess
import sys

import pytest

from facility.cli import main
from tests.conftest import MINIMAL, REPO

JSON_KEYS = {"scenario", "accelerators", "racks", "it_power_mw", "it_power_typical_mw", "halls",
             "heat_to_liquid_mw", "heat_to_air_mw"}


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_run_default_scenario_prints_a_table(capsys):
    code, out, err = run(capsys, "run")
    assert code == 0 and not err
    assert "IT power, design" in out and "h100-lc-64" in out


def test_run_json_has_the_stable_keys_and_only_json(capsys, write_toml):
    code, out, _ = run(capsys, "run", str(write_toml(MINIMAL)), "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert JSON_KEYS <= set(doc)
    assert doc["scenario"] == "test"
    assert doc["racks"] == 1563 and doc["accelerators"] == 100_032 and doc["halls"] == 1
    # 1,563 racks x the h100-lc-64 rack input from its component loads (#13 item 1), in MW
    assert doc["it_power_mw"] == pytest.approx(1563 * doc["deployments"][0]["rack_power_max_kw"] / 1e3, rel=1e-6)
    assert 1563 * 70e-3 < doc["it_power_mw"] < 1563 * 81.6e-3
    assert doc["heat_to_liquid_mw"] + doc["heat_to_air_mw"] == pytest.approx(doc["it_power_mw"])
    assert isinstance(doc["racks"], int) and isinstance(doc["it_power_mw"], float)


def test_expect_keys_are_all_in_the_json(capsys, write_toml):
    from facility.results import RESULT_KEYS
    _, out, _ = run(capsys, "run", str(write_toml(MINIMAL)), "--format", "json")
    assert set(RESULT_KEYS) <= set(json.loads(out))


@pytest.mark.parametrize("text, fragment", [
    (MINIMAL.replace('"161 kV"', '"161 m"'), "site.grid_voltage"),
    (MINIMAL.replace("100000", "-3"), "compute.deployments[0].accelerators"),
    ("name = 'x'\n[site\n", "line 2"),
])
def test_bad_input_exits_2_with_one_line(capsys, write_toml, text, fragment):
    code, out, err = run(capsys, "run", str(write_toml(text)), "--format", "json")
    assert code == 2 and out == ""
    assert fragment in err and err.count("\n") == 1 and "Traceback" not in err


def test_missing_file_exits_2(capsys):
    code, _, err = run(capsys, "run", "does-not-exist.toml")
    assert code == 2 and "file not found" in err


def test_usage_error_exits_2_with_one_line(capsys):
    code, _, err = run(capsys, "run", "--format", "xml")
    assert code == 2 and err.count("\n") == 1


def test_catalog_lists_every_entry_with_sources(capsys):
    code, out, _ = run(capsys, "catalog", "--format", "json")
    entries = {e["name"]: e for e in json.loads(out)}
    assert code == 0
    assert {"h100-sxm", "h200-sxm", "b200", "gb200", "gb300", "mi300x", "d1", "dojo-training-tile",
            "dgx-h100", "dgx-b200", "gb200-nvl72-compute-tray", "h100-air-16", "h100-lc-64", "gb200-nvl72",
            "gb300-nvl72", "dojo-cabinet", "dojo-exapod", "network", "storage", "management"} <= set(entries)
    assert entries["dgx-h100"]["power_max_kw"] == 10.2
    assert "10.2 kW" in entries["dgx-h100"]["sources"]["power_max"]
    code, out, _ = run(capsys, "catalog", "--kind", "rack")
    assert code == 0 and "gb200-nvl72" in out and "h100-sxm " not in out


def test_check_passes_on_the_bundled_scenarios(capsys):
    code, out, _ = run(capsys, "check")
    assert code == 0, out


def test_check_fails_on_a_band_that_is_missed(capsys, write_toml):
    code, out, _ = run(capsys, "check", str(write_toml(MINIMAL + "[expect]\nit_power_mw = [1, 2]\n")))
    assert code == 1 and "FAIL" in out


def test_check_fails_on_a_scenario_that_does_not_load(capsys, write_toml):
    code, out, _ = run(capsys, "check", str(write_toml(MINIMAL.replace("100000", "0"))))
    assert code == 1 and "(load)" in out


def test_console_script_runs_as_a_process():
    exe = REPO / ".venv" / "bin" / "facility"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "facility.cli"]
    res = subprocess.run([*cmd, "run", "--format", "json"], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["scenario"]


STAGE_KEYS = {"name", "voltage_v", "current_a", "power_in_kw", "loss_kw", "efficiency", "units_installed",
              "units_required", "unit_rating_kw", "loading_normal", "loading_failed"}


def test_run_json_has_the_power_chain(capsys, write_toml):
    code, out, _ = run(capsys, "run", str(write_toml(MINIMAL)), "--format", "json")
    doc = json.loads(out)
    assert code == 0
    assert {"stages", "equipment", "electrical_loss_mw", "grid_import_it_mw"} <= set(doc)
    assert all(STAGE_KEYS <= set(st) for st in doc["stages"])
    assert [st["voltage_v"] for st in doc["stages"][:3]] == [34500, 34500, 480]
    assert doc["stages"][0]["name"] == "HV/MV transformer"
    kinds = {e["kind"] for e in doc["equipment"]}
    assert kinds == {"transformer", "converter", "conductor"}
    assert doc["grid_import_it_mw"] > doc["it_power_mw"] > doc["delivered_to_chips_mw"]
    losses = sum(st["loss_kw"] for st in doc["stages"]) / 1e3
    mechanical = doc["cooling_power_mw"] + doc["house_load_mw"]
    assert doc["grid_import_mw"] == pytest.approx(doc["delivered_to_chips_mw"] + losses + mechanical, rel=1e-6)
    json.dumps(doc, allow_nan=False)  # no NaN or infinity in the document


def test_table_shows_the_voltage_ladder(capsys):
    _, out, _ = run(capsys, "run")
    assert "Power chain (ac-480v), grid 161 kV to chip" in out and "Voltage regulator" in out


def test_fit_prints_the_rack_count_and_refuses_a_bad_envelope(capsys, write_toml):
    path = str(write_toml(MINIMAL.replace("accelerators = 100000", "racks = 10")))
    code, out, _ = run(capsys, "fit", path, "--grid", "50 MW", "--format", "json")
    doc = json.loads(out)
    assert code == 0 and doc["facility_power_design_mw"] <= 50 and doc["racks"] > 10
    code, _, err = run(capsys, "fit", path, "--grid", "50 m")
    assert code == 2 and "--grid" in err and "[power]" in err


def test_cooling_json_has_loops_and_heat_rejection(capsys, write_toml):
    _, out, _ = run(capsys, "run", str(write_toml(MINIMAL)), "--format", "json")
    doc = json.loads(out)
    assert {"facility_power_design_mw", "pue_design", "cooling_power_mw", "water_design_m3_per_h"} <= set(doc)
    assert {"loops", "heat_rejection"} <= set(doc["cooling"])
    assert doc["cooling"]["heat_in_mw"] == pytest.approx(doc["cooling"]["heat_rejected_mw"], rel=1e-9)
    assert doc["pue_design"] == pytest.approx(doc["facility_power_design_mw"] / doc["it_power_mw"], rel=1e-6)


def test_scenario_library_covers_the_seed_campuses():
    names = {p.name for p in (REPO / "scenarios").glob("*.toml")}
    assert {"default.toml", "colossus-phase2.toml", "cortex.toml", "dojo-exapod.toml", "dojo-100-eflops.toml",
            "gb200-ashburn-ac.toml", "gb200-ashburn-dc800.toml", "meta-24k-h100-air.toml"} <= names
    for p in (REPO / "scenarios").glob("*.toml"):
        text = p.read_text()
        assert text.startswith("#") and "[expect]" in text and "ource" in text.split("name =")[0], p.name


def test_the_dc_campus_draws_less_than_the_ac_one(capsys):
    docs = {}
    for f in ("gb200-ashburn-ac.toml", "gb200-ashburn-dc800.toml"):
        main(["run", str(REPO / "scenarios" / f), "--format", "json"])
        docs[f] = json.loads(capsys.readouterr().out)
    ac, dc = docs["gb200-ashburn-ac.toml"], docs["gb200-ashburn-dc800.toml"]
    # same racks and component loads; the 800 V DC racks' own conversion draws less at their inputs (#13 item 1)
    assert dc["delivered_to_chips_mw"] == pytest.approx(ac["delivered_to_chips_mw"], rel=1e-6)
    assert dc["it_power_mw"] < ac["it_power_mw"]
    assert dc["facility_power_design_mw"] < ac["facility_power_design_mw"]
    assert dc["copper_mass_t"] < 0.6 * ac["copper_mass_t"]


# ------------------------------------------------------------------------------------- issue #17: robustness
import os  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

FACILITY = str(Path(sys.executable).parent / "facility")
SMALL = str(REPO / "scenarios" / "dojo-exapod.toml")


def _one_line_error(err: str, *fragments: str) -> None:
    assert err.count("\n") == 1 and err.startswith("facility: error: "), err
    for f in fragments:
        assert f in err, err


@pytest.mark.parametrize("argv, fragments", [
    (["fit", SMALL, "--grid", "1e30 MW"], ["--grid", "at most 20 GW"]),
    (["fit", SMALL, "--grid", "300 MVA"], ["--grid", "apparent power"]),
    (["fit", SMALL, "--grid", "10**10**10 MW"], ["--grid", "no arithmetic"]),
    (["fit", SMALL, "--grid", "50 MW", "--deployment", "7"], ["--deployment"]),
    (["train", SMALL, "--flops", "1e400", "--mfu", "0.4"], ["--flops", "not a finite number"]),
    (["train", SMALL, "--flops", "3e25", "--mfu", "nan"], ["--mfu"]),
    (["sweep", SMALL, "--vary", "cooling.tcs_supply=20..45:1e-9 degC"], ["cooling.tcs_supply", "at most 100,000"]),
    (["sweep", SMALL, "--vary", "cooling.tcs_supply=20..inf:1 degC"], ["cooling.tcs_supply", "cannot read"]),
    (["sweep", SMALL, "--vary", "cooling.tcs_supply=30,35 degC", "--workers", "0"], ["--workers"]),
    (["sweep", SMALL, "--vary", "cooling.tcs_supply=30,35 degC", "--chunk-size", "0"], ["--chunk-size"]),
    (["sweep", SMALL, "--vary", "cooling.tcs_supply=30,35 degC", "--out", "/no/such/folder/s.nc"],
     ["--out", "does not exist"]),
    (["run", SMALL, "--hourly", "/no/such/folder/h.nc"], ["--hourly", "does not exist"]),
])
def test_bad_arguments_end_in_one_line_and_exit_2(capsys, argv, fragments):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    _one_line_error(err, *fragments)


def test_a_unit_after_a_list_applies_to_every_value(capsys):
    code, out, _ = run(capsys, "sweep", SMALL, "--vary", "cooling.tcs_supply=30,35 degC", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and [r["cooling.tcs_supply"] for r in rows] == [30.0, 35.0]


def test_output_path_problems_are_found_before_computing(capsys, tmp_path, monkeypatch):
    import facility.campus

    def never(*_a, **_k):  # the computation must not start
        raise AssertionError("computed before checking the output path")

    monkeypatch.setattr(facility.campus, "run", never)
    folder = tmp_path / "out.nc"
    folder.mkdir()
    code, _, err = run(capsys, "run", SMALL, "--hourly", str(folder))
    assert code == 2 and "is a folder" in err and "--hourly" in err
    if os.geteuid() != 0:  # root writes anywhere
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o500)
        code, _, err = run(capsys, "run", SMALL, "--hourly", str(ro / "h.nc"))
        assert code == 2 and "cannot write" in err


def test_read_only_folder_is_refused_in_one_line_before_computing(capsys):
    # /proc is read-only for files that do not exist, even for root
    code, _, err = run(capsys, "run", SMALL, "--hourly", "/proc/h.nc")
    assert code == 2
    _one_line_error(err, "--hourly", "cannot write")


def test_check_records_a_failing_file_and_goes_on(capsys, tmp_path, write_toml):
    bad = tmp_path / "a-bad.toml"
    bad.write_text("name = 1\n")
    good = write_toml(MINIMAL.replace("accelerators = 100000", "accelerators = 640"), name="b-good.toml")
    code, out, _ = run(capsys, "check", str(bad), str(good), "--format", "json")
    doc = json.loads(out)
    assert code == 1 and [r["scenario"] for r in doc["results"]] == [str(bad), str(good)]
    assert doc["results"][0]["ok"] is False and doc["results"][1]["ok"] is True


def test_check_records_an_internal_error_and_goes_on(capsys, write_toml, monkeypatch):
    import facility.campus

    real = facility.campus.run
    calls = []

    def flaky(s, *a, **k):
        calls.append(s.source)
        if len(calls) == 1:
            raise ZeroDivisionError("boom")
        return real(s, *a, **k)

    monkeypatch.setattr(facility.campus, "run", flaky)
    one = write_toml(MINIMAL.replace("accelerators = 100000", "accelerators = 640"), name="a.toml")
    two = write_toml(MINIMAL.replace("accelerators = 100000", "accelerators = 640"), name="b.toml")
    code, out, _ = run(capsys, "check", str(one), str(two))
    assert code == 3 and "internal error: ZeroDivisionError: boom" in out and "2 scenario(s), 1 failure(s)" in out


def test_a_non_finite_result_is_an_internal_error_and_is_not_printed(capsys, monkeypatch):
    import facility.results

    real = facility.results.to_json
    monkeypatch.setattr(facility.results, "to_json", lambda r: {**real(r), "pue_annual": float("nan")})
    code, out, err = run(capsys, "run", SMALL, "--format", "json")
    assert code == 3 and out == "" and "non-finite value nan at pue_annual" in err


def test_unreadable_load_file_message_names_a_folder_not_a_missing_file(capsys, write_toml):
    path = write_toml(MINIMAL + '[load]\nprofile = "csv"\nfile = "."\n')
    code, _, err = run(capsys, "run", str(path))
    assert code == 2 and "load.file" in err and "is a folder" in err


def _spawn(*argv: str) -> subprocess.Popen:
    return subprocess.Popen([FACILITY, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=REPO)


def _wait_for_imports(p: subprocess.Popen, library: str = "numpy", timeout: float = 60.0) -> None:
    """Wait until the child has mapped ``library`` (its imports are under way: facility.errors, which installs the
    Ctrl-C guard, is imported before pint and numpy). Python's own start-up before that is not the CLI's to guard,
    and on a loaded machine a fixed delay can land in it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and p.poll() is None:
        try:
            if library in Path(f"/proc/{p.pid}/maps").read_text():
                return
        except OSError:
            pass
        time.sleep(0.002)


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.0, 0.3])
def test_ctrl_c_during_start_up_is_one_line_and_exit_130(delay):
    p = _spawn("run", SMALL, "--format", "json")
    _wait_for_imports(p)
    time.sleep(delay)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=120)
    if p.returncode == 0:  # finished before the signal: nothing to check
        return
    assert p.returncode == 130 and err == "facility: interrupted\n" and out == "", err


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_an_interrupted_hourly_export_leaves_no_partial_file(tmp_path, sig):
    target = tmp_path / "hourly.csv"
    p = _spawn("run", SMALL, "--hourly", str(target))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and p.poll() is None:  # signal once the export's temporary file appears
        if any(f.name.startswith(".hourly.csv.") for f in tmp_path.iterdir()):
            break
        time.sleep(0.005)
    p.send_signal(sig)
    p.communicate(timeout=120)
    if target.exists():  # the write finished before the signal: the file must be whole
        lines = target.read_text().splitlines()
        assert len(lines) == 8761
    if sig == signal.SIGINT:
        assert not [f for f in tmp_path.iterdir() if f.name.startswith(".hourly")]  # temporary file removed


@pytest.mark.slow
def test_an_interrupted_sweep_never_leaves_a_partial_file(tmp_path):
    target = tmp_path / "sweep.nc"
    target.write_text("previous results")
    p = _spawn("sweep", SMALL, "--vary", "cooling.tcs_supply=30..40:1 degC", "--out", str(target))
    time.sleep(8)
    p.send_signal(signal.SIGKILL)
    p.communicate(timeout=60)
    content = target.read_bytes()
    assert content == b"previous results" or content.startswith(b"CDF")  # the old file or the whole new one


def _listening(port: int) -> list[str]:
    """Local addresses listening on ``port`` (from /proc/net/tcp and tcp6)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            local, state = row.split()[1], row.split()[3]
            addr, p = local.rsplit(":", 1)
            if state == "0A" and int(p, 16) == port:
                found.append(addr)
    return found


@pytest.mark.slow
def test_app_listens_on_localhost_and_stops_with_its_parent():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    p = subprocess.Popen([FACILITY, "app", "--port", str(port)], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True, cwd=REPO)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not _listening(port):
            assert p.poll() is None, p.stderr.read()
            time.sleep(0.5)
        addresses = _listening(port)
        assert addresses and all(a == "0100007F" for a in addresses), addresses  # 127.0.0.1 only
        children = Path(f"/proc/{p.pid}/task/{p.pid}/children").read_text().split()
        assert children
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=60)
        time.sleep(0.5)
        assert not _listening(port)
        assert all(not Path(f"/proc/{c}").exists() or "Z" in Path(f"/proc/{c}/stat").read_text().split()[2]
                   for c in children)
    finally:
        if p.poll() is None:
            p.kill()


def test_a_load_csv_with_mixed_types_gives_one_line_without_a_pandas_warning(capsys, tmp_path, write_toml):
    rows = ["it_fraction"] + ["0.8"] * 299_000 + ["high"] + ["0.8"] * 999  # 300,000 rows: read in chunks
    (tmp_path / "load.csv").write_text("\n".join(rows) + "\n")
    path = write_toml(MINIMAL.replace("accelerators = 100000", "accelerators = 640")
                      + '[load]\nprofile = "csv"\nfile = "load.csv"\n')
    code, out, err = run(capsys, "run", str(path))
    assert code == 2 and out == "" and "DtypeWarning" not in err
    _one_line_error(err, "load.csv")
