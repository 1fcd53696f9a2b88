"""Keep freed memory in the process during sweeps (glibc ``mallopt``).

A sweep's batch allocates and frees many arrays of a few MB (points x 8,760 hours) in every pass. With glibc's
default policy each of them is a fresh ``mmap`` (or the heap is trimmed and regrown), and every page is faulted
in again. Raising the mmap threshold and the trim threshold (glibc ``mallopt(3)``: M_MMAP_THRESHOLD,
M_TRIM_THRESHOLD, M_TOP_PAD) lets freed blocks be reused. Measured on the 2-core CI machine
(``benchmarks/bench_sweep.py``, 980 points x 8,760 h, serial): 6.5 s without, 3.3 s with; peak RSS 458 vs 457 MB
(the peak is the chunk's working set either way; the difference is that it is not handed back between passes).

The cost: it is process-wide, and the process keeps its peak heap after a sweep instead of returning it to the
system — the one global side effect of the library (STYLE.md avoids them; this one is taken for the 2x, only when a
sweep runs, and ``FACILITY_KEEP_FREED_MEMORY=0`` turns it off). Elsewhere than glibc (macOS, Windows, musl) it
does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os

__all__ = ["keep_freed_memory"]

_M_TRIM_THRESHOLD = -1
_M_TOP_PAD = -2
_M_MMAP_THRESHOLD = -3
#: Blocks below this are served from the heap [bytes]: a 200-point chunk's (200 x 8,760) float64 array is 14 MB.
MMAP_THRESHOLD = 32 * 2**20  # glibc's own maximum for the dynamic threshold (DEFAULT_MMAP_THRESHOLD_MAX, 64-bit)
#: The heap is given back to the system only when this much is free at its top [bytes].
TRIM_THRESHOLD = 1024 * 2**20
#: Extra heap requested on each growth [bytes].
TOP_PAD = 64 * 2**20


@functools.cache
def keep_freed_memory() -> bool:
    """Set the allocator thresholds once per process; True if glibc accepted them.

    This is a process-wide setting (the one global side effect of the library, taken for a 2x speed-up of
    sweeps); ``FACILITY_KEEP_FREED_MEMORY=0`` in the environment turns it off.
    """
    if os.environ.get("FACILITY_KEEP_FREED_MEMORY", "1").strip().lower() in ("0", "false", "no", "off"):
        return False
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    ok = [mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD), mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD),
          mallopt(_M_TOP_PAD, TOP_PAD)]
    return all(r == 1 for r in ok)
