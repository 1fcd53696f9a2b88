"""House and ancillary loads item by item (issue #13 item 10): each a catalog entry with its source, per rack or as a
fraction of the design IT power, listed in the result and summed into the mechanical branch."""

from __future__ import annotations

import pytest

import facility
from facility.errors import ScenarioError
from facility.scenario import Scenario, load_scenario

from ..conftest import REPO

ITEMS = ["house-lighting", "house-offices", "house-security", "house-controls", "house-generator-heaters"]


def _scenario(**cooling):
    return Scenario(name="t", site={"weather": "sterling-va", "grid_voltage": "230 kV"},
                    compute={"deployments": [{"system": "gb200-nvl72", "racks": 100}], "overheads": ["network"]},
                    cooling=cooling)


def test_default_campus_house_loads_are_itemised_and_add_up():
    r = facility.run(load_scenario(REPO / "scenarios" / "default.toml"), year=False)
    doc = facility.to_json(r)
    items = {h["name"]: h["mw"] for h in doc["house_loads"]}
    assert list(items) == ITEMS
    it = r.load.it_power.m_as("MW")
    assert items["house-lighting"] == pytest.approx(50e-6 * r.load.racks, abs=1e-6)  # 50 W per rack, 2,399 racks
    assert items["house-generator-heaters"] == pytest.approx(0.006 * it, abs=1e-6)  # 12 kW per 2.5 MW set x 1.25 IT
    assert items["house-offices"] == pytest.approx(1e-3 * it, abs=1e-6)
    assert items["house-security"] == pytest.approx(3e-4 * it, abs=1e-6)
    assert sum(items.values()) == pytest.approx(doc["house_load_mw"], abs=1e-5)
    assert r.house_load.m_as("MW") == pytest.approx(sum(items.values()), abs=1e-5)
    # and the sum is what the mechanical branch carries beside the cooling (energy closes)
    p = r.power
    assert p.mechanical_power.m_as("W") == pytest.approx((r.cooling.cooling_power + r.house_load).m_as("W"), abs=1.0)


def test_every_house_load_entry_names_its_source():
    cat = load_scenario(REPO / "scenarios" / "default.toml").hardware
    for name in ITEMS:
        e = cat[name]
        assert e.kind == "house-load" and e.description
        assert all(v.source and len(v.source) > 40 for v in e.values.values()), name


def test_a_flat_fraction_replaces_the_items():
    r = facility.run(_scenario(house_load_fraction=0.01), year=False)
    doc = facility.to_json(r)
    assert [h["name"] for h in doc["house_loads"]] == ["cooling.house_load_fraction"]
    assert r.house_load.m_as("W") == pytest.approx(0.01 * r.load.it_power.m_as("W"))


def test_chosen_items_only_and_unknown_items_refused():
    r = facility.run(_scenario(house_loads=["house-lighting"]), year=False)
    assert r.house_load.m_as("W") == pytest.approx(50.0 * r.load.racks)
    with pytest.raises(ScenarioError, match="house_loads") as info:
        facility.run(_scenario(house_loads=["house-lighting", "network"]), year=False)
    assert "'network' is not a house load" in str(info.value)


def test_an_item_needs_exactly_one_basis():
    s = Scenario.from_dict({**_scenario().model_dump(), "catalog": {"house-lighting": {"fraction_of_it": 0.001}}})
    with pytest.raises(ScenarioError, match="power_per_rack and fraction_of_it"):
        facility.run(s, year=False)
