"""Transformer losses against the regulatory tables and hand calculations."""

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from facility import load_catalog
from facility.units import Q_
from models.electrical.transformer import (
    DOE_LIQUID_IMMERSED_3PH_2016,
    doe_efficiency,
    load_loss_from_impedance,
    peak_efficiency_index,
    transformer_efficiency,
    transformer_losses,
)

CAT = load_catalog()


def test_losses_are_no_load_plus_load_loss_times_loading_squared():
    loss = transformer_losses(Q_(1250, "kVA"), Q_(2500, "kVA"), Q_(2.2, "kW"), Q_(14.0, "kW"))
    assert loss.m_as("kW") == pytest.approx(2.2 + 14.0 / 4)


def test_no_load_gives_the_core_loss_only():
    assert transformer_losses(Q_(0, "kVA"), Q_(2500, "kVA"), Q_(2.2, "kW"), Q_(14, "kW")).m_as("kW") == 2.2


def test_unit_substation_meets_doe_10_cfr_431_196_at_50_percent():
    # 10 CFR 431.196(b)(2), three-phase liquid-immersed, 2,500 kVA: 99.53 % at 50 % load, unity PF
    e = CAT["unit-substation-2500kva"]
    eta = doe_efficiency(e.get("rating"), e.get("no_load_loss"), e.get("load_loss"), 0.5)
    assert eta >= DOE_LIQUID_IMMERSED_3PH_2016[2500] / 100
    assert eta == pytest.approx(1250 / (1250 + 2.2 + 0.25 * 14.0))


def test_doe_table_is_monotonic_in_size():
    values = [DOE_LIQUID_IMMERSED_3PH_2016[k] for k in sorted(DOE_LIQUID_IMMERSED_3PH_2016)]
    assert values == sorted(values) and values[0] == 98.65 and values[-1] == 99.53


def test_hv_transformer_meets_eu_548_2014_tier_2_pei():
    # Regulation (EU) 548/2014 Annex I Table I.4, Tier 2: PEI >= 99.737 % for >= 100 MVA liquid-immersed
    e = CAT["hv-mv-transformer-100mva"]
    pei = peak_efficiency_index(e.get("rating"), e.get("no_load_loss"), e.get("load_loss"))
    assert pei >= 0.99737
    assert pei == pytest.approx(1 - 2 * np.sqrt(50 * 300) / 100_000)


def test_peak_efficiency_at_sqrt_p0_over_pk_equals_pei():
    s, p0, pk = Q_(2500, "kVA"), Q_(2.2, "kW"), Q_(14.0, "kW")
    res = minimize_scalar(lambda x: -transformer_efficiency(Q_(x * 2500, "kW"), s, p0, pk), bounds=(0.05, 1.0),
                          method="bounded")
    assert res.x == pytest.approx(np.sqrt(2.2 / 14.0), rel=1e-3)
    # PEI counts the peak losses against the output: PEI = 1 - 2 sqrt(P0 Pk)/S, efficiency = 1 / (2 - PEI)
    assert -res.fun == pytest.approx(1 / (2 - peak_efficiency_index(s, p0, pk)), abs=1e-9)


def test_load_loss_from_impedance_is_the_resistive_part():
    # 5.75 % impedance, X/R = 7: R = 0.0575 / sqrt(50) = 0.813 % of 2,500 kVA = 20.33 kW
    assert load_loss_from_impedance(Q_(2500, "kVA"), 0.0575, 7.0).m_as("kW") == pytest.approx(20.329, rel=1e-4)


def test_vector_efficiency_equals_scalar():
    p = Q_(np.array([100.0, 1000.0, 2400.0]), "kW")
    vec = transformer_efficiency(p, Q_(2500, "kVA"), Q_(2.2, "kW"), Q_(14.0, "kW"), 0.98)
    scal = [transformer_efficiency(Q_(x, "kW"), Q_(2500, "kVA"), Q_(2.2, "kW"), Q_(14.0, "kW"), 0.98) for x in p.m]
    assert np.allclose(vec, scal)


def test_stage_coefficients_of_shared_transformers_equal_their_iec_losses():
    """Three 2,500 kVA units (P0 2.5 kW, Pk 20 kW) sharing 4 MW at pf 0.95: A + C P^2 = 3 (P0 + Pk (S/(3 Sr))^2)
    (IEC 60076-1), S = P / pf."""
    from models.electrical.transformer import transformer_coefficients, transformer_losses

    p = {"rating": 2.5e6, "no_load_loss": 2.5e3, "load_loss": 20e3}
    (a, b, c), mass = transformer_coefficients(p, 3, 3, 0.95, 480.0, "ac3")
    load = 4e6
    each = transformer_losses.kernel(load / 0.95 / 3, 2.5e6, 2.5e3, 20e3)
    assert a + b * load + c * load * load == pytest.approx(3 * each, rel=1e-12)
    assert mass == 0.0
    assert transformer_coefficients(p, 0, 0, 0.95, 480.0, "ac3")[0] == (0, 0.0, 0.0)  # none in service: no loss
