"""The heat-rejection plant as a structured value (issue #12 item 2)."""

from __future__ import annotations

import pytest

from facility import Scenario, run
from facility.errors import ScenarioError
from facility.plants import Plant, parse_plant
from facility.scenario import scenario_to_dict


@pytest.mark.parametrize(("text", "economiser", "trim"), [
    ("dry-cooler+chiller", "dry-cooler", "chiller"), ("chiller+cooling-tower", "cooling-tower", "chiller"),
    ("adiabatic", "adiabatic", None), ("chiller", None, "chiller")])
def test_text_and_mapping_forms_are_the_same_plant(text, economiser, trim):
    p = parse_plant(text)
    assert (p.economiser, p.trim) == (economiser, trim)
    assert parse_plant(p.as_dict()) == p == text
    assert parse_plant(str(p)) == p


@pytest.mark.parametrize(("value", "message"), [
    ("dry-cooler+cooling-tower", "at most one"), ("dry-coler+chiller", "did you mean 'dry-cooler'"),
    ("chiller+chiller", "appears twice"), ({"economiser": "tower"}, "expected one of"),
    ({"economizer": "dry-cooler"}, "a plant has 'economiser' and 'trim'"), ({}, "needs an economiser, a trim"),
    (3, "expected a text")])
def test_bad_plants_are_refused_with_what_is_expected(value, message):
    with pytest.raises(ValueError, match=message):
        parse_plant(value)


def _scenario(**cooling):
    return Scenario(name="t", site={"weather": "tampa-fl", "grid_voltage": "230 kV"},
                    compute={"deployments": [{"system": "gb200-nvl72", "racks": 10}]}, cooling=cooling)


def test_the_structured_plant_sizes_exactly_as_its_text():
    text = run(_scenario(heat_rejection="cooling-tower+chiller"), year=False)
    mapping = run(_scenario(heat_rejection={"economiser": "cooling-tower", "trim": "chiller"}), year=False)
    assert mapping.facility_power.m_as("W") == text.facility_power.m_as("W")
    assert mapping.cooling.plant("fw").economiser == "cooling-tower"
    assert isinstance(mapping.scenario.cooling.heat_rejection, Plant)
    # written back as its text (TOML, JSON and the explorer read the text)
    assert scenario_to_dict(mapping.scenario)["cooling"]["heat_rejection"] == "cooling-tower+chiller"


def test_a_bad_plant_in_a_scenario_names_the_key():
    with pytest.raises(ScenarioError, match=r"cooling\.heat_rejection") as e:
        _scenario(heat_rejection={"economiser": "dry-cooler", "trim": "heat-pump"})
    assert "expected one of chiller" in str(e.value)
