"""Benchmark: sweeps of N design points x 8,760 hours, serial and on a 2-worker local dask cluster.

Run: ``.venv/bin/python benchmarks/bench_sweep.py [N ...] [--plant KIND]`` (default 1,000 and 10,000 points,
the dry-cooler plant; ``--plant cooling-tower+chiller`` a plant that reads the wet bulb, whose year runs on every
hour); record the figures in benchmarks/README.md. Each point is a GB200 NVL72 campus varied in site (5 bundled
weather years, mapped), coolant supply and rack count (both array keys: one vectorised batch per chunk). Every run
is a fresh process, so the peak RSS figures are that run's own: the driver's, and for dask the largest worker's.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

_CHILD = r"""
import json, resource, sys, time
import numpy as np
from facility import Scenario
from facility.sweep import sweep

n, scheduler, chunk = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
plant = sys.argv[4] if len(sys.argv) > 4 else "dry-cooler+chiller"  # (the default plant; a tower reads the wet bulb)
base = Scenario(name="sweep bench", site={"weather": "sterling-va", "grid_voltage": "230 kV"},
                compute={"deployments": [{"system": "gb200-nvl72", "racks": 40}]},
                cooling={"heat_rejection": plant, "air_heat_rejection": plant})
sites = ["sterling-va", "chicago-il", "tampa-fl", "golden-co", "san-francisco-ca"]
per_site = max(1, n // len(sites))
supplies = max(1, round(per_site ** 0.5))
racks = max(1, per_site // supplies)
variations = {"site.weather": sites,
              "cooling.tcs_supply": [f"{t:.3f} degC" for t in np.linspace(20, 45, supplies)],
              "compute.deployments[0].racks": [int(r) for r in np.linspace(20, 200, racks)]}
worker_rss = None
t0 = time.perf_counter()
if scheduler == "dask":
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        ds = sweep(base, variations, scheduler="dask", address=cluster.scheduler_address, chunk_size=chunk)
        rss = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        worker_rss = max(rss.values())
else:
    ds = sweep(base, variations, scheduler="serial", chunk_size=chunk)
dt = time.perf_counter() - t0
print(json.dumps({"points": int(ds.attrs["points"]), "seconds": dt, "feasible": int(ds.feasible.sum()),
                  "driver_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_rss_mb": worker_rss}))
"""


def run(n: int, scheduler: str, chunk: int, plant: str = "dry-cooler+chiller") -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(n), scheduler, str(chunk), plant], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(sizes: list[int], chunk: int = 50, plant: str = "dry-cooler+chiller") -> None:
    for n in sizes:
        for scheduler in ("serial", "dask"):
            t0 = time.perf_counter()
            r = run(n, scheduler, chunk, plant)
            wall = time.perf_counter() - t0
            mem = f"driver peak RSS {r['driver_rss_mb']:.0f} MB"
            if r["worker_rss_mb"]:
                mem += f", worker peak RSS {r['worker_rss_mb']:.0f} MB"
            print(f"{scheduler:6s}: {r['points']:,} points x 8,760 h in {r['seconds']:.1f} s "
                  f"({r['seconds'] / r['points'] * 1e3:.2f} ms/point; cluster start-up included for dask; "
                  f"process {wall:.1f} s with imports); {mem}; chunk {chunk}; feasible {r['feasible']:,}; {plant}")


if __name__ == "__main__":
    # bench_sweep.py [N ...] [--plant cooling-tower+chiller]
    args = sys.argv[1:]
    plant = args[args.index("--plant") + 1] if "--plant" in args else "dry-cooler+chiller"
    sizes = [int(a) for a in args if a.isdigit()]
    main(sizes or [1000, 10000], plant=plant)
