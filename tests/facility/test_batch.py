"""One code path for one design and a batch (facility.batch): plain numbers for one design, arrays for a batch,
the same values."""

import math

import numpy as np
import pytest

from facility.batch import inverse_or_zero, ratio_or, scalar, squeeze, whole


def test_one_design_gets_plain_python_numbers():
    assert type(inverse_or_zero(4)) is float and inverse_or_zero(4) == 0.25 and inverse_or_zero(0) == 0.0
    assert type(ratio_or(3.0, 4.0, 1.0)) is float and ratio_or(3.0, 4.0, 1.0) == 0.75
    assert ratio_or(3.0, 0.0, 1.0) == 1.0 and ratio_or(3.0, -2.0, 7.0) == 7.0
    assert type(whole(2.000001)) is int and whole(2.000001) == 3 and whole(2.0) == 2
    assert type(squeeze(np.float64(2.0))) is float and type(squeeze(np.int64(2))) is int
    assert type(squeeze(np.bool_(True))) is bool and type(squeeze(np.array(1.5))) is float
    assert isinstance(scalar(3), np.float64)


def test_a_batch_equals_its_points_one_by_one():
    rng = np.random.default_rng(3)
    num, den = rng.uniform(-1, 10, 100), np.concatenate([[0.0, -1.0], rng.uniform(0, 5, 98)])
    batch = ratio_or(num, den, 1.0)
    assert batch.tolist() == [ratio_or(float(a), float(b), 1.0) for a, b in zip(num, den, strict=True)]
    assert batch[0] == 1.0 and batch[2] == num[2] / den[2]
    inv = inverse_or_zero(den)
    assert inv.tolist() == [inverse_or_zero(float(b)) for b in den] and inv[0] == 0.0
    x = rng.uniform(0, 1000, 100)
    assert whole(x).dtype == np.int64 and whole(x).tolist() == [math.ceil(v) for v in x]


@pytest.mark.parametrize("value", [np.array([1.0, 2.0]), [1.0, 2.0]])
def test_arrays_stay_arrays(value):
    assert isinstance(scalar(value), np.ndarray) and isinstance(squeeze(np.asarray(value)), np.ndarray)
