"""Keep freed memory in the process during sweeps (glibc ``mallopt``).

A sweep's batch allocates and frees many arrays of a few MB (points x 8,760 hours) in every pass. With glibc's
default policy each of them is a fresh ``mmap`` (or the heap is trimmed and regrown), and every page is faulted
in again: measured on the 2-core CI machine, half of a 1,000-point sweep went to page faults in the kernel
(sys 3.9 s of 14 s wall; the hourly model 6.7 s -> 2.7 s with the settings below). Raising the mmap threshold
and the trim threshold (glibc ``mallopt(3)``: M_MMAP_THRESHOLD, M_TRIM_THRESHOLD, M_TOP_PAD) lets freed blocks be
reused. The cost: the process keeps its peak heap (bounded by the chunk size, not the sweep size) instead of
returning it to the system. Elsewhere than glibc (macOS, Windows, musl) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

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
    """Set the allocator thresholds once per process; True if glibc accepted them."""
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
