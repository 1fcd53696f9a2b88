"""models.arrays.holds against numpy's own broadcasting rule (np.broadcast_shapes), on every pair of small shapes."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from models.arrays import holds

SHAPES = [(), (1,), (3,), (1, 1), (1, 3), (2, 1), (2, 3), (4, 3), (1, 2, 3), (2, 2, 3)]


def _numpy(shape, *others):
    try:
        return np.broadcast_shapes(shape, *others) == shape
    except ValueError:  # not broadcastable at all
        return False


@pytest.mark.parametrize(("shape", "other"), list(itertools.product(SHAPES, SHAPES)))
def test_holds_is_numpys_broadcast_that_does_not_grow_the_shape(shape, other):
    assert holds(shape, np.zeros(other)) == _numpy(shape, other)


def test_numbers_and_none_always_fit_and_every_value_must():
    assert holds((2, 3), 1.0, None, 4, np.float64(2.0), np.zeros((1, 3)))
    assert not holds((2, 3), 1.0, np.zeros((2, 1)), np.zeros((3, 3)))
    assert holds((), 1.0) and not holds((), np.zeros(1))
    for a, b in itertools.product(SHAPES, SHAPES):
        assert holds((2, 2, 3), np.zeros(a), np.zeros(b)) == _numpy((2, 2, 3), a, b)


def test_lists_and_tuples_count_by_numpys_shape_and_a_kernel_takes_them():
    """A list of numbers is an array to numpy: a kernel's in-place test must see its shape (the review's case)."""
    from models.electrical.converter import stage_loss

    assert holds((2,), [1.0, 2.0]) and not holds((1,), [1.0, 2.0]) and not holds((3,), (1.0, 2.0))
    got = stage_loss.kernel(np.array([1e5]), [1.0, 2.0], 0.01, 0.0)
    np.testing.assert_array_equal(got, np.array([1.0, 2.0]) + 0.01 * 1e5 + 0.0)
