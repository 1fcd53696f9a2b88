"""facility.compiled: a sized campus compiled once to SI columns (P, 1), and the fast Quantity edges."""

from __future__ import annotations

import numpy as np
import pytest

import facility
from facility.compiled import col, compile_year, quantity, si
from facility.simulate import year_arrays
from facility.units import Q_
from facility.weather import HOURS

from ..conftest import REPO


@pytest.fixture(scope="module")
def default():
    return facility.run(facility.load_scenario(REPO / "scenarios" / "default.toml"), year=False)


@pytest.mark.parametrize("q, unit", [(Q_(1.5, "W"), "W"), (Q_(2.0, "kW"), "W"), (Q_(20.0, "degC"), "K"),
                                     (Q_(np.array([1.0, 2.0]), "MW"), "W"), (Q_(3.0, "m^3/s"), "m^3/s")])
def test_si_equals_pints_conversion(q, unit):
    assert np.array_equal(si(q, unit), q.m_as(unit))


@pytest.mark.parametrize("value, unit", [(3.0, "W"), (7, "kg"), (np.float64(2.5), "K"), (np.arange(3.0), "m^3/s"),
                                         ([1.0, 2.0], "Pa"), (np.int64(4), "A")])
def test_quantity_equals_a_pint_quantity(value, unit):
    a, b = quantity(value, unit), Q_(value, unit)
    assert type(a) is type(b) and a.units == b.units
    assert np.array_equal(np.asarray(a.magnitude), np.asarray(b.magnitude))
    assert np.array_equal(np.asarray((a + b).m_as(unit)), np.asarray(2 * b.m_as(unit)))
    assert f"{a:~P}" == f"{b:~P}"


def test_col_makes_columns_of_one_design_and_of_a_batch():
    assert col(3.0).shape == (1, 1) and col(np.array([1.0, 2.0])).shape == (2, 1)


def test_one_design_compiles_to_columns_of_one_point(default):
    c = compile_year(default)
    assert not c.batch and c.points == 1
    assert c.it_power.shape == (1, 1) and c.it_power[0, 0] == default.power.it_power.m_as("W")
    assert c.cooling_power[0, 0] == default.cooling.cooling_power.m_as("W")
    for stage in (*c.chain.it, *c.chain.mechanical, *c.chain.trunk):
        assert all(np.shape(x) == (1, 1) for x in stage.abc)
    assert set(c.loops) == {lp.key for lp in default.cooling.loops}
    assert default.compiled() is default.compiled()  # compiled once per result


def test_the_year_of_one_design_is_squeezed_to_hours(default):
    y = year_arrays(default)
    assert y.it_power.shape == (HOURS,) and y.chain.grid_import.shape == (HOURS,)
    assert all(v.shape == (HOURS,) for v in y.chain.stage_loss.values())
    assert all(np.shape(v) == (HOURS,) for k, v in y.cooling.items())
    assert all(op.pump_power.shape == (HOURS,) for op in y.loops.values())
    # energy closes every hour on the one path
    c = y.chain
    closes = c.delivered_to_chips + c.delivered_to_overhead_it + c.in_rack_loss + c.electrical_loss + c.mechanical
    np.testing.assert_allclose(c.grid_import, closes, rtol=1e-12)


def test_chain_evaluation_keeps_the_shape_of_its_loads(default):
    p = default.power
    it = p.it_power.m_as("W")
    one = p.evaluate_chain(it, 1e6)
    assert np.shape(one.grid_import) == ()
    hours = p.evaluate_chain(np.full(5, it), np.full(5, 1e6))
    assert hours.grid_import.shape == (5,) and all(v.shape == (5,) for v in hours.stage_loss.values())
    assert hours.grid_import[0] == pytest.approx(float(one.grid_import), rel=1e-15)
