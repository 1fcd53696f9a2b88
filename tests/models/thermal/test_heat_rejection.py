"""models.thermal.heat_rejection: cooling-tower water against an energy balance on CoolProp moist air, dry-cooler
fans against their airflow."""

import numpy as np
import pytest

from models.thermal.heat_rejection import (
    COIL_AIR_APPROACH,
    CP_AIR,
    FAN_MIN_SPEED,
    H_FG,
    cooler_fan_speed,
    tower_evaporation,
    tower_water,
)


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


def test_economiser_share_is_the_part_of_the_range_the_device_can_cool():
    """ASHRAE Handbook HVAC Applications 2019 Ch. 20 (water-side economiser ahead of the chiller): the share is
    (T_return - max(T_leaving, T_supply)) / (T_return - T_supply), clipped to 0..1."""
    from models.thermal.heat_rejection import economiser_share

    share = economiser_share(np.array([290.0, 300.0, 302.5, 306.0]), 295.0, 305.0)
    np.testing.assert_allclose(share, [1.0, 0.5, 0.25, 0.0], rtol=1e-12)


def test_adiabatic_pad_water_matches_an_energy_balance_on_coolprop_moist_air():
    """Pads of 85 % saturation effectiveness ahead of a 1 MW dry cooler with a 12 K air rise: the air is cooled at
    constant enthalpy (adiabatic saturation, ASHRAE Fundamentals 2017 Ch. 1), so the water taken up is
    m_air (W_after - W_in) with W_after from CoolProp HAPropsSI at the pad outlet and the inlet enthalpy. The kernel's
    sensible-heat / h_fg(25 degC) form is within 3.5 % of it (it counts ~2-3 % more: h_fg at 25 degC against the
    ~20 degC wet bulb and dry-air cp)."""
    import CoolProp.CoolProp as CP

    from models.thermal.heat_rejection import CP_AIR, adiabatic_air_temperature, adiabatic_water

    p = 101325.0
    for t_db, t_wb in ((308.15, 295.15), (313.15, 293.15), (300.15, 290.15)):
        t_air = adiabatic_air_temperature(t_db, t_wb, 0.85)
        assert t_air == pytest.approx(t_db - 0.85 * (t_db - t_wb), rel=1e-15)
        ours = adiabatic_water(1e6, t_db, t_air, t_air + 12.0)
        w_in = CP.HAPropsSI("W", "T", t_db, "P", p, "B", t_wb)
        h_in = CP.HAPropsSI("H", "T", t_db, "P", p, "W", w_in)
        w_after = CP.HAPropsSI("W", "T", t_air, "P", p, "H", h_in)
        ref = 1e6 / (CP_AIR * 12.0) * (w_after - w_in)
        assert ours == pytest.approx(ref, rel=0.035)
        assert ours > ref  # the kernel errs on the side of more water


def test_tower_fans_follow_the_cube_of_the_heat_and_stop_at_no_load():
    """Fan affinity laws (ASHRAE Handbook HVAC Systems and Equipment 2020 Ch. 21): power ~ airflow^3; a tower at
    fixed L/G moves air in proportion to its heat."""
    from models.thermal.heat_rejection import fan_power

    np.testing.assert_allclose(fan_power(np.array([0.0, 0.5e6, 1e6]), 1e6, 20e3), [0.0, 2.5e3, 20e3], rtol=1e-12)


def test_latent_heat_and_air_specific_heat_constants_are_coolprops_at_25_degc():
    """H_FG: IAPWS-95 (CoolProp) h_g - h_f of water at 25 degC, 2,441.7 kJ/kg; CP_AIR: dry air at 25 degC and
    101,325 Pa, 1.0064 kJ/(kg K) (CoolProp's Lemmon et al. 2000 air)."""
    import CoolProp.CoolProp as CP

    h_fg = CP.PropsSI("H", "T", 298.15, "Q", 1, "Water") - CP.PropsSI("H", "T", 298.15, "Q", 0, "Water")
    assert H_FG == pytest.approx(h_fg, rel=2e-4)
    assert CP_AIR == pytest.approx(CP.PropsSI("C", "T", 298.15, "P", 101325.0, "Air"), rel=1e-3)


def test_evaporative_air_coolers_follow_their_effectiveness_and_wet_only_when_needed():
    """ASHRAE Handbook HVAC Applications 2019 Ch. 53: direct media T = T_db - eps (T_db - T_wb); indirect (wet-bulb
    effectiveness) T = T_ret - eps_wb (T_ret - T_wb), dry against the dry bulb when that reaches the supply.
    At 35 / 22 degC, eps 0.85: 23.95 degC off the media; a 38 degC return with eps_wb 0.7: 28.9 degC dry (above a
    25 degC supply, so wet) -> 26.8 degC wet; its water Q / h_fg x COC / (COC - 1)."""
    from models.thermal.heat_rejection import (
        direct_evaporative_leaving,
        indirect_evaporative_leaving,
        indirect_evaporative_water,
    )

    c = 273.15
    t, wet = direct_evaporative_leaving(np.array([c + 35.0, c + 20.0]), c + 22.0 - np.array([0.0, 8.0]), c + 24.0,
                                        {"pad_effectiveness": 0.85})
    assert t[0] - c == pytest.approx(23.95, abs=1e-9) and wet.tolist() == [True, False] and t[1] == c + 20.0
    p = {"wet_bulb_effectiveness": 0.7, "cycles": 4.0}
    t, wet = indirect_evaporative_leaving(c + 25.0, c + 22.0, c + 25.0, p, t_return=c + 38.0)
    assert bool(wet) and float(t) - c == pytest.approx(38.0 - 0.7 * 16.0, abs=1e-9)
    t, wet = indirect_evaporative_leaving(c + 10.0, c + 5.0, c + 25.0, p, t_return=c + 38.0)
    assert not bool(wet) and float(t) - c == pytest.approx(38.0 - 0.7 * 28.0, abs=1e-9)
    assert indirect_evaporative_water(1e6, 0, 0, 0, True, 0, p) == pytest.approx(1e6 / H_FG * 4 / 3, rel=1e-12)
