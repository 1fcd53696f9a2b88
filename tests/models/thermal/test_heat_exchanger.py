"""models.thermal.heat_exchanger: effectiveness-NTU and the glycol approach factor against ht and CoolProp."""

import pytest
from ht import NTU_from_effectiveness, effectiveness_from_NTU

from models.thermal.heat_exchanger import effectiveness_counterflow, ntu_counterflow


@pytest.mark.parametrize("cr", [0.0, 0.3, 0.7, 1.0])
@pytest.mark.parametrize("ntu", [0.5, 2.0, 6.0])
def test_effectiveness_ntu_round_trip_and_agrees_with_ht(ntu, cr):
    eps = effectiveness_counterflow(ntu, cr)
    assert eps == pytest.approx(effectiveness_from_NTU(ntu, cr, "counterflow"), rel=1e-9)
    assert ntu_counterflow(eps, cr) == pytest.approx(ntu, rel=1e-9)
    assert ntu_counterflow(eps, cr) == pytest.approx(NTU_from_effectiveness(eps, cr, "counterflow"), rel=1e-9)


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


def test_cdu_effectiveness_is_the_hot_side_temperature_change_over_the_largest_possible():
    """Incropera & DeWitt, Fundamentals of Heat and Mass Transfer (6th ed.), eq. 11.20 with the hot side the
    minimum-capacity stream: eps = (Th,in - Th,out) / (Th,in - Tc,in). A 45 -> 35 degC TCS on 30 degC facility
    water needs 10 / 15; the same effectiveness from ht at the NTU our inverse returns closes the loop."""
    from models.thermal.heat_exchanger import cdu_effectiveness

    eps = cdu_effectiveness(318.15, 308.15, 303.15)
    assert eps == pytest.approx(10.0 / 15.0, rel=1e-12)
    assert effectiveness_from_NTU(ntu_counterflow(eps, 0.9), 0.9, "counterflow") == pytest.approx(eps, rel=1e-9)
