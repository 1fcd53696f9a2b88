"""Benchmark: sweeps of N design points x 8,760 hours, serial and on a 2-worker local dask cluster.

Run: ``.venv/bin/python benchmarks/bench_sweep.py [N]`` (default 1,000); record the figures in
benchmarks/README.md. Each point is a 40-rack GB200 campus varied in coolant supply, rack count and site.
"""

from __future__ import annotations

import resource
import sys
import time

import numpy as np

from facility import Scenario
from facility.sweep import sweep


def main(n: int) -> None:
    base = Scenario(name="sweep bench", site={"weather": "sterling-va", "grid_voltage": "230 kV"},
                    compute={"deployments": [{"system": "gb200-nvl72", "racks": 40}]})
    sites = ["sterling-va", "chicago-il", "tampa-fl", "golden-co", "san-francisco-ca"]
    per_site = max(1, n // len(sites))
    supplies = max(1, round(per_site ** 0.5))
    racks = max(1, per_site // supplies)
    variations = {"site.weather": sites,
                  "cooling.tcs_supply": [f"{t:.3f} degC" for t in np.linspace(20, 45, supplies)],
                  "compute.deployments[0].racks": [int(r) for r in np.linspace(20, 200, racks)]}
    points = len(sites) * supplies * racks
    for scheduler in ("serial", "dask"):
        t0 = time.perf_counter()
        ds = sweep(base, variations, scheduler=scheduler, workers=2, chunk_size=50)
        dt = time.perf_counter() - t0
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{scheduler:6s}: {points:,} points x 8,760 h in {dt:.1f} s ({dt / points * 1e3:.1f} ms/point); "
              f"driver peak RSS {rss:.0f} MB; feasible {int(ds.feasible.sum())}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
