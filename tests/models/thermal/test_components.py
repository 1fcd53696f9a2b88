"""Hydraulics, heat exchangers, heat rejection and chillers against libraries and published figures."""

import numpy as np
import pytest
from fluids.friction import friction_factor
from ht import NTU_from_effectiveness, effectiveness_from_NTU

from facility.units import Q_
from models.registry import leaving_temperature
from models.thermal.chiller import biquadratic, eir_chiller, eir_power, eir_terms, envelope
from models.thermal.heat_exchanger import effectiveness_counterflow, ntu_counterflow
from models.thermal.heat_rejection import (
    COIL_AIR_APPROACH,
    FAN_MIN_SPEED,
    H_FG,
    cooler_fan_speed,
    tower_evaporation,
    tower_water,
)
from models.thermal.hydraulics import friction_factor_swamee_jain, pipe_diameter, pipe_pressure_drop, pump_power


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


def _catalog_chiller(name):
    from facility import load_catalog
    return load_catalog().si(name)


def test_water_cooled_chiller_reproduces_the_energyplus_carrier_19xr_curves_at_its_reference_point():
    """EnergyPlus Chillers.idf 'ElectricEIRChiller Carrier 19XR 1407kW/6.04COP/VSD' at its reference conditions
    (6.67 degC leaving chilled water, 29.44 degC entering condenser water): CAPFT and EIRFT evaluated by hand from
    the published coefficients (0.98624, 1.01607: the fit of the manufacturer's data is within 2 % of 1), the
    power at full load Q_ref CAPFT / COP_ref x EIRFT x EIRFPLR(1), and the COP within 2 % of the published 6.04."""
    p = _catalog_chiller("chiller-water-cooled")
    x, y = 6.67, 29.44
    capft = 1.042261 + 2.644821e-3 * x - 1.468026e-3 * x * x + 1.366256e-2 * y - 8.302334e-4 * y * y \
        + 1.573579e-3 * x * y
    eirft = 1.026340 - 1.612819e-2 * x - 1.092591e-3 * x * x - 1.784393e-2 * y + 7.961842e-4 * y * y \
        - 9.586049e-5 * x * y
    assert biquadratic(p["capft"], x, y) == pytest.approx(capft, rel=1e-12)
    assert capft == pytest.approx(0.98624, abs=5e-5) and eirft == pytest.approx(1.01607, abs=5e-5)
    q_avail = 1406.6e3 * capft
    power, cap = eir_chiller(q_avail, 273.15 + x, 273.15 + y, p)
    assert cap == pytest.approx(q_avail, rel=1e-12)
    assert power == pytest.approx(q_avail / 6.04 * eirft * (1.188880e-1 + 6.723542e-1 + 2.068754e-1), rel=1e-12)
    assert q_avail / power == pytest.approx(6.04, rel=0.02)


def test_air_cooled_chiller_with_its_condenser_fans_meets_ashrae_90_1_at_ahri_conditions():
    """ASHRAE 90.1-2019 Table 6.8.1-3 Path A, air-cooled >= 150 tons: EER 10.1 (COP 2.96) at AHRI 550/590
    (6.67 degC chilled water, 35 degC air), condenser fans included; the openstudio-standards 2010 Path A curves
    are normalised there (CAPFT 1.0002, EIRFT 0.9999)."""
    p = _catalog_chiller("chiller-air-cooled")
    _, cap = eir_chiller(0.0, 279.82, 308.15, p)
    power, _ = eir_chiller(cap, 279.82, 308.15, p)
    assert cap / power == pytest.approx(2.96, rel=0.01)
    fans = p["condenser_fan_power_ratio"] * p["capacity"]
    assert 0.05 < fans / power < 0.10  # the fans are in the power, ~7 % of it


def test_chiller_power_rises_with_lift_and_false_loads_below_its_minimum_part_load():
    p = _catalog_chiller("chiller-water-cooled")
    cond = np.array([288.15, 295.15, 302.15, 305.15])
    power, _ = eir_chiller(0.8e6, 279.82, cond, p)
    assert np.all(np.diff(power / 0.8e6) > 0)
    q_avail = eir_chiller(0.0, 279.82, 302.59, p)[1]
    low, _ = eir_chiller(0.05 * q_avail, 279.82, 302.59, p)
    at_min, _ = eir_chiller(0.2 * q_avail, 279.82, 302.59, p)
    assert low == pytest.approx(at_min, rel=1e-12)  # hot-gas bypass: no saving below the unloading ratio
    assert eir_chiller(0.0, 279.82, 302.59, p)[0] == 0.0


def test_chiller_envelope_names_the_limit_and_a_warm_supply_is_served_by_a_side_stream():
    p = _catalog_chiller("chiller-water-cooled")
    assert "lift limit" in envelope(279.82, 273.15 + 36.0, p)  # above its 35 degC lift limit
    # between the curves' 32.2 degC data edge and the lift limit: the curves extrapolated, more power per heat
    assert envelope(279.82, 273.15 + 34.0, p) is None
    assert eir_chiller(1e6, 279.82, 273.15 + 34.0, p)[0] > eir_chiller(1e6, 279.82, 273.15 + 32.22, p)[0]
    assert "below the chiller's lowest leaving" in envelope(273.15 + 3.0, 300.0, p)
    assert envelope(273.15 + 29.0, 300.0, p) is None
    # a 29 degC supply: the chiller makes 10 degC water (its highest) and blends it in
    warm = eir_chiller(1e6, 273.15 + 29.0, 300.0, p)[0]
    assert warm == pytest.approx(eir_chiller(1e6, 283.15, 300.0, p)[0], rel=1e-12)


def test_tower_evaporation_matches_an_energy_balance_on_coolprop_moist_air():
    """1 MW at a 10 F range and L/G 1.2 into air at 35 degC dry bulb / 25.6 degC wet bulb: the air leaves saturated
    at h_in + Q/m_air; evaporation m_air (W_out - W_in), recomputed with CoolProp HAPropsSI (within 1 %). At this
    hot, fairly dry air state (RH 47 %) the air also gives up sensible heat (it leaves saturated at ~33 degC, below
    its 35 degC), so the evaporation exceeds both the all-latent Q/h_fg and the 0.00085 x flow x range(F) rule of
    the literature (SPX 'Cooling Tower Fundamentals', 2009), which carries an average ~90 % latent share."""
    import CoolProp.CoolProp as CP
    flow = 1e6 / (4186 * 5.556)
    t_db, t_wb, p = 308.15, 298.75, 101325.0
    e = tower_evaporation(1e6, t_db, t_wb, flow, 1.2)
    m_air = flow / 1.2
    w_in = CP.HAPropsSI("W", "T", t_db, "P", p, "B", t_wb)
    h_in = CP.HAPropsSI("H", "T", t_db, "P", p, "W", w_in)
    w_out = CP.HAPropsSI("W", "H", h_in + 1e6 / m_air, "P", p, "R", 1.0)
    assert e == pytest.approx(m_air * (w_out - w_in), rel=0.01)
    assert 1e6 / H_FG < e < 1.25 * 0.00085 * flow * 10


def test_tower_latent_share_follows_the_air_state():
    """Cold dry air takes part of the heat sensibly; hot humid air takes almost all of it as evaporation."""
    flow = 1e6 / (4186 * 5.556)
    cold = tower_evaporation(1e6, 278.15, 275.15, flow, 1.2) * H_FG / 1e6
    hot = tower_evaporation(1e6, 306.15, 300.15, flow, 1.2) * H_FG / 1e6
    assert cold < 0.85 < 0.95 < hot


def test_tower_drift_is_counted_once_in_the_make_up():
    flow = 100.0
    evap, drift, blowdown = tower_water(1.2, flow, drift_fraction=1e-3, cycles=4.0)
    assert drift == pytest.approx(0.1)
    assert blowdown == pytest.approx(1.2 / 3 - 0.1)  # liquid leaving = E/(COC-1), drift included
    assert evap + drift + blowdown == pytest.approx(1.2 * 4 / 3)


def test_cooler_fans_run_full_while_the_set_point_is_out_of_reach_and_follow_airflow_otherwise():
    """1.5 MW cooler rated at a 12 K air rise; return at 40 degC. Set point out of reach: full airflow. Air at
    10 degC: the air may rise to 40 - 2 - 10 = 28 K, so 1.5 MW needs 12/28 of the rated airflow, fan power
    (12/28)^3 = 7.9 % of rated (the old cube of the heat carried gave 100 %); tiny loads stop at the minimum speed."""
    assert cooler_fan_speed(1.5e6, 283.15, 313.15, 1.5e6, 12.0, True) == 1.0
    x = cooler_fan_speed(1.5e6, 283.15, 313.15, 1.5e6, 12.0, False)
    assert x == pytest.approx(12.0 / (40.0 - COIL_AIR_APPROACH - 10.0), rel=1e-12)
    assert cooler_fan_speed(0.01e6, 283.15, 313.15, 1.5e6, 12.0, False) == FAN_MIN_SPEED
    assert cooler_fan_speed(0.0, 283.15, 313.15, 1.5e6, 12.0, True) == 0.0


def test_pump_power_of_a_2_mw_cdu_is_a_few_percent():
    # 2 MW at 8 K rise on PG25 (~3.95 kJ/kg K, 1010 kg/m3): ~62 L/s; 300 kPa at 60 % wire-to-water
    flow = 2e6 / (1010 * 3950 * 8)
    p = pump_power(Q_(flow, "m^3/s"), Q_(300, "kPa"), 0.6).m_as("kW")
    assert 0.005 < p / 2000 < 0.04


def test_glycol_approach_factor_follows_dittus_boelter_of_ht_on_coolprop_properties():
    """A water-rated coil with PG25 at 35 degC: tube-side h from ht.conv_internal.turbulent_Dittus_Boelter
    (cooling, n = 0.3) at the same heat and range (mass flux ~ 1/cp) on CoolProp properties; the coil's UA falls
    on the fluid side's 25 % share of its resistance, the approach grows by UA_w/UA_g."""
    import CoolProp.CoolProp as CP
    from ht.conv_internal import turbulent_Dittus_Boelter

    from models.thermal.heat_exchanger import FLUID_SIDE_SHARE, glycol_approach_factor

    t, p, d, g_w = 308.15, 2e5, 0.0127, 800.0  # tube bore [m] and water mass flux [kg/(m2 s)]: they cancel
    h = {}
    for name in ("Water", "INCOMP::MPG[0.25]"):
        cp, mu, k = (CP.PropsSI(x, "T", t, "P", p, name) for x in ("C", "V", "L"))
        g = g_w * CP.PropsSI("C", "T", t, "P", p, "Water") / cp
        h[name] = (turbulent_Dittus_Boelter(g * d / mu, cp * mu / k, heating=False) * k / d, cp, mu, k)
    expect = (1 - FLUID_SIDE_SHARE) + FLUID_SIDE_SHARE * h["Water"][0] / h["INCOMP::MPG[0.25]"][0]
    got = glycol_approach_factor(*h["Water"][1:], *h["INCOMP::MPG[0.25]"][1:])
    assert got == pytest.approx(expect, rel=1e-9)
    assert 1.1 < got < 1.25
    assert glycol_approach_factor(*h["Water"][1:], *h["Water"][1:]) == pytest.approx(1.0, rel=1e-12)


def test_the_chillers_temperature_terms_once_then_the_load_give_the_same_power_bit_for_bit():
    """The year computes CAPFT and EIRFT once per hour (eir_terms) and the part load on every coupling pass
    (eir_power): the same numbers as eir_chiller in one call."""
    for name in ("chiller-water-cooled", "chiller-air-cooled"):
        p = _catalog_chiller(name)
        t_lchw = np.array([279.0, 281.0, 283.15, 290.0])
        t_cond = np.array([290.0, 300.0, 305.0, 310.0])
        load = np.array([0.0, 2e5, 8e5, 1.4e6])
        power, q_avail = eir_chiller(load, t_lchw, t_cond, p)
        cap, eir = eir_terms(t_lchw, t_cond, p)
        np.testing.assert_array_equal(cap, q_avail)
        np.testing.assert_array_equal(eir_power(load, cap, eir, p), power)
        assert power[0] == 0.0 and np.all(power[1:] > 0)


def test_mains_are_sized_within_the_velocity_and_the_friction_rate_ashrae_uses():
    """ASHRAE Fundamentals 2017 Ch. 22: water mains within a velocity limit and 100-400 Pa/m. At the diameter
    returned, neither limit is exceeded (friction from fluids' Colebrook, independent of the kernel's Swamee-Jain)
    and one of them is met: a small main (20 m3/h) is bound by friction, a large one (5,000 m3/h) by velocity."""
    rho, mu, eps = 998.0, 1.0e-3, 45e-6
    flows = np.array([20.0, 5000.0]) / 3600.0
    d = pipe_diameter(flows, 2.5, 400.0, rho, mu, eps)
    for q, di, bound in zip(flows, d, ("friction", "velocity"), strict=True):
        v = 4.0 * q / (np.pi * di**2)
        f = friction_factor(Re=rho * v * di / mu, eD=eps / di)
        rate = f * rho * v * v / (2.0 * di)
        assert v <= 2.5 * (1 + 1e-12) and rate <= 400.0 * 1.02
        if bound == "friction":
            assert rate == pytest.approx(400.0, rel=0.02) and v < 2.0  # Swamee-Jain within 2 % of Colebrook
        else:
            assert v == pytest.approx(2.5, rel=1e-12) and rate < 100.0
    assert pipe_diameter(0.0, 2.5, 400.0, rho, mu, eps) == 0.0
