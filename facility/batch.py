"""Helpers for code that runs on one design point or on a batch of them (a sweep's chunk).

A design quantity is a Python float for one design, or an array of shape (P,) for a batch of P points; hourly
quantities are (H,) or (P, H). These helpers keep one code path for both (:mod:`facility.sweep`):

>>> column(np.array([1.0, 2.0])).shape, column(3.0)
((2, 1), 3.0)
>>> inverse_or_zero(np.array([0.0, 4.0])), inverse_or_zero(0)
(array([0.  , 0.25]), 0.0)
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["as_float", "column", "inverse_or_zero", "ratio_or", "whole"]


def as_float(x):
    """A 0-d result back to a Python float (one design keeps plain numbers); arrays stay arrays."""
    return float(x) if np.ndim(x) == 0 else x


def column(x):
    """Design values of a batch (shape (P,)) as a column (P, 1) against hours (H,); scalars unchanged."""
    return np.asarray(x)[..., None] if np.ndim(x) > 0 else x


def inverse_or_zero(n):
    """1 / n, and 0 where n is 0 (e.g. no units in service: no loss); scalars stay Python floats."""
    if np.ndim(n) == 0:
        return 1.0 / n if n else 0.0
    n = np.asarray(n, dtype=float)
    return np.divide(1.0, n, out=np.zeros_like(n), where=n > 0)


def ratio_or(num, den, default: float):
    """num / den, and ``default`` where den is not positive."""
    if np.ndim(num) == 0 and np.ndim(den) == 0:
        return float(num / den) if den > 0 else default
    num, den = np.broadcast_arrays(np.asarray(num, dtype=float), np.asarray(den, dtype=float))
    return np.divide(num, den, out=np.full(num.shape, default), where=den > 0)


def whole(x):
    """Whole units: ``math.ceil`` of one value, or of every point of a batch (int64 arrays)."""
    return math.ceil(x) if np.ndim(x) == 0 else np.ceil(x).astype(np.int64)
