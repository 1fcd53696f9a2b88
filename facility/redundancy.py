"""Redundancy schemes: from a load and a unit rating to units required and installed, and unit loading in the
normal state and in the worst single failure.

Schemes (the loading is the load on one unit as a fraction of its rating):

==================  ===========================================  ===========================  ==========================
scheme              installed (N = ceil(load / rating))          normal loading               worst single failure
==================  ===========================================  ===========================  ==========================
``N``               N                                            L / (N R)                    L / ((N-1) R): overload
``N+1``, ``N+2``    N + 1, N + 2                                 L / (installed R)            L / ((installed-1) R)
``2N``              2 N (two sides A and B)                      L / (2 N R)                  a whole side lost: L / (N R)
``2(N+1)``          2 (N + 1)                                    L / (2 (N+1) R)              side lost: L / ((N+1) R)
``xN/y``            ceil(N / y) groups of x units (distributed   L / (installed R), ~ y / x   L / groups / ((x-1) R)
                    redundant, e.g. ``4N/3``)
``catcher y+1``     ceil(N / y) blocks of y units + 1 catcher    L / (groups y R)             the catcher takes the
                    each (block redundant with a catcher)                                     failed unit: unchanged
==================  ===========================================  ===========================  ==========================

The distributed-redundant and catcher schemes follow the Uptime Institute / vendor terminology (e.g.
Schneider Electric White Paper 75, "Comparing UPS System Design Configurations", 2012): in a 4N/3 design four
blocks carry three blocks' worth of load, each loaded to 75 % so that the loss of any one leaves three at 100 %.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

import numpy as np

from facility.batch import any_point, scalar, squeeze, whole

__all__ = ["RedundancyResult", "size_units", "parse_scheme", "SCHEME_HELP"]

SCHEME_HELP = "N, N+1, N+2, 2N, 2(N+1), xN/y (e.g. 4N/3) or 'catcher y+1' (e.g. 'catcher 4+1')"
_DR = re.compile(r"^(\d+)N/(\d+)$")
_CATCHER = re.compile(r"^catcher\s*(\d+)\s*\+\s*1$")
_INF = np.float64(math.inf)  # (a numpy scalar: its power by a flag is ~0.1 us, where np.where takes ~1.6 us)


@dataclass(frozen=True)
class RedundancyResult:
    """Unit counts and loadings of one redundancy scheme at one load (or at each load of a batch).

    For one design each field is a plain Python number; for a batch of P loads each is an array (P,): the counts
    int64 (float64 with NaN at a point whose count is undefined, see :func:`facility.batch.whole`), the loadings
    float64 and the flag bool.

    ``units_required`` [-]: N = ceil(load / rating); ``units_installed`` [-] and ``units_in_service`` [-] per the
    scheme (the module table); ``loading_normal`` and ``loading_failed`` [-]: the load on one unit as a fraction of
    its rating (1.0 = at rating) in the normal state and after the worst single failure (inf: no unit left);
    ``overload_on_failure``: the worst single failure loads the surviving units beyond their rating (or drops
    load).
    """

    scheme: str
    units_required: int | np.ndarray
    units_installed: int | np.ndarray
    units_in_service: int | np.ndarray
    loading_normal: float | np.ndarray
    loading_failed: float | np.ndarray
    overload_on_failure: bool | np.ndarray


def parse_scheme(scheme: str) -> tuple[str, int, int]:
    """Normalise a scheme string to ``(kind, x, y)``; raise ValueError with the accepted forms."""
    s = scheme.strip().replace(" ", "") if not scheme.strip().startswith("catcher") else scheme.strip()
    if s in ("N", "N+1", "N+2", "2N", "2(N+1)"):
        return s, 0, 0
    m = _DR.match(s)
    if m:
        x, y = int(m[1]), int(m[2])
        if not x > y >= 1:
            raise ValueError(f"distributed redundant {scheme!r} needs x > y >= 1 (e.g. 4N/3)")
        return "DR", x, y
    m = _CATCHER.match(s)
    if m:
        y = int(m[1])
        if y < 1:
            raise ValueError(f"catcher scheme {scheme!r} needs at least one active unit")
        return "catcher", y + 1, y
    raise ValueError(f"unknown redundancy scheme {scheme!r}; expected {SCHEME_HELP}")


def size_units(load, rating, scheme: str) -> RedundancyResult:
    """Units and loadings for ``load`` on units of ``rating`` (same unit, e.g. W or VA) under ``scheme``.

    ``load`` (and ``rating``) may be arrays of design points: the result's fields are then arrays of the same
    shape (counts as int64); for one design they are plain numbers. One code path for both, on numpy scalars for
    one design (:func:`facility.batch.scalar`) and squeezed at the result.

    Parameters
    ----------
    load
        The load the units must carry together. [W or VA]
    rating
        The rating of one unit. [W or VA]
    scheme
        A scheme string (see the module table).

    Examples
    --------
    >>> r = size_units(3000.0, 1000.0, "4N/3")
    >>> (r.units_required, r.units_installed, r.loading_normal, r.loading_failed)
    (3, 4, 0.75, 1.0)
    >>> size_units(np.array([0.0, 2500.0, 4000.0]), 1000.0, "N+1").units_installed
    array([0, 4, 5])
    """
    load, rating = scalar(load), scalar(rating)  # numpy scalars for one design (~0.1 us an operation)
    if any_point((rating <= 0) | (load < 0)):
        raise ValueError("unit rating must be positive" if any_point(rating <= 0) else "load must not be negative")
    kind, x, y = _scheme(scheme)
    carried = np.fmax(load, 0.0)  # a NaN load (an infeasible point of a sweep) carries nothing: no units
    n = -(-(carried / rating * (1 - 1e-12)) // 1)  # ceil, exactly, by operators (whole numbers as floats)
    installed, in_service, surviving = _counts(kind, x, y, n)
    some = n > 0
    # no units: loadings 0 (the load is 0); no unit left after the worst failure: an infinite loading
    normal = carried / ((in_service + (in_service == 0)) * rating)  # (in service >= 1 wherever a unit is)
    alive, dead = surviving > 0, surviving <= 0
    failed = carried / ((surviving * alive + dead) * rating) * _INF ** (dead & some)  # (inf ** True, inf ** False = 1)
    overload = some & (failed > 1 + 1e-9)
    # (whole numbers already: whole() only casts them, an int for one design and int64 for a batch)
    return RedundancyResult(scheme, whole(n), whole(installed * some), whole(in_service * some), squeeze(normal),
                            squeeze(failed), squeeze(overload))


@functools.lru_cache(maxsize=256)
def _scheme(scheme: str) -> tuple[str, int, int]:
    """:func:`parse_scheme`, once per scheme string."""
    return parse_scheme(scheme)


def _counts(kind: str, x: int, y: int, n):
    """(installed, in service, in service after the worst single failure) for ``n`` units required (whole
    numbers as a float64 numpy scalar or array), per the module table."""
    if kind == "N":
        return n, n, n - 1
    if kind in ("N+1", "N+2"):
        installed = n + (1 if kind == "N+1" else 2)
        return installed, installed, installed - 1
    if kind == "2N":
        return 2 * n, 2 * n, n  # a whole side lost
    if kind == "2(N+1)":
        return 2 * (n + 1), 2 * (n + 1), n + 1
    groups = -(-n // y)  # ceil(n / y) in whole numbers
    if kind == "DR":
        return groups * x, groups * x, groups * (x - 1)
    # catcher: blocks of y active units share one catcher, which idles and takes over a failed unit
    return groups * (y + 1), groups * y, groups * y

