"""Helpers for code that runs on one design point or on a batch of them (a sweep's chunk): one code path for both.

A design quantity is a number for one design, or an array of shape (P,) for a batch of P points; hourly
quantities are (H,) or (P, H). The sizing computes on numpy scalars (``np.float64``: ~50-100 ns an operation,
where a one-element array costs ~1 us) or arrays through the same operations, and a result is squeezed back to a
plain Python number for one design (:func:`squeeze`) — no branch on the shape (:mod:`facility.sweep`):

>>> column(np.array([1.0, 2.0])).shape, column(3.0)
((2, 1), 3.0)
>>> inverse_or_zero(np.array([0.0, 4.0])), inverse_or_zero(0)
(array([0.  , 0.25]), 0.0)
>>> ratio_or(np.array([1.0, 2.0]), np.array([0.0, 4.0]), 1.0), ratio_or(3.0, 0.0, 1.0)
(array([1. , 0.5]), 1.0)
>>> whole(2.5), whole(np.array([0.5, 2.0]))
(3, array([1, 2]))
>>> scalar(3), scalar(np.array([1.0, 2.0]))
(np.float64(3.0), array([1., 2.]))
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["any_point", "as_float", "column", "every_point", "inverse_or_zero", "ratio_or", "scalar", "squeeze", "whole"]

_TINY = np.finfo(float).tiny  # the smallest normal float: 1 / _TINY is finite


def scalar(x):
    """A number or array as float64: a numpy scalar for one design (fast scalar arithmetic, and the array
    methods such as ``.any()``), the array itself (P,) for a batch."""
    return np.asarray(x, dtype=float)[()]


def squeeze(x):
    """A result of one design (a numpy scalar or 0-d array) back to a plain Python number (float, int or bool,
    as its dtype); a batch's arrays and plain numbers unchanged."""
    return x.item() if getattr(x, "ndim", None) == 0 else x


def as_float(x):
    """A 0-d result back to a Python float (one design keeps plain numbers); arrays stay arrays."""
    return float(x) if np.ndim(x) == 0 else x


def column(x):
    """Design values of a batch (shape (P,)) as a column (P, 1) against hours (H,); scalars unchanged."""
    return np.asarray(x)[..., None] if np.ndim(x) > 0 else x


def inverse_or_zero(n):
    """1 / n, and 0 where n is 0 (e.g. no units in service: no loss): a float for one design, an array for a
    batch."""
    n = scalar(n)
    return squeeze((n > 0) / np.fmax(n, _TINY))  # True / n is 1 / n; False / n is 0 (NaN counts: 0)


def ratio_or(num, den, default: float):
    """num / den, and ``default`` where den is not positive: a float for one design, an array for a batch."""
    num, den = scalar(num), scalar(den)
    pos = den > 0
    return squeeze(np.where(pos, num / (den * pos + ~pos), default))  # (den where positive, else 1: no 0 / 0)


def any_point(mask) -> bool:
    """Whether any point's flag is set: one design's numpy bool (read as it is: ~50 ns, where the array method
    ``.any()`` of a numpy scalar costs ~1 us through numpy's reductions) or a batch's array."""
    return bool(mask) if getattr(mask, "ndim", 0) == 0 else bool(mask.any())


def every_point(mask) -> bool:
    """Whether every point's flag is set (see :func:`any_point`)."""
    return bool(mask) if getattr(mask, "ndim", 0) == 0 else bool(mask.all())


def whole(x):
    """Whole units: the ceiling of one value (an int) or of every point of a batch (an int64 array).

    A batch with an undefined point (NaN, e.g. the load of a sweep's infeasible point; or an infinite one) keeps
    it: the ceilings come back as a float64 array with that point NaN (or inf), the sweep's mark of an
    infeasible point, never cast to int64 (where NaN becomes -9223372036854775808, a count no output may show).
    One design of an undefined quantity has no whole units: a ``ValueError`` (as ``math.ceil`` raises).
    """
    c = np.ceil(scalar(x))
    if c.ndim == 0:  # one design: its number, squeezed here (numpy's isfinite, all and astype cost ~1 us each)
        if not math.isfinite(c):
            raise ValueError(f"no whole number of units for {float(c)}; expected a finite quantity")
        return int(c)
    return c.astype(np.int64) if c.size == 0 or np.isfinite(c).all() else c
