"""Storage kernels: ramp limits, state of charge, limited dispatch (models.electrical.storage)."""

import numpy as np
import pytest

from models.electrical.storage import dispatch_with_limits, rate_limit, state_of_charge, step_energy


def _sequential_limiter(x, dt, r):
    """Independent reference: the textbook sample-by-sample rate limiter."""
    y = [x[0]]
    for v in x[1:]:
        y.append(min(max(v, y[-1] - r * dt), y[-1] + r * dt))
    return np.array(y)


def test_a_step_held_to_a_ramp_needs_dp_squared_over_2r_of_energy():
    # hand-computed: 100 MW held to 10 MW/s -> the triangle 100 MW x 10 s / 2 = 500 MJ = dP^2 / (2 R)
    dt, dp, r = 1e-3, 100e6, 10e6
    load = np.where(np.arange(0, 30.0, dt) >= 1.0, dp, 0.0)
    grid = rate_limit(load, dt, r)
    b = load - grid
    energy = state_of_charge(b, dt, 0.0)
    assert -energy.min() == pytest.approx(500e6, rel=1e-3)
    assert step_energy(dp, r) == 500e6
    assert np.max(np.diff(grid)) <= r * dt * (1 + 1e-12)
    assert grid[-1] == dp  # the grid ends carrying the whole step


def test_rate_limit_keeps_both_limits_on_a_random_load():
    rng = np.random.default_rng(3)
    x = np.cumsum(rng.normal(0, 5.0, 20_000)) + rng.choice([0.0, 80.0], 20_000)
    y = rate_limit(x, 0.01, ramp_up=100.0, ramp_down=50.0)
    d = np.diff(y)
    assert d.max() <= 100.0 * 0.01 + 1e-9 and d.min() >= -50.0 * 0.01 - 1e-9


def test_rate_limit_equals_the_sequential_limiter_on_separated_steps():
    t = np.arange(0, 60.0, 0.01)
    x = 10.0 * ((t > 5) & (t < 25)) - 6.0 * (t > 40)
    assert np.allclose(rate_limit(x, 0.01, 2.0), _sequential_limiter(x, 0.01, 2.0), atol=1e-9)


def test_a_slow_signal_passes_the_rate_limit_unchanged():
    t = np.arange(0, 100.0, 0.01)
    x = 5.0 * np.sin(2 * np.pi * t / 50.0)  # largest slope 0.63 /s
    assert np.allclose(rate_limit(x, 0.01, 1.0), x, rtol=0, atol=1e-12)


def test_a_round_trip_returns_the_product_of_the_efficiencies():
    b = np.r_[np.full(100, -1e6), np.full(100, 0.0)]  # charge 1 MW for 100 s
    e = state_of_charge(b, 1.0, 0.0, eta_charge=0.95, eta_discharge=0.9)
    stored = e[-1]
    assert stored == pytest.approx(0.95e8)
    out = stored * 0.9  # what discharging all of it gives back
    assert out / 1e8 == pytest.approx(0.95 * 0.9)


def test_limited_dispatch_keeps_power_and_energy_in_their_limits_and_closes_energy():
    rng = np.random.default_rng(5)
    req = rng.normal(0, 3.0, 5000)
    b, e = dispatch_with_limits(req, dt=0.1, power_max=2.5, energy_max=20.0, energy_0=10.0, energy_min=2.0,
                                eta_charge=0.95, eta_discharge=0.95)
    assert np.abs(b).max() <= 2.5 + 1e-12
    assert e.min() >= 2.0 - 1e-9 and e.max() <= 20.0 + 1e-9
    assert np.allclose(e, state_of_charge(b, 0.1, 10.0, 0.95, 0.95))  # the stored energy is what flowed in and out
    assert np.any(np.abs(b) < np.abs(req))  # the limits did bind


def test_unlimited_dispatch_delivers_the_request():
    req = np.sin(np.linspace(0, 20, 1000))
    b, _ = dispatch_with_limits(req, dt=0.1, power_max=10.0, energy_max=1e3, energy_0=500.0)
    assert np.array_equal(b, req)


def test_bad_storage_parameters_are_refused():
    with pytest.raises(ValueError, match="ramp"):
        rate_limit([0.0, 1.0], 0.01, 0.0)
    with pytest.raises(ValueError, match="efficiencies"):
        state_of_charge([1.0], 1.0, 0.0, eta_charge=1.2)
    with pytest.raises(ValueError, match="energy_0"):
        dispatch_with_limits([1.0], 1.0, 1.0, 10.0, energy_0=11.0)
