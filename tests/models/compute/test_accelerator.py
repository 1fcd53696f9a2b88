import numpy as np
import pytest

from facility.units import Q_
from models.compute import core_current, power_at_utilization


def test_h100_at_core_voltage_draws_875_amperes():
    # 700 W delivered at a 0.8 V core rail: I = P / V = 875 A (the checkpoint)
    assert core_current(Q_(700, "W"), Q_(0.8, "V")).m_as("A") == pytest.approx(875.0)


def test_rack_at_50_volts_draws_2_4_kiloamperes():
    assert core_current(Q_(120, "kW"), Q_(50, "V")).m_as("kA") == pytest.approx(2.4)


def test_linear_power_model_limits():
    # Fan, Weber & Barroso 2007: P(0) = idle, P(1) = max
    assert power_at_utilization(0.0, Q_(100, "W"), Q_(700, "W")).m_as("W") == 100
    assert power_at_utilization(1.0, Q_(100, "W"), Q_(700, "W")).m_as("W") == 700


def test_linear_power_model_vector_equals_scalar():
    u = np.linspace(0, 1, 11)
    vec = power_at_utilization(u, Q_(100, "W"), Q_(700, "W")).m_as("W")
    assert np.allclose(vec, [power_at_utilization(x, Q_(100, "W"), Q_(700, "W")).m_as("W") for x in u])


@pytest.mark.parametrize("u", [-0.1, 1.5])
def test_utilisation_outside_0_1_is_refused(u):
    with pytest.raises(ValueError, match=r"0\.\.1"):
        power_at_utilization(u, Q_(100, "W"), Q_(700, "W"))


def test_nonpositive_core_voltage_is_refused():
    with pytest.raises(ValueError, match="positive"):
        core_current(Q_(700, "W"), Q_(0, "V"))
