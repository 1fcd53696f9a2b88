"""Scenario loading: valid files, and every kind of bad input with its message."""

import pytest

from facility import Q_, Scenario, ScenarioError, load_scenario
from tests.conftest import MINIMAL, REPO


def test_minimal_scenario_loads_with_documented_defaults(write_toml):
    s = load_scenario(write_toml(MINIMAL))
    assert s.site.grid_voltage.m_as("kV") == 161
    assert s.power.architecture == "ac-480v"
    assert s.cooling.tcs_supply.m_as("degC") == pytest.approx(32)
    assert s.cooling.heat_rejection == "dry-cooler+chiller"
    assert s.weather_path.name.startswith("USA_FL_Tampa")


def test_scenario_built_in_code_takes_strings_and_quantities():
    s = Scenario(name="code", site={"weather": "chicago", "grid_voltage": Q_(345, "kV")},
                 compute={"deployments": [{"system": "gb200-nvl72", "racks": 10}]},
                 cooling={"tcs_supply": "40 degC", "heat_rejection": "dry-cooler"})
    assert s.site.grid_voltage.m_as("kV") == 345
    assert s.cooling.tcs_supply.m_as("K") == pytest.approx(313.15)


def test_ashrae_class_names_the_supply_temperature(write_toml):
    s = load_scenario(write_toml(MINIMAL + '[cooling]\ntcs_supply = "W45"\n'))
    assert s.cooling.tcs_supply.m_as("degC") == 45


def test_weather_path_relative_to_scenario_file(write_toml, tmp_path):
    (tmp_path / "my.epw").write_text("stub")
    s = load_scenario(write_toml(MINIMAL.replace('"tampa-fl"', '"my.epw"')))
    assert s.weather_path == tmp_path / "my.epw"


def _error(write_toml, text):
    with pytest.raises(ScenarioError) as info:
        load_scenario(write_toml(text))
    return info.value


@pytest.mark.parametrize("old, new, key, fragment", [
    ('grid_voltage = "161 kV"', 'grid_voltage = "161 m"', "site.grid_voltage", "dimension [length]"),
    ('grid_voltage = "161 kV"', 'grid_voltage = 161', "site.grid_voltage", "without a unit"),
    ('grid_voltage = "161 kV"', 'grid_voltage = "161 V"', "site.grid_voltage", "from 1 kV to 1200 kV"),
    ("accelerators = 100000", "accelerators = -5", "compute.deployments[0].accelerators", "greater than 0"),
    ("accelerators = 100000", "accelerators = 0", "compute.deployments[0].accelerators", "greater than 0"),
    ("accelerators = 100000", 'accelerators = "many"', "compute.deployments[0].accelerators", "'many'"),
    ("accelerators = 100000", "accelerators = 10.5", "compute.deployments[0].accelerators", "whole number"),
    ('system = "h100-lc-64"', 'system = "h100-lc-46"', "compute.deployments[0].system",
     "did you mean 'h100-lc-64'"),
    ('system = "h100-lc-64"', 'system = "dgx-h100"', "compute.deployments[0].system", "is a node"),
    ('weather = "tampa-fl"', 'weather = "memphis"', "site.weather", "neither a bundled site"),
    ('weather = "tampa-fl"', 'weather = "tampa-fl"\nwether = 1', "site.wether", "did you mean 'weather'"),
    ("accelerators = 100000", "accelerators = 100000\nracks = 5", "compute.deployments[0]", "exactly one"),
])
def test_bad_values_name_file_key_value_and_expectation(write_toml, old, new, key, fragment):
    err = _error(write_toml, MINIMAL.replace(old, new))
    assert err.key == key
    assert fragment in err.message
    assert str(err).startswith(str(err.source)) and err.source.endswith("scenario.toml")


@pytest.mark.parametrize("extra, key, fragment", [
    ('[cooling]\ntcs_suply = "30 degC"\n', "cooling.tcs_suply", "did you mean 'tcs_supply'"),
    ('[cooling]\ntcs_supply = "-30 degC"\n', "cooling.tcs_supply", "below the freezing point of pg25"),
    ('[cooling]\ntcs_supply = "1 degC"\ntcs_coolant = "water"\n', "cooling.tcs_supply", "freezing point of water"),
    ('[cooling]\ntcs_supply = "90 degC"\n', "cooling.tcs_supply", "up to 70 degC"),
    ('[cooling]\ntcs_delta_t = "-5 K"\n', "cooling.tcs_delta_t", "at least 1 K"),
    ('[cooling]\ntcs_delta_t = "10 degC"\n', "cooling.tcs_delta_t", "absolute temperature"),
    ('[cooling]\ntcs_coolant = "brine"\n', "cooling.tcs_coolant", "unknown coolant"),
    ('[cooling]\nheat_rejection = "dry-cooler+cooling-tower"\n', "cooling.heat_rejection", "at most one"),
    ('[cooling]\nequipment = { chiller = "dry-cooler-1500kw" }\n', "cooling.equipment.chiller", "a chiller"),
    ('[cooling]\ntcs_supply = "30 kW"\n', "cooling.tcs_supply", "dimension"),
    ('[cooling]\nheat_rejection = "dry-coler+chiller"\n', "cooling.heat_rejection", "did you mean 'dry-cooler'"),
    ('[power]\narchitecture = "dc-800"\n', "power.architecture", "did you mean 'dc-800v'"),
    ('[catalog.h100-lc-64]\nliquid_fraction = 1.2\n', "catalog.h100-lc-64.liquid_fraction", "from 0 to 1"),
    ('[expect]\nit_power = [1, 2]\n', "expect.it_power", "did you mean 'it_power_mw'"),
    ('[expect]\nit_power_mw = [2, 1]\n', "expect.it_power_mw", "low <= high"),
    ('[expect]\nit_power_mw = 5\n', "expect.it_power_mw", "band [low, high]"),
    ('[compute]\noverheads = ["netwrk"]\n', "compute.overheads[0]", "did you mean 'network'"),
    ("[compute.halls]\ncount = 2\nracks_per_hall = 5\n", "compute.halls", "exactly one"),
    ("colour = 'red'\n", "colour", "unknown key"),
])
def test_bad_sections(write_toml, extra, key, fragment):
    text = MINIMAL.replace("[site]", extra + "[site]") if extra.startswith(("colour", "name")) else MINIMAL + extra
    if extra.startswith("[compute]"):
        text = MINIMAL.replace("[[compute.deployments]]", extra + "[[compute.deployments]]")
    err = _error(write_toml, text)
    assert err.key == key, str(err)
    assert fragment in err.message


def test_missing_section_is_reported(write_toml):
    err = _error(write_toml, 'name = "x"\n[site]\nweather = "tampa"\ngrid_voltage = "161 kV"\n')
    assert err.key == "compute" and "required" in err.message


def test_missing_file():
    with pytest.raises(ScenarioError, match="file not found") as info:
        load_scenario(REPO / "nope.toml")
    assert info.value.source.endswith("nope.toml")


def test_toml_syntax_error_gives_the_line(write_toml):
    err = _error(write_toml, 'name = "x"\n[site\nweather = 1\n')
    assert "not valid TOML" in err.message and "line 2" in err.message


def test_several_problems_are_all_counted(write_toml):
    err = _error(write_toml, MINIMAL.replace('"161 kV"', '"161 m"').replace("100000", "-1"))
    assert len(err.problems) == 2 and "1 more problem" in str(err)


def test_scenario_in_code_raises_scenario_error():
    with pytest.raises(ScenarioError, match=r"<Scenario\(...\)>: site.grid_voltage"):
        Scenario(name="x", site={"weather": "tampa", "grid_voltage": "5 W"},
                 compute={"deployments": [{"system": "h100-lc-64", "racks": 1}]})


def test_all_checked_in_scenarios_load():
    files = sorted((REPO / "scenarios").glob("*.toml"))
    assert files
    for f in files:
        load_scenario(f)
