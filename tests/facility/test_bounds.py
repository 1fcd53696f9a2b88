"""facility.bounds: the ranges every number of a scenario and the catalog is checked against, as data with their
reasons."""

import math

import numpy as np
import pytest

from facility import Q_
from facility.bounds import (
    CATALOG,
    MAX_ACCELERATORS,
    SCENARIO,
    Bound,
    check_number,
    check_quantity,
    is_number,
    scenario_bound,
)
from facility.catalog import FIELDS


def test_stage_voltage_bounds_cover_the_core_rail():
    # the bound reaches down to the ~0.5-1 V core rails (a VRM stage writes "0.8 V")
    assert SCENARIO["power.stages[].voltage_out"].low == 0.3


def test_every_catalog_field_with_a_number_has_a_bound_with_a_reason():
    # point lists and curve coefficients are checked for shape and finiteness, not against a range
    numeric = {f for f, (dim, _) in FIELDS.items() if dim != "points" and not dim.startswith("coefficients")}
    assert numeric <= set(CATALOG)
    assert all(b.reason for b in [*CATALOG.values(), *SCENARIO.values()])


def test_every_numeric_scenario_key_has_a_bound():
    from facility.scenario import Cooling, Deployment, Halls, Load, Power, Site

    numeric = set()
    for prefix, model in [("site", Site), ("power", Power), ("cooling", Cooling), ("load", Load),
                          ("compute.halls", Halls), ("compute.deployments[]", Deployment)]:
        for name, f in model.model_fields.items():
            if f.metadata and f.annotation not in (str, str | None) and name not in ("architecture", "design_basis",
                                                                                     "profile"):
                numeric.add(f"{prefix}.{name}")
    # (redundancy schemes and the plant {economiser, trim} are names, validated against their tables, not bounds)
    assert numeric - {"power.stages", "cooling.cdu_redundancy", "cooling.crah_redundancy",
                      "cooling.heat_rejection_redundancy", "cooling.chiller_redundancy", "cooling.heat_rejection",
                      "cooling.air_heat_rejection"} <= set(SCENARIO)


def test_a_bound_names_its_range_in_words_and_honours_open_and_closed_ends():
    closed = Bound(1.0, 1200.0, "kV", "grid")
    # thousands are separated from 10,000 on (_number_text; the docstring of Bound.text writes "1,200 kV")
    assert closed.text() == "from 1 kV to 1200 kV"
    assert closed.contains(1.0) and closed.contains(1200.0) and not closed.contains(1200.0001)
    half_open = Bound(0.0, 1.0, "", "an efficiency", low_open=True)
    assert half_open.text() == "above 0 and at most 1"
    assert not half_open.contains(0.0) and half_open.contains(1e-12) and half_open.contains(1.0)
    assert Bound(None, 1e23, "FLOPS", "x").text() == "at most 1e+23 FLOPS"
    assert Bound(5e6, None, "", "x").text() == "at least 5,000,000"
    for x in (math.nan, math.inf, -math.inf):
        assert not closed.contains(x) and not Bound(None, None, "", "x").contains(x)


def test_check_number_and_check_quantity_say_the_value_the_range_and_the_reason():
    b = Bound(0.0, 1.0, "", "an efficiency: above 1 creates energy", low_open=True)
    assert check_number(0.5, b) == 0.5
    with pytest.raises(ValueError, match=r"got 1\.2; expected above 0 and at most 1 \(an efficiency: above 1"):
        check_number(1.2, b)
    kv = Bound(1.0, 1200.0, "kV", "transmission and sub-transmission voltages")
    assert check_quantity(Q_(161, "kV"), kv).m_as("kV") == 161
    with pytest.raises(ValueError, match="expected from 1 kV to 1200 kV"):
        check_quantity(Q_(np.array([34.5, 5000.0]), "kV"), kv)  # arrays element by element
    with pytest.raises(ValueError, match="expected a quantity in kV"):
        check_quantity(Q_(30, "degC"), kv)  # wrong dimension


def test_scenario_bound_reads_list_indices_and_stage_names_generically():
    assert scenario_bound("compute.deployments[3].accelerators") is SCENARIO["compute.deployments[].accelerators"]
    assert scenario_bound("power.stages.ups.voltage_out") is SCENARIO["power.stages[].voltage_out"]
    assert scenario_bound("no.such.key") is None
    assert is_number(np.float32(1.5)) and is_number(3) and not is_number(True) and not is_number("3")
    assert SCENARIO["compute.deployments[].accelerators"].high == MAX_ACCELERATORS


@pytest.mark.parametrize(("key", "low", "high"), [
    ("cooling.tcs_delta_t", "0.99 K", "1 K"), ("cooling.facility_delta_t", "0.5 K", "1 K"),
    ("cooling.chw_delta_t", "1e-308 delta_degC", "1 delta_degC"), ("load.level", 0.009, 0.01),
])
def test_loop_rises_and_the_load_level_have_engineering_floors(key, low, high):
    """Found by the sweep fuzz: a chilled-water rise of 1e-308 K sized a design whose power was NaN, and a load
    level of 5e-324 gave an infinite annual PUE. The floors (1 K, 1 %) are in the scenario's bounds, with reasons."""
    from facility import Scenario, ScenarioError

    section, name = key.split(".")
    base = {"name": "floors", "site": {"weather": "tampa-fl", "grid_voltage": "230 kV"},
            "compute": {"deployments": [{"system": "gb200-nvl72", "racks": 4}]}}
    with pytest.raises(ScenarioError, match=r"at least 1 K|from 0\.01 to 1"):
        Scenario.from_dict(base | {section: {name: low}}, source="floors.toml")
    assert Scenario.from_dict(base | {section: {name: high}}, source="floors.toml") is not None
    assert "engineering floor" in SCENARIO[key].reason
