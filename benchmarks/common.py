"""Shared pieces of the benchmarks: the 500 MW reference campus and a median timer."""

from __future__ import annotations

import statistics
import time

from facility import Scenario


def campus_500mw(**extra) -> Scenario:
    """3,600 GB200 NVL72 racks with overhead IT at Ashburn: 514 MW of IT at design."""
    return Scenario(name="500 MW GB200", site={"weather": "sterling-va", "grid_voltage": "345 kV"},
                    compute={"deployments": [{"system": "gb200-nvl72", "racks": 3600}],
                             "overheads": ["network", "storage", "management"]}, **extra)


def median_time(fn, repeat: int) -> float:
    """Median wall time of ``repeat`` calls of ``fn`` [s]."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)
