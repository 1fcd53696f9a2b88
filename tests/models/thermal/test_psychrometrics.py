"""models.thermal.psychrometrics: wet bulb, dew point, humidity ratio and enthalpy against CoolProp HAPropsSI."""

import CoolProp.CoolProp as CP
import numpy as np
import pytest

from facility.units import Q_
from models.thermal.psychrometrics import dew_point, enthalpy, humidity_ratio, wet_bulb, wet_bulb_kernel


def test_wet_bulb_matches_coolprop_over_a_grid():
    t = np.linspace(273.65, 323.15, 12)
    rh = np.linspace(0.05, 1.0, 9)
    tt, rr = np.meshgrid(t, rh)
    for p in (101325.0, 82000.0):  # sea level and Golden, CO (1.8 km)
        ours = wet_bulb_kernel(tt, rr, p)
        ref = np.vectorize(lambda a, b, p=p: CP.HAPropsSI("Twb", "T", a, "R", b, "P", p))(tt, rr)
        above = ref > 274.15  # wet bulb above freezing: the range that matters for heat rejection
        assert np.max(np.abs(ours - ref)[above]) < 0.08
        # near 0 degC the ice/water branches of the two formulations differ by up to ~0.7 K
        assert np.max(np.abs(ours - ref)) < 0.8


def test_dew_point_humidity_ratio_and_enthalpy_match_coolprop():
    t, rh, p = 308.15, 0.5, 101325.0
    assert dew_point(Q_(t, "K"), rh).m_as("K") == pytest.approx(CP.HAPropsSI("Tdp", "T", t, "R", rh, "P", p), abs=0.05)
    w = humidity_ratio(Q_(t, "K"), rh, Q_(p, "Pa"))
    # CoolProp includes the enhancement factor (~1.004) that ASHRAE's ideal-gas eq. (20) leaves out
    assert w == pytest.approx(CP.HAPropsSI("W", "T", t, "R", rh, "P", p), rel=6e-3)
    # CoolProp's enthalpy has another reference state; compare differences between two states
    h1, h2 = enthalpy(Q_(t, "K"), w), enthalpy(Q_(293.15, "K"), 0.008)
    ref = CP.HAPropsSI("H", "T", t, "W", w, "P", p) - CP.HAPropsSI("H", "T", 293.15, "W", 0.008, "P", p)
    assert (h1 - h2).m_as("J/kg") == pytest.approx(ref, rel=5e-3)


def test_saturated_air_wet_bulb_equals_dry_bulb():
    assert wet_bulb(Q_(30, "degC"), 1.0, Q_(101325, "Pa")).m_as("degC") == pytest.approx(30, abs=1e-6)


def test_humidity_ratio_from_wet_bulb_and_saturated_air_by_enthalpy_match_coolprop():
    """The SI kernels the tower's evaporation uses, against CoolProp HAPropsSI at 101,325 Pa: humidity ratio from
    dry and wet bulb within 1 % (ASHRAE eq. 35 vs CoolProp's real-gas formulation), the temperature of saturated
    air of a given enthalpy within 0.1 K (enthalpies taken from CoolProp relative to dry air at 0 degC)."""
    from models.thermal.psychrometrics import (
        enthalpy_kernel,
        humidity_ratio_from_wet_bulb,
        saturation_humidity_ratio,
        saturation_temperature_from_enthalpy,
    )
    p = 101325.0
    for t_db, t_wb in ((278.15, 275.15), (293.15, 288.15), (306.15, 300.15), (313.15, 297.15)):
        ref = CP.HAPropsSI("W", "T", t_db, "P", p, "B", t_wb)
        assert humidity_ratio_from_wet_bulb(t_db, t_wb, p) == pytest.approx(ref, rel=0.01)
    h0 = CP.HAPropsSI("H", "T", 273.15, "P", p, "W", 0.0)
    for t in (283.15, 298.15, 308.15):
        h = CP.HAPropsSI("H", "T", t, "P", p, "R", 1.0) - h0
        assert saturation_temperature_from_enthalpy(h, p) == pytest.approx(t, abs=0.1)
        assert saturation_humidity_ratio(t, p) == pytest.approx(CP.HAPropsSI("W", "T", t, "P", p, "R", 1.0), rel=0.01)
        w = saturation_humidity_ratio(t, p)
        assert enthalpy_kernel(t, w) == pytest.approx(h, rel=0.01)


def test_saturation_pressure_over_water_matches_coolprops_iapws_95():
    """ASHRAE Fundamentals 2017 Ch. 1 eq. 6 (Hyland & Wexler 1983) against CoolProp's IAPWS-95 saturation curve:
    within 0.03 % from the triple point to 70 degC."""
    from models.thermal.psychrometrics import saturation_pressure

    t = np.linspace(273.16, 343.15, 15)
    ours = saturation_pressure(Q_(t, "K")).m_as("Pa")
    np.testing.assert_allclose(ours, CP.PropsSI("P", "T", t, "Q", 0, "Water"), rtol=3e-4)


def test_relative_humidity_inverts_humidity_ratio():
    from models.thermal.psychrometrics import relative_humidity

    t, p = Q_(np.array([280.0, 300.0, 315.0]), "K"), Q_(90000.0, "Pa")
    rh = np.array([0.1, 0.5, 0.95])
    np.testing.assert_allclose(relative_humidity(t, humidity_ratio(t, rh, p), p), rh, rtol=1e-12)


def _bisection(h, p):
    """The former solver, 40 halvings of -40..80 degC: the reference the Newton solver must meet to 1e-10 K."""
    from models.thermal.psychrometrics import enthalpy_kernel, saturation_humidity_ratio

    lo = np.full(np.broadcast(h, p).shape, 233.15)
    hi = np.full(lo.shape, 353.15)
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        high = enthalpy_kernel(mid, saturation_humidity_ratio(mid, p)) > h
        hi, lo = np.where(high, mid, hi), np.where(high, lo, mid)
    return 0.5 * (lo + hi)


@pytest.mark.parametrize("p", [101325.0, 83000.0, np.array([[101325.0], [70000.0]])])
def test_saturation_temperature_from_enthalpy_solves_its_equation_and_meets_the_bisection(p):
    """Newton from a tabulated first guess: the root of h_s(T) = h to round-off, equal to 40 halvings to 2e-10 K
    (over -40..80 degC, across the ice/water switch at 0 degC), the range's bounds outside it, NaN for NaN."""
    from models.thermal.psychrometrics import (
        SATURATION_RANGE,
        _saturated_enthalpy,
        enthalpy_kernel,
        saturation_humidity_ratio,
        saturation_temperature_from_enthalpy,
    )

    t = np.linspace(233.3, 353.0, 4001)
    h = enthalpy_kernel(t, saturation_humidity_ratio(t, p))
    got = saturation_temperature_from_enthalpy(h, p)
    np.testing.assert_allclose(got, np.broadcast_to(t, got.shape), rtol=0, atol=1e-9)
    np.testing.assert_allclose(got, _bisection(h, p), rtol=0, atol=2e-10)
    # the analytic derivative against a central difference
    _, df = _saturated_enthalpy(t, p)
    fd = (_saturated_enthalpy(t + 1e-4, p)[0] - _saturated_enthalpy(t - 1e-4, p)[0]) / 2e-4
    away = np.abs(t - 273.15) > 1e-3  # (not across the ice/water switch)
    np.testing.assert_allclose(np.broadcast_to(df, fd.shape)[np.broadcast_to(away, fd.shape)],
                               fd[np.broadcast_to(away, fd.shape)], rtol=1e-6)
    edge = saturation_temperature_from_enthalpy(np.array([-1e6, 1e8, np.nan]), 101325.0)
    assert edge[0] == SATURATION_RANGE[0] and edge[1] == SATURATION_RANGE[1] and np.isnan(edge[2])
