"""Cooling redundancy where the failure happens (issue #13 item 7, cooling part): N+1 CDUs, CRAHs and plant units
in every hall, not one spare pooled over the campus."""

from __future__ import annotations

import math

import pytest

import facility
from facility.scenario import Scenario, load_scenario

from ..conftest import REPO


def _scenario(halls):
    return Scenario(name="t", site={"weather": "sterling-va", "grid_voltage": "230 kV"},
                    compute={"deployments": [{"system": "gb200-nvl72", "racks": 400}], "overheads": ["network"],
                             "halls": {"count": halls}})


def test_each_hall_gets_its_own_spare():
    one, four = (facility.run(_scenario(h), year=False) for h in (1, 4))
    assert one.facility_power == four.facility_power  # counts only: the physics is the same
    for e1, e4 in zip(one.cooling.equipment, four.cooling.equipment, strict=True):
        assert (e1.kind, e1.model) == (e4.kind, e4.model)
        load, cap = e4.load.m_as("W"), e4.unit_capacity.m_as("W")
        share = four.load.racks_per_hall / four.load.racks
        per_hall = math.ceil(load * share / cap * (1 - 1e-12)) + 1  # N + 1 in the fullest hall
        assert e4.units_installed == 4 * per_hall and e4.groups == 4, e4.kind
        assert e1.units_installed == math.ceil(load / cap * (1 - 1e-12)) + 1 and e1.groups == 1
        assert e4.units_installed >= e1.units_installed + 3  # a spare in each of the other three halls
        assert e4.loading_failed <= 1.0 + 1e-12  # one unit lost in a hall: that hall still carries its load


def test_bundled_campus_counts_per_hall_are_reported():
    doc = facility.to_json(facility.run(load_scenario(REPO / "scenarios" / "gb200-ashburn-ac.toml"), year=False))
    assert doc["halls"] == 8
    cdu = next(e for e in doc["cooling"]["equipment"] if e["kind"] == "cdu")
    assert cdu["halls"] == 8 and cdu["units_installed"] % 8 == 0
    # 12 + 1 per hall (was 98 = 97 + 1 pooled over the campus; 13 + 1 per hall on the 132 kW nameplate racks
    # before #13 computed the rack input from its components: 124.7 kW)
    assert cdu["units_installed"] == 104
    assert all(e["loading_failed"] <= 1.0 for e in doc["cooling"]["equipment"])


@pytest.mark.parametrize("name", ["meta-24k-h100-air"])
def test_a_single_hall_campus_is_unchanged(name):
    doc = facility.to_json(facility.run(load_scenario(REPO / "scenarios" / f"{name}.toml"), year=False))
    assert doc["halls"] == 1 and all(e["halls"] == 1 for e in doc["cooling"]["equipment"])
