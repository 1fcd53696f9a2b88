"""facility.schema: the base of every scenario section refuses unknown keys with a suggestion and is immutable once
validated (``StrictModel``)."""

import pytest

from facility import Scenario, ScenarioError, load_scenario
from facility.scenario import scenario_to_dict


def test_assigning_to_a_loaded_scenario_is_refused_with_scenario_error():
    s = Scenario.from_dict({"name": "t", "site": {"weather": "tampa-fl", "grid_voltage": "161 kV"},
                            "compute": {"deployments": [{"system": "h100-lc-64", "accelerators": 64}]}})
    for target, key, value in [(s.site, "grid_voltage", "5 kV"), (s.compute.deployments[0], "system", "nope"),
                               (s.cooling, "pump_efficiency", 7), (s, "name", 42)]:
        with pytest.raises(ScenarioError, match="immutable"):
            setattr(target, key, value)
    changed = scenario_to_dict(s)
    changed["site"]["grid_voltage"] = "5 kV"
    with pytest.raises(ScenarioError, match="not above the MV level"):
        Scenario.from_dict(changed)


def test_the_swings_and_supply_sections_of_a_loaded_scenario_are_immutable_too():
    """[swings] and [supply] share the scenario's base (facility.schema.StrictModel): no unchecked assignment."""
    from tests.conftest import REPO

    swings = load_scenario(REPO / "scenarios" / "colossus-swings.toml")
    supply = load_scenario(REPO / "scenarios" / "colossus-supply.toml")
    for target, key, value in [(swings.swings, "seconds", "1 s"), (supply.supply.grid, "import_limit", "1 MW")]:
        with pytest.raises(ScenarioError, match="immutable"):
            setattr(target, key, value)


def test_an_unknown_key_is_refused_with_the_closest_known_one_and_the_list_of_known_ones():
    from pydantic import ValidationError

    from facility.schema import StrictModel

    class Section(StrictModel):
        grid_voltage: float = 1.0
        weather: str = "tampa-fl"

    assert Section(grid_voltage=2.0).grid_voltage == 2.0
    with pytest.raises(ValidationError, match=r"unknown key 'grid_volage'; did you mean 'grid_voltage'\? expected "
                                              r"one of grid_voltage, weather"):
        Section(grid_volage=2.0)
    with pytest.raises(ValidationError, match="expected a table"):
        Section.model_validate(42)
    s = Section()
    with pytest.raises(ScenarioError, match="immutable"):
        del s.weather
