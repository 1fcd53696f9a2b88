"""One code path for one design and a batch (facility.batch): plain numbers for one design, arrays for a batch,
the same values."""

import math
import warnings

import numpy as np
import pytest

from facility import load_scenario
from facility.batch import any_point, every_point, inverse_or_zero, ratio_or, scalar, squeeze, whole
from facility.campus import design_campus
from facility.inputs import compile_inputs
from facility.plan import it_load
from tests.conftest import REPO


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


def test_whole_units_of_an_undefined_point_stay_nan_never_a_huge_negative_count():
    """A batch's NaN point (a sweep's infeasible point) has no whole units: it stays NaN (it used to become
    int64's minimum, -9223372036854775808, with a RuntimeWarning); one design of NaN is an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "invalid value encountered in cast"
        out = whole(np.array([2.5, math.nan, 7.0, math.inf]))
    assert out.dtype == np.float64 and out[0] == 3 and np.isnan(out[1]) and out[2] == 7 and out[3] == math.inf
    assert whole(np.array([2.5, 7.0])).dtype == np.int64  # all finite: whole numbers as int64
    with pytest.raises(ValueError, match="no whole number of units for nan"):
        whole(math.nan)


def test_a_batch_point_of_undefined_count_stays_nan_through_the_campus():
    s = load_scenario(REPO / "scenarios" / "default.toml")
    inp = compile_inputs(s, {"compute.deployments[0].accelerators": np.array([s.compute.deployments[0].accelerators,
                                                                              math.nan])})
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # as the sweep's task runs a batch
        r = design_campus(s, it_load(s, inp), inp)
    one = design_campus(s, it_load(s))
    assert r.load.racks[0] == one.load.racks and np.isnan(r.load.racks[1])
    assert r.load.accelerators[0] == one.load.accelerators and np.isnan(r.load.accelerators[1])
    assert r.cooling.infeasible.tolist() == [False, True]
    assert r.facility_power.m_as("W")[0] == pytest.approx(one.facility_power.m_as("W"), rel=1e-12)


def test_any_and_every_point_read_one_design_and_a_batch_alike():
    assert any_point(np.float64(2.0) > 1.0) is True and every_point(np.float64(0.5) > 1.0) is False
    assert any_point(np.array([0.0, 2.0]) > 1.0) is True and every_point(np.array([0.0, 2.0]) > 1.0) is False
    assert any_point(np.zeros(0) > 1.0) is False and every_point(np.zeros(0) > 1.0) is True  # (an empty batch)
    assert any_point(False) is False and every_point(True) is True
