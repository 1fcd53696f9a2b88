"""Benchmark: sizing the power chain of a 500 MW campus, and evaluating its losses over 8,760 hourly loads.

Run: ``.venv/bin/python benchmarks/bench_power.py``. Prints the median of repeated runs; record the figures in
benchmarks/README.md. Not a test: speed is measured here, never asserted in the test suite.
"""

from __future__ import annotations

import numpy as np
from common import campus_500mw, median_time

import facility
from facility import Q_, design_power_chain, it_load


def main() -> None:
    s = campus_500mw()
    load = it_load(s)
    design = design_power_chain(s, load)
    rng = np.random.default_rng(0)
    hours = design.it_power.m_as("W") * rng.uniform(0.3, 1.0, 8760)
    mech = rng.uniform(20e6, 60e6, 8760)
    t_size = median_time(lambda: design_power_chain(s, it_load(s)), 20)
    t_eval = median_time(lambda: design.evaluate(Q_(hours, "W"), Q_(mech, "W")), 50)
    print(f"facility {facility.__version__}; campus IT {design.it_power.to('MW'):.1f~P}, "
          f"grid import {design.grid_import.to('MW'):.1f~P}, {len(design.stages)} stages")
    print(f"size the power chain of a 500 MW campus: {t_size * 1e3:.2f} ms (median of 20)")
    print(f"evaluate the chain over 8,760 hourly loads: {t_eval * 1e3:.2f} ms (median of 50)")


if __name__ == "__main__":
    main()
