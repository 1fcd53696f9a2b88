"""Hydraulics, heat exchangers, heat rejection and chillers against libraries and published figures."""

import numpy as np
import pytest
from fluids.friction import friction_factor
from ht import NTU_from_effectiveness, effectiveness_from_NTU

from facility.units import Q_
from models.registry import leaving_temperature
from models.thermal.chiller import cop, part_load_power
from models.thermal.heat_exchanger import effectiveness_counterflow, ntu_counterflow
from models.thermal.heat_rejection import H_FG, tower_water
from models.thermal.hydraulics import friction_factor_swamee_jain, pipe_pressure_drop, pump_power


@pytest.mark.parametrize("re", [1e3, 8e3, 5e4, 3e5, 2e6])
@pytest.mark.parametrize("ed", [1e-5, 1e-4, 1e-3])
def test_swamee_jain_kernel_agrees_with_fluids(re, ed):
    assert friction_factor_swamee_jain(re, ed) == pytest.approx(friction_factor(Re=re, eD=ed), rel=0.025)


def test_pipe_pressure_drop_worked_example():
    # water 20 degC, 0.1 m pipe, 2 m/s, 100 m, 45 um: Re ~ 2e5, f ~ 0.0196 -> ~39 kPa
    q = Q_(2.0 * np.pi * 0.05**2, "m^3/s")
    dp = pipe_pressure_drop(q, Q_(0.1, "m"), Q_(100, "m"), Q_(998, "kg/m^3"), Q_(1.0e-3, "Pa*s"), Q_(45e-6, "m"))
    f = friction_factor(Re=998 * 2 * 0.1 / 1e-3, eD=45e-6 / 0.1)
    assert dp.m_as("Pa") == pytest.approx(f * 100 / 0.1 * 998 * 4 / 2, rel=0.02)


@pytest.mark.parametrize("cr", [0.0, 0.3, 0.7, 1.0])
@pytest.mark.parametrize("ntu", [0.5, 2.0, 6.0])
def test_effectiveness_ntu_round_trip_and_agrees_with_ht(ntu, cr):
    eps = effectiveness_counterflow(ntu, cr)
    assert eps == pytest.approx(effectiveness_from_NTU(ntu, cr, "counterflow"), rel=1e-9)
    assert ntu_counterflow(eps, cr) == pytest.approx(ntu, rel=1e-9)
    assert ntu_counterflow(eps, cr) == pytest.approx(NTU_from_effectiveness(eps, cr, "counterflow"), rel=1e-9)


def test_devices_cannot_beat_their_ambient():
    db, wb = 308.15, 297.15
    assert leaving_temperature("dry-cooler", db, wb, 5.0) == db + 5.0  # never below dry bulb + approach
    assert leaving_temperature("cooling-tower", db, wb, 4.0) == wb + 4.0  # never below wet bulb + approach
    adiabatic = leaving_temperature("adiabatic", db, wb, 5.0, 0.85)
    assert wb + 5.0 < adiabatic < db + 5.0


def test_tower_evaporation_follows_the_0_00085_rule():
    # 1 MW with 10 F (5.56 K) range: flow = Q / (cp dT); rule: E = 0.00085 x flow x 10 F
    flow = 1e6 / (4186 * 5.556)
    evap, drift, blowdown = tower_water(1e6, flow, cycles=4.0)
    assert drift == pytest.approx(1e-5 * flow)
    assert evap == pytest.approx(0.00085 * flow * 10, rel=0.02)
    assert blowdown == pytest.approx(evap / 3)
    assert evap == pytest.approx(0.9e6 / H_FG)


def test_chiller_cop_meets_ashrae_90_1_at_ahri_conditions():
    # AHRI 550/590: 6.7 degC (44 F) chilled water; water-cooled: 29.4 -> 35 degC condenser water;
    # air-cooled: 35 degC (95 F) air. ASHRAE 90.1-2019 Table 6.8.1-3 Path A minima:
    # water-cooled centrifugal 300-600 tons 0.576 kW/ton (COP 6.10); air-cooled >= 150 tons EER 10.1 (COP 2.96)
    # with the second-law efficiencies and approaches of the catalog chillers
    from facility import load_catalog
    cat = load_catalog()
    w, a = cat["chiller-water-cooled"], cat["chiller-air-cooled"]
    water = cop(279.85, 308.15, w.get("second_law_efficiency"), 2.0, w.get("condenser_approach").m_as("K"))
    air = cop(279.85, 308.15, a.get("second_law_efficiency"), 2.0, a.get("condenser_approach").m_as("K"))
    assert water == pytest.approx(6.10, rel=0.03)
    assert air == pytest.approx(2.96, rel=0.03)


def test_chiller_cop_falls_with_lift():
    t_cond = np.array([290.0, 300.0, 310.0, 320.0])
    c = cop(288.15, t_cond, 0.6)
    assert np.all(np.diff(c) < 0)


def test_no_lift_is_refused():
    with pytest.raises(ValueError, match="lift"):
        cop(300.0, 280.0, 0.6)


def test_part_load_power_is_full_at_full_load_and_zero_at_no_load():
    assert part_load_power(1e6, 1e6, 5.0) == pytest.approx(2e5)
    assert part_load_power(0.0, 1e6, 5.0) == 0.0
    assert part_load_power(5e5, 1e6, 5.0) > 0.5 * 2e5 * 0.5  # worse COP at part load


def test_pump_power_of_a_2_mw_cdu_is_a_few_percent():
    # 2 MW at 8 K rise on PG25 (~3.95 kJ/kg K, 1010 kg/m3): ~62 L/s; 300 kPa at 60 % wire-to-water
    flow = 2e6 / (1010 * 3950 * 8)
    p = pump_power(Q_(flow, "m^3/s"), Q_(300, "kPa"), 0.6).m_as("kW")
    assert 0.005 < p / 2000 < 0.04


def test_chiller_cop_is_capped_at_small_lift():
    assert cop(300.0, 300.0, 0.71, 2.0, 2.0) == 12.0  # lift 4 K: Carnot x 0.71 would give 53
