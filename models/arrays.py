"""Array helpers of the kernels: whether a result may be written in place.

The kernels run on SI numbers over numpy arrays of any broadcastable shape: a number or a design's column (P, 1)
against the hours (P, H). Where the array at hand already has the broadcast shape of every operand, the kernel
writes its result into it (``out=``) instead of allocating a temporary — the same operations in the same order, so
the same numbers. :func:`holds` is that test, written for the year's hot loop (~0.2 us a value).
"""

from __future__ import annotations

import numpy as np

__all__ = ["holds"]


def holds(shape: tuple[int, ...], *values) -> bool:
    """Whether an array of ``shape`` holds its broadcast with every one of ``values`` (arrays, numbers or None),
    i.e. numpy's broadcasting rule (every axis of a value, aligned from the right, is 1 or equal) without growing
    ``shape``: then an operation can write its result in place."""
    n = len(shape)
    for v in values:
        s = getattr(v, "shape", None)
        if s is None:  # (a number, None, or a list or tuple of numbers: numpy's own shape of it)
            s = np.shape(v) if isinstance(v, list | tuple) else ()
        if not s or s == shape:  # (a number, or the same shape: no loop)
            continue
        if len(s) > n:
            return False
        for a, b in zip(s[::-1], shape[::-1], strict=False):
            if a != 1 and a != b:
                return False
    return True
