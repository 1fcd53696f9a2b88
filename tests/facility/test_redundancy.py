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
def test_the_array_path_equals_the_scalar_path(scheme):
    """Sweeps size arrays of design points; one design takes the scalar path: both must agree exactly."""
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
