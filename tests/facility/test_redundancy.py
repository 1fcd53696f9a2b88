"""Redundancy schemes on worked examples: 10 MW of load on 1 MW units."""

import math

import numpy as np
import pytest

from facility.redundancy import size_units


@pytest.mark.parametrize("scheme, required, installed, normal, failed, overload", [
    ("N", 10, 10, 1.0, 10 / 9, True),
    ("N+1", 10, 11, 10 / 11, 1.0, False),
    ("N+2", 10, 12, 10 / 12, 10 / 11, False),
    ("2N", 10, 20, 0.5, 1.0, False),            # a whole side lost: the other side carries all
    ("2(N+1)", 10, 22, 10 / 22, 10 / 11, False),
    ("4N/3", 10, 16, 10 / 16, 10 / 4 / 3, False),  # 4 groups of 4; a failure spreads 2.5 MW over 3 units
    ("3N/2", 10, 15, 10 / 15, 1.0, False),
    ("catcher 4+1", 10, 15, 10 / 12, 10 / 12, False),  # 3 blocks of 4 active + 1 catcher each
])
def test_schemes_on_a_worked_example(scheme, required, installed, normal, failed, overload):
    r = size_units(10e6, 1e6, scheme)
    assert (r.units_required, r.units_installed) == (required, installed)
    assert r.loading_normal == pytest.approx(normal)
    assert r.loading_failed == pytest.approx(failed)
    assert r.overload_on_failure is overload


def test_distributed_redundant_4_3_loads_units_to_75_percent():
    r = size_units(3e6, 1e6, "4N/3")
    assert (r.units_installed, r.loading_normal, r.loading_failed) == (4, 0.75, 1.0)


def test_a_single_unit_at_n_loses_the_load_on_failure():
    r = size_units(0.5e6, 1e6, "N")
    assert r.units_installed == 1 and math.isinf(r.loading_failed) and r.overload_on_failure


def test_no_load_needs_no_units():
    assert size_units(0.0, 1e6, "2N").units_installed == 0


@pytest.mark.parametrize("scheme", ["N+3", "2N+1", "3N/3", "catcher 0+1", "", "nine"])
def test_unknown_schemes_are_refused(scheme):
    with pytest.raises(ValueError, match=r"scheme|redundant|catcher"):
        size_units(1e6, 1e6, scheme)


@pytest.mark.parametrize("scheme", ["N", "N+1", "N+2", "2N", "2(N+1)", "4N/3", "3N/2", "catcher 4+1"])
def test_a_batch_equals_its_points_sized_one_by_one(scheme):
    """Sweeps size arrays of design points, one design a numpy scalar, through one path: they agree exactly."""
    rng = np.random.default_rng(7)
    loads = np.concatenate([[0.0, 1e6, 2e6, 3e6 - 1e-3, 0.5e6], rng.uniform(0, 2e7, 200)])
    batch = size_units(loads, 1e6, scheme)
    for i, load in enumerate(loads):
        one = size_units(float(load), 1e6, scheme)
        assert (one.units_required, one.units_installed, one.units_in_service, one.overload_on_failure) == (
            batch.units_required[i], batch.units_installed[i], batch.units_in_service[i],
            batch.overload_on_failure[i]), (scheme, load)
        assert one.loading_normal == batch.loading_normal[i]
        assert one.loading_failed == batch.loading_failed[i] or (math.isinf(one.loading_failed)
                                                                and math.isinf(batch.loading_failed[i]))


def _by_hand(load: float, rating: float, scheme: str):
    """The module table in plain floats (the former one-design path, kept here as the reference)."""
    n = math.ceil(load / rating * (1 - 1e-12)) if load > 0 else 0
    if n == 0:
        return 0, 0, 0, 0.0, 0.0, False
    s = scheme.replace(" ", "")
    if s == "N":
        inst, serv, surv = n, n, n - 1
    elif s in ("N+1", "N+2"):
        inst = n + int(s[-1])
        serv, surv = inst, inst - 1
    elif s == "2N":
        inst, serv, surv = 2 * n, 2 * n, n
    elif s == "2(N+1)":
        inst, serv, surv = 2 * (n + 1), 2 * (n + 1), n + 1
    elif s.startswith("catcher"):
        y = int(s[len("catcher"):-2])
        g = math.ceil(n / y)
        inst, serv, surv = g * (y + 1), g * y, g * y
    else:
        x, y = (int(v) for v in s.split("N/"))
        g = math.ceil(n / y)
        inst, serv, surv = g * x, g * x, g * (x - 1)
    failed = load / (surv * rating) if surv > 0 else math.inf
    return n, inst, serv, load / (serv * rating), failed, failed > 1 + 1e-9


@pytest.mark.parametrize("scheme", ["N", "N+1", "N+2", "2N", "2(N+1)", "4N/3", "3N/2", "catcher 4+1"])
def test_one_design_gets_plain_numbers_equal_to_the_table_by_hand(scheme):
    """One path for one design and a batch: one design's fields come back as int, float and bool (squeezed at
    the result), bit for bit the module table computed by hand in plain floats."""
    rng = np.random.default_rng(11)
    for load in [0.0, 0.4e6, 1e6, 2e6, 3e6 - 1e-3, *rng.uniform(0, 2e7, 50)]:
        r = size_units(float(load), 1e6, scheme)
        assert type(r.units_required) is int and type(r.units_installed) is int and type(r.units_in_service) is int
        assert type(r.loading_normal) is float and type(r.loading_failed) is float
        assert type(r.overload_on_failure) is bool
        assert (r.units_required, r.units_installed, r.units_in_service, r.loading_normal, r.loading_failed,
                r.overload_on_failure) == _by_hand(float(load), 1e6, scheme), (scheme, load)


def test_a_batch_counts_no_units_for_nan_loads_and_refuses_bad_values():
    r = size_units(np.array([math.nan, 2.5e6]), 1e6, "N+1")
    assert r.units_installed.tolist() == [0, 4] and r.loading_normal.tolist() == [0.0, 2.5 / 4]
    assert r.loading_failed.tolist() == [0.0, 2.5 / 3] and r.overload_on_failure.tolist() == [False, False]
    with pytest.raises(ValueError, match="rating must be positive"):
        size_units(np.array([1.0, 2.0]), np.array([1.0, 0.0]), "N")
    with pytest.raises(ValueError, match="must not be negative"):
        size_units(-1.0, 1.0, "N")
