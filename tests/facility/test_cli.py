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
