"""Regression tests of issue #17: every hostile input found runs or is refused in one line naming file and key.

The scenario files are in ``tests/data/hostile/``: ``ok-*.toml`` must run, every other one must be refused with a
``ScenarioError`` (CLI: exit 2, one line on stderr) naming the file, the key path and what is expected.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np
import pytest

from facility import Scenario, ScenarioError, load_scenario, run
from facility.bounds import MAX_ACCELERATORS
from facility.cli import main
from facility.scenario import MAX_SCENARIO_BYTES, parse_scenario_text
from tests.conftest import MINIMAL, REPO

HOSTILE = REPO / "tests" / "data" / "hostile"
#: file -> (key path named in the error, fragment of the message)
REFUSED = {
    "accelerators-1e308.toml": ("compute.deployments[0].accelerators", "at most 5,000,000"),
    "accelerators-1e18.toml": ("compute.deployments[0].accelerators", "at most 5,000,000"),
    "accelerators-inf.toml": ("compute.deployments[0].accelerators", "whole number"),
    "catalog-count-1e308.toml": ("catalog.h100-lc-64.count", "from 1 to 100,000"),
    "catalog-count-inf.toml": ("catalog.h100-lc-64.count", "whole number"),
    "catalog-count-nan.toml": ("catalog.h100-lc-64.count", "whole number"),
    "pipe-length-huge.toml": ("cooling.pipe_length", "from 1 m to 50,000 m"),
    "compute-target-huge.toml": ("compute.deployments[0].compute_target", "at most 1e+23 FLOPS"),
    "hall-capacity-1e-308.toml": ("compute.halls.it_capacity", "from 10 kW"),
    "chiller-reference-cop-zero.toml": ("catalog.chiller-air-cooled.reference_cop", "from 1 to 20"),
    "crah-fan-efficiency-zero.toml": ("catalog.crah-fan-wall-500kw.fan_efficiency", "above 0 and at most 1"),
    "stage-voltage-zero.toml": ("power.stages.ups.voltage_out", "from 0.3 V to 1,000,000 V"),
    "stage-voltage-negative.toml": ("power.stages.ups.voltage_out", "carries no power"),
    "stage-voltage-microvolt.toml": ("power.stages.ups.voltage_out", "core rail"),
    "weather-name-300.toml": ("site.weather", "File name too long"),
    "nested-1000-deep.toml": (None, "nested"),
    "nested-tables-1000-deep.toml": (None, "nested"),
    "grid-voltage-power-expression.toml": ("site.grid_voltage", "no arithmetic"),
    "temperature-600-digits.toml": ("cooling.tcs_supply", "at most 100 characters"),
    "load-level-zero.toml": ("load.level", "undefined"),
    "name-number.toml": ("name", "got 42; expected a string"),
    "tcs-rise-degF-absolute.toml": ("cooling.tcs_delta_t", "an absolute temperature"),
    "grid-voltage-positive-text.toml": ("site.grid_voltage", "from 1 kV to 1200 kV"),
    "load-file-dev-zero.toml": ("load.file", "not a regular file"),
    "load-file-folder.toml": ("load.file", "is a folder"),
}


def test_every_hostile_file_is_listed_here():
    names = {p.name for p in HOSTILE.glob("*.toml")}
    assert names == set(REFUSED) | {"ok-utf8-bom.toml", "ok-tcs-rise-delta-degF.toml"}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_hostile_file_is_refused_in_one_line_naming_file_key_and_range(name):
    key, fragment = REFUSED[name]
    start = time.perf_counter()
    with pytest.raises(ScenarioError) as info:
        s = load_scenario(HOSTILE / name)
        run(s)
    assert time.perf_counter() - start < 10, "a hostile file must be refused quickly"
    err = info.value
    text = str(err)
    assert "\n" not in text and len(text) < 2100
    assert name in text
    if key:
        assert err.key == key, text
    assert fragment in text, text


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_cli_refuses_each_hostile_file_with_exit_2_and_one_line(capsys, name):
    code = main(["run", str(HOSTILE / name), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("facility: error: ") and name in err


@pytest.mark.parametrize("name", ["ok-utf8-bom.toml", "ok-tcs-rise-delta-degF.toml"])
def test_hostile_looking_but_valid_files_load(name):
    s = load_scenario(HOSTILE / name)
    assert s.compute.deployments[0].accelerators == 6400


def test_a_delta_degF_rise_reads_as_kelvin():
    s = load_scenario(HOSTILE / "ok-tcs-rise-delta-degF.toml")
    assert s.cooling.tcs_delta_t.m_as("K") == pytest.approx(10.0)  # 18 delta_degF = 10 K


def test_a_50_mb_scenario_is_refused_before_parsing_and_not_echoed(tmp_path):
    p = tmp_path / "big.toml"
    p.write_text(MINIMAL.replace('name = "test"', 'name = "' + "x" * 50_000_000 + '"'))
    start = time.perf_counter()
    with pytest.raises(ScenarioError, match=f"expected at most {MAX_SCENARIO_BYTES:,} bytes") as info:
        load_scenario(p)
    assert time.perf_counter() - start < 2 and len(str(info.value)) < 400


def test_a_long_value_is_not_echoed_into_the_message():
    data = {"name": "t", "site": {"weather": "tampa-fl", "grid_voltage": "1 kV" + " " * 200_000 + "x"},
            "compute": {"deployments": [{"system": "h100-lc-64", "accelerators": 64}]}}
    with pytest.raises(ScenarioError) as info:
        Scenario.from_dict(data)
    assert len(str(info.value)) < 500 and info.value.key == "site.grid_voltage"


def test_a_scenario_text_with_a_bom_and_over_the_size_limit():
    assert parse_scenario_text("\ufeff" + MINIMAL).name == "test"
    with pytest.raises(ScenarioError, match="bytes"):
        parse_scenario_text(MINIMAL + "#" * MAX_SCENARIO_BYTES)


# ------------------------------------------------------------------------------------- library


def test_numpy_numbers_are_taken_as_counts_and_fractions():
    s = Scenario.from_dict({"name": "t", "site": {"weather": "tampa-fl", "grid_voltage": "161 kV"},
                            "compute": {"deployments": [{"system": "h100-lc-64", "accelerators": np.int64(640)}]},
                            "cooling": {"pump_efficiency": np.float32(0.7)}})
    assert s.compute.deployments[0].accelerators == 640 and s.cooling.pump_efficiency == pytest.approx(0.7)


def test_campus_ceiling_is_refused_with_the_deployment_key():
    s = Scenario.from_dict({"name": "t", "site": {"weather": "tampa-fl", "grid_voltage": "161 kV"},
                            "compute": {"deployments": [{"system": "h100-lc-64", "racks": 1_000_000}]}})
    with pytest.raises(ScenarioError, match=re.escape(f"at most {MAX_ACCELERATORS:,} accelerators")) as info:
        run(s)
    assert info.value.key == "compute.deployments[0]"


def test_infeasible_design_names_file_and_key_in_the_cli(capsys, write_toml):
    path = write_toml(MINIMAL + '[cooling]\nheat_rejection = "dry-cooler"\ntcs_supply = "W17"\n')
    code = main(["run", str(path)])
    _, err = capsys.readouterr()
    assert code == 2 and str(path) in err and "cooling.heat_rejection" in err, err


def test_a_folder_or_device_as_scenario_is_named_as_such():
    with pytest.raises(ScenarioError, match="is a folder"):
        load_scenario(REPO)
    if Path("/dev/zero").exists():
        with pytest.raises(ScenarioError, match="not a regular file"):
            load_scenario("/dev/zero")


@pytest.mark.parametrize("volts", ["0.8 V", "50 V", "480 V", "34.5 kV"])
def test_real_stage_voltages_from_core_rail_to_mv_are_accepted(volts):
    s = Scenario.from_dict({"name": "t", "site": {"weather": "tampa-fl", "grid_voltage": "161 kV"},
                            "compute": {"deployments": [{"system": "h100-lc-64", "accelerators": 64}]},
                            "power": {"stages": {"vrm": {"voltage_out": volts}}}})
    assert s.power.stages["vrm"].voltage_out == volts


@pytest.mark.parametrize("key", ["air_supply", "tcs_supply"])
def test_a_temperature_difference_where_a_temperature_is_meant_is_refused(key):
    # found by the long fuzz run: air_supply = "24 delta_degC" raised pint's DimensionalityError
    with pytest.raises(ScenarioError, match="a temperature difference; expected an absolute temperature") as info:
        Scenario.from_dict({"name": "t", "site": {"weather": "tampa-fl", "grid_voltage": "161 kV"},
                            "compute": {"deployments": [{"system": "h100-lc-64", "accelerators": 64}]},
                            "cooling": {key: "24 delta_degC"}})
    assert info.value.key == f"cooling.{key}"


def test_a_catalog_temperature_difference_is_refused_with_its_key():
    with pytest.raises(ScenarioError, match="temperature difference") as info:
        Scenario.from_dict({"name": "t", "site": {"weather": "tampa-fl", "grid_voltage": "161 kV"},
                            "compute": {"deployments": [{"system": "h100-lc-64", "accelerators": 64}]},
                            "catalog": {"cold-plate-gpu": {"case_temperature_max": "85 delta_degC"}}})
    assert info.value.key == "catalog.cold-plate-gpu.case_temperature_max"


def test_pydantic_entry_points_give_scenario_error_with_the_cross_checks():
    data = {"name": "t", "site": {"weather": "tampa-fl", "grid_voltage": "20 kV"},
            "compute": {"deployments": [{"system": "h100-lc-64", "accelerators": 64}]}}
    with pytest.raises(ScenarioError, match="not above the MV level"):
        Scenario.model_validate(data)
    with pytest.raises(ScenarioError, match="not valid JSON"):
        Scenario.model_validate_json("{")


def test_a_file_error_names_the_file_not_a_placeholder(write_toml):
    with pytest.raises(ScenarioError) as info:
        load_scenario(write_toml(MINIMAL.replace("accelerators = 100000", "accelerators = -1")))
    assert info.value.source.endswith("scenario.toml")
