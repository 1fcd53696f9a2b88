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
    assert doc["it_power_mw"] == pytest.approx(127.5408)  # 1,563 racks x 81.6 kW, in MW
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
    assert ac["it_power_mw"] == dc["it_power_mw"]
    assert dc["facility_power_design_mw"] < ac["facility_power_design_mw"]
    assert dc["copper_mass_t"] < 0.6 * ac["copper_mass_t"]


def test_power_flows_balance_at_every_node():
    import numpy as np

    from facility import load_scenario
    from facility import run as run_campus
    from facility.results import power_flows

    f = power_flows(run_campus(load_scenario(REPO / "scenarios" / "cortex.toml"), year=False))
    n = len(f["labels"])
    inflow, outflow = np.zeros(n), np.zeros(n)
    for s, t, v in zip(f["source"], f["target"], f["value_mw"], strict=True):
        outflow[s] += v
        inflow[t] += v
    sinks = {f["labels"].index(x) for x in ("Losses", "Chips", "Cooling & house loads", "Overhead IT")}
    for i in range(n):
        if i not in sinks and f["labels"][i] != "Grid":
            assert inflow[i] == pytest.approx(outflow[i], rel=1e-9), f["labels"][i]
    grid = f["labels"].index("Grid")
    assert outflow[grid] == pytest.approx(sum(inflow[i] for i in sinks), rel=1e-9)
