"""models.thermal.air: air density against the ICAO standard atmosphere and CoolProp, airflow against the
sensible-heat equation of ASHRAE Fundamentals."""

import CoolProp.CoolProp as CP
import numpy as np
import pytest

from models.thermal.air import R_AIR, air_density, airflow
from models.thermal.heat_rejection import CP_AIR


def test_sea_level_density_is_the_icao_standard_atmospheres_1_225_kg_per_m3():
    """ICAO Doc 7488 (Manual of the ICAO Standard Atmosphere, 3rd ed. 1993): 1.2250 kg/m3 at 101,325 Pa, 15 degC."""
    assert air_density(101325.0, 288.15) == pytest.approx(1.2250, abs=5e-4)


def test_density_agrees_with_coolprop_real_air_across_sites_and_seasons():
    """Ideal gas p / (R T) against CoolProp's Lemmon (2000) pseudo-pure air: within 0.1 % from -20 to 45 degC and
    from sea level to Golden, CO (82 kPa); vectorised over both."""
    t = np.array([253.15, 273.15, 293.15, 318.15])
    for p in (101325.0, 82000.0):
        np.testing.assert_allclose(air_density(p, t), CP.PropsSI("D", "T", t, "P", p, "Air"), rtol=1e-3)
    assert R_AIR == pytest.approx(8.314462618 / 0.0289647, rel=1e-4)  # R / M of dry air (CODATA, ISO 2533)


def test_airflow_matches_the_sensible_heat_rule_of_1_08_cfm_per_btu_h_f():
    """ASHRAE Fundamentals 2017 Ch. 1 / Ch. 18: sensible heat q [Btu/h] = 1.08 x airflow [cfm] x dT [F] for
    standard air (0.075 lb/ft3, 0.24 Btu/(lb F)). 100 kW at a 12 K rise in 1.204 kg/m3 air: within 0.5 % of it."""
    q, dt = 100e3, 12.0
    cfm = q * 3.412142 / (1.08 * dt * 1.8)
    v = airflow(q, dt, 1.204)
    assert v * 2118.88 == pytest.approx(cfm, rel=5e-3)
    assert v == pytest.approx(q / (1.204 * CP_AIR * dt), rel=1e-15)
    np.testing.assert_allclose(airflow(np.array([0.0, q, 2 * q]), dt, 1.204), [0.0, v, 2 * v], rtol=1e-15)
