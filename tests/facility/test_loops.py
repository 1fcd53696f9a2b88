"""Pump heads from their components (issue #13 item 5): each loop's design pressure drop is the sum of its catalog
components plus, for the facility and chilled-water mains, their Darcy-Weisbach friction (checked with ``fluids``)."""

from __future__ import annotations

import math

import pytest

import facility
from facility.errors import ScenarioError
from facility.loops import IN_ROW_ONLY, TCS_COMPONENTS
from facility.scenario import Scenario
from models.thermal.coolant import properties
from models.thermal.plant import PIPE_ROUGHNESS


def _scenario(**cooling):
    return Scenario(name="t", site={"weather": "sterling-va", "grid_voltage": "230 kV"},
                    compute={"deployments": [{"system": "gb200-nvl72", "racks": 100}]}, cooling=cooling)


def _loop(r, key):
    return next(lp for lp in r.cooling.loops if lp.key == key)


def test_facility_water_head_is_its_components_plus_darcy_weisbach_of_the_mains_by_fluids():
    from fluids.friction import friction_factor

    r = facility.run(_scenario(), year=False)
    fw = _loop(r, "fw")
    names = [n for n, _ in fw.components]
    assert names == ["fw-cdu-primary", "fw-control-valve", "fw-strainers-valves", "dry-cooler-coil",
                     "chiller-evaporator"]
    cat = r.scenario.hardware
    parts = sum(cat[n].get("pressure_drop").m_as("Pa") for n in names)
    assert parts == pytest.approx(260e3)  # 50 + 50 + 30 + 70 + 60 kPa
    p = properties("water", fw.supply.m_as("K") + 5.0)
    d, v = fw.pipe_diameter.m_as("m"), fw.volume_flow.m_as("m^3/s")
    u = v / (math.pi * d * d / 4)
    re = float(p["density"]) * u * d / float(p["viscosity"])
    f = friction_factor(Re=re, eD=PIPE_ROUGHNESS / d)
    mains = f * 600.0 / d * float(p["density"]) * u * u / 2
    assert u == pytest.approx(2.5)
    assert fw.pressure_drop.m_as("Pa") == pytest.approx(parts + mains, rel=0.01)  # Swamee-Jain vs Colebrook
    assert fw.pressure_drop.m_as("kPa") > 250  # was 100 kPa of components plus the mains (~119 kPa in default)


def test_technology_loop_head_sums_its_components_and_the_cdu():
    r = facility.run(_scenario(), year=False)
    tcs = _loop(r, "tcs")
    cat = r.scenario.hardware
    assert [n for n, _ in tcs.components] == [*TCS_COMPONENTS, "cdu-in-row-2000kw"]
    # the cold plates at the flow through each plate (issue #13 item 6), the others at their catalog figure
    v_plate = tcs.volume_flow.m_as("m^3/s") / r.load.deployments[0].accelerators
    plate = cat.si("cold-plate-gpu")
    x = v_plate / plate["rated_flow"]
    plates = 10e3 + 2 * 30e3 * (0.5 * x + 0.5 * x * x)  # tubing + 2 plates in series, a V + b V^2
    assert dict(tcs.components)["tcs-cold-plates"] == pytest.approx(plates, rel=1e-12)
    assert 1.4 < x < 1.7  # GB200 NVL72 trays: ~2.3 L/min per GPU plate (the loop also carries the CPUs and switches)
    total = plates + sum(cat[n].get("pressure_drop").m_as("Pa") for n, _ in tcs.components if n != "tcs-cold-plates")
    assert total == pytest.approx(plates + (30 + 20 + 35 + 60 + 80) * 1e3)
    assert tcs.pressure_drop.m_as("Pa") == pytest.approx(total, rel=1e-12)  # no mains in the racks' loop
    doc = facility.to_json(r)
    listed = next(lp for lp in doc["cooling"]["loops"] if lp["name"].startswith("technology"))["components"]
    assert sum(c["pressure_drop_kpa"] for c in listed) == pytest.approx(total / 1e3)


def test_cold_plate_pressure_drop_follows_the_flow_through_each_plate():
    """A wider technology-loop rise halves the flow and the plates' drop falls as a V + b V^2 (not a fixed figure
    per kW): 10 K -> 20 K."""
    base = dict(_loop(facility.run(_scenario(), year=False), "tcs").components)["tcs-cold-plates"]
    wide = _loop(facility.run(_scenario(tcs_delta_t="20 K", facility_delta_t="20 K"), year=False), "tcs")
    half = dict(wide.components)["tcs-cold-plates"]
    x = (base - 10e3) / 60e3  # s x + (1 - s) x^2 at the base flow, s = 0.5
    x_base = (-0.5 + math.sqrt(0.25 + 2 * x)) / 1.0
    x_half = x_base * wide.volume_flow.m_as("m^3/s") / _loop(facility.run(_scenario(), year=False),
                                                              "tcs").volume_flow.m_as("m^3/s")
    assert half == pytest.approx(10e3 + 60e3 * (0.5 * x_half + 0.5 * x_half**2), rel=1e-9)
    assert half < base


def test_an_in_rack_cdu_has_no_row_piping_or_branch_valve():
    r = facility.run(_scenario(cdu="cdu-in-rack-100kw"), year=False)
    names = [n for n, _ in _loop(r, "tcs").components]
    assert not set(IN_ROW_ONLY) & set(names) and names[-1] == "cdu-in-rack-100kw"


def test_the_plant_puts_its_coil_or_exchanger_and_evaporator_in_the_loop():
    r = facility.run(_scenario(heat_rejection="cooling-tower+chiller"), year=False)
    assert [n for n, _ in _loop(r, "fw").components][-2:] == ["tower-economiser-hx", "chiller-evaporator"]
    r = facility.run(_scenario(heat_rejection="dry-cooler", tcs_supply="45 degC", design_basis="ashrae-0.4%"),
                     year=False)
    assert [n for n, _ in _loop(r, "fw").components][-1] == "dry-cooler-coil"


def test_a_single_figure_replaces_the_list():
    r = facility.run(_scenario(tcs_pressure_drop="150 kPa", facility_pressure_drop="100 kPa"), year=False)
    assert _loop(r, "tcs").components == (("cooling.tcs_pressure_drop", 150e3), ("cdu-in-row-2000kw", 80e3))
    assert _loop(r, "fw").components == (("cooling.facility_pressure_drop", 100e3),)


def test_an_unknown_component_is_refused_by_name():
    with pytest.raises(ScenarioError, match="tcs_components") as info:
        facility.run(_scenario(tcs_components=["tcs-cold-plates", "dry-cooler-1500kw"]), year=False)
    assert "'dry-cooler-1500kw' is not a loop component" in str(info.value)
