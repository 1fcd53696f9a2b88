"""Benchmark: size the coupled 514 MW reference campus (IT load, power chain, cooling chain and their coupling),
weather loaded (issue #12 goal: <= 5 ms).

Run: ``.venv/bin/python benchmarks/bench_design.py``. Prints the median of repeated runs; record the figure in
benchmarks/README.md. Not a test: speed is measured here, never asserted in the test suite.
"""

from __future__ import annotations

from common import campus_500mw, median_time

from facility import run
from facility.campus import design_campus
from facility.plan import it_load


def main() -> None:
    s = campus_500mw()
    r = run(s, year=False)  # loads the weather and design conditions once (cached)
    load = it_load(s)
    t_design = median_time(lambda: design_campus(s, load), 20)
    t_all = median_time(lambda: run(s, year=False), 20)
    print(f"campus IT {r.power.it_power.to('MW'):.1f~P}, facility {r.facility_power.to('MW'):.1f~P}, "
          f"{r.iterations} coupling passes")
    print(f"size the coupled campus (power, cooling, coupling), IT load given: {t_design * 1e3:.2f} ms (median of 20)")
    print(f"the same with the IT load (run(year=False)): {t_all * 1e3:.2f} ms (median of 20)")


if __name__ == "__main__":
    main()
