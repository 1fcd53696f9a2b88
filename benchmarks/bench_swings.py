"""Benchmark: one hour of a 500 MW campus at 10 ms (360,000 samples) through the power chain with the grid
compliance metrics (goal <= 0.5 s), and the sizing of the three mitigation layers for it (goal <= 2 s).

Run: ``.venv/bin/python benchmarks/bench_swings.py``. Prints the median of repeated runs; record the figures in
benchmarks/README.md. Not a test: speed is measured here, never asserted in the test suite.
"""

from __future__ import annotations

import time

from common import campus_500mw, median_time

import facility
from facility.swings import Swings, simulate_swings


def main() -> None:
    result = facility.run(campus_500mw(), year=False)
    cfg = Swings.model_validate({"seconds": "1 h", "resolution": "10 ms"})
    simulate_swings(result, cfg)  # warm-up: imports (scipy.signal) and the chain's table
    t_trace = median_time(lambda: simulate_swings(result, cfg, mitigation=False), 5)
    t_all = median_time(lambda: simulate_swings(result, cfg), 5)
    f = simulate_swings(result, cfg).figures
    one = simulate_swings(result, cfg)
    one.dataset()  # warm-up: the xarray import
    t0 = time.perf_counter()
    one.dataset()
    t_ds = time.perf_counter() - t0
    print(f"facility {facility.__version__}; campus IT {result.power.it_power.to('MW'):.1f~P}, "
          f"{f['samples']:,} samples; swing {f['swing_mw']:.1f} MW, BESS {f['bess_power_mw']:.1f} MW / "
          f"{f['bess_energy_mwh']:.2f} MWh")
    print(f"trace through the chain with compliance metrics: {t_trace:.3f} s (median of 5)")
    print(f"with the sizing of the three mitigation layers: {t_all:.3f} s (median of 5); sizing alone "
          f"{t_all - t_trace:.3f} s")
    print(f"its xarray.Dataset (built on demand): {t_ds:.3f} s")


if __name__ == "__main__":
    main()
