import numpy as np
import pytest

from facility.units import Q_
from models.units import DimensionError, quantity_io


@quantity_io(returns="A", power="W", voltage="V")
def _current(power, voltage):
    return power / voltage


def test_quantities_in_si_inside_quantities_out():
    assert _current(Q_(1.2, "kW"), Q_(50, "V")).m_as("A") == pytest.approx(24.0)


def test_kernel_is_reachable_without_units():
    assert _current.kernel(700.0, 0.8) == pytest.approx(875.0)


def test_vector_result_equals_scalar_results():
    p = Q_(np.array([100.0, 700.0, 1200.0]), "W")
    vec = _current(p, Q_(0.8, "V")).m_as("A")
    assert np.allclose(vec, [_current(Q_(x, "W"), Q_(0.8, "V")).m_as("A") for x in p.m])


def test_wrong_dimension_names_the_argument():
    with pytest.raises(DimensionError, match=r"argument 'voltage' needs units of \[V\].*\[length\]"):
        _current(Q_(700, "W"), Q_(0.8, "m"))


def test_bare_number_is_refused_naming_the_argument():
    with pytest.raises(DimensionError, match=r"argument 'power'.*without units"):
        _current(700.0, Q_(0.8, "V"))
