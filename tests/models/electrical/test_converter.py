"""Quadratic loss curves: fits to published points, inverse and energy closure."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from facility import load_catalog
from facility.units import Q_
from models.electrical.converter import fit_loss_coefficients, stage_input, stage_loss, stage_output

CAT = load_catalog()


def _eff(x, abc):
    a, b, c = abc
    return x / (x + a + b * x + c * x * x)


def test_adi_quarter_brick_fit_reproduces_published_points():
    # Analog Devices IBC reference design: 97.68 % at full load, 98.59 % peak
    abc = CAT.loss_coefficients("ibc-quarter-brick-2kw")
    assert _eff(1.0, abc) == pytest.approx(0.9768, abs=0.001)
    x = np.linspace(0.1, 1.0, 901)
    assert _eff(x, abc).max() == pytest.approx(0.9859, abs=0.001)


def test_power_shelf_is_97_5_percent_at_full_load():
    assert _eff(1.0, CAT.loss_coefficients("psu-orv3-5500w")) == pytest.approx(0.975, abs=0.001)


def test_ups_efficiency_falls_steeply_at_low_load():
    abc = CAT.loss_coefficients("ups-double-conversion-1250kw")
    assert _eff(0.5, abc) == pytest.approx(0.965, abs=0.002)
    assert _eff(0.1, abc) < _eff(0.25, abc) - 0.03  # the fixed losses dominate below 25 %


def test_fit_is_exact_for_a_quadratic_loss():
    a, b, c = 0.01, 0.005, 0.02
    x = np.array([0.1, 0.3, 0.6, 1.0])
    eta = x / (x + a + b * x + c * x * x)
    assert fit_loss_coefficients(x, eta) == pytest.approx((a, b, c), rel=1e-6)


@pytest.mark.parametrize("x, eta", [([0.5, 1.0], [0.9, 0.9]), ([0.1, 0.5, 1.0], [0.9, 1.2, 0.9]),
                                     ([0.0, 0.5, 1.0], [0.9, 0.95, 0.9])])
def test_fit_refuses_bad_points(x, eta):
    with pytest.raises(ValueError):
        fit_loss_coefficients(x, eta)


@given(st.floats(0.0, 5e6), st.floats(0, 1e4), st.floats(0, 0.05), st.floats(0, 1e-7))
def test_output_inverts_input_and_energy_closes(p, a, b, c):
    p_in = stage_input.kernel(p, a, b, c)
    assert p_in == pytest.approx(p + stage_loss.kernel(p, a, b, c), rel=1e-12, abs=1e-9)
    assert stage_output.kernel(p_in, a, b, c) == pytest.approx(p, rel=1e-9, abs=1e-6)


def test_units_at_the_edge():
    out = stage_output(Q_(103, "kW"), Q_(1, "kW"), 0.01, Q_(1e-7, "1/W"))
    assert out.m_as("kW") == pytest.approx(100.0)


def test_stage_coefficients_of_n_converters_follow_the_per_unit_curve():
    """n units of rating R sharing P, each at x = P/(n R): loss = n R (a + b x + c x^2) (White Paper 113 form)."""
    from models.electrical.converter import converter_coefficients

    a, b, c = 0.01, 0.02, 0.03
    (A, B, C), mass = converter_coefficients({"rating": 1.25e6, "loss_per_unit": (a, b, c)}, 4, 4, 1.0, 480.0, "ac3")
    p = 3e6
    x = p / (4 * 1.25e6)
    assert A + B * p + C * p * p == pytest.approx(4 * 1.25e6 * (a + b * x + c * x * x), rel=1e-12)
    assert mass == 0.0


def test_nnls3_equals_scipy_nnls_on_random_and_catalog_like_problems():
    """The exact enumeration solves the same non-negative least squares as scipy.optimize.nnls (Lawson-Hanson)."""
    from scipy.optimize import nnls

    from models.electrical.converter import nnls3

    rng = np.random.default_rng(12)
    for _ in range(300):
        m = int(rng.integers(3, 9))
        x = np.sort(rng.uniform(0.05, 1.5, m))
        a = np.column_stack([np.ones(m), x, x * x]) / x[:, None]
        y = rng.normal(0.0, 0.05, m)
        ours, ref = nnls3(a, y), nnls(a, y)[0]
        assert np.all(ours >= 0)
        assert np.linalg.norm(a @ ours - y) == pytest.approx(np.linalg.norm(a @ ref - y), rel=1e-9, abs=1e-12)
        np.testing.assert_allclose(ours, ref, rtol=1e-6, atol=1e-9)
