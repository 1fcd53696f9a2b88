"""Benchmark: one weather year (8,760 hours) of a 500 MW campus, and loading a weather file with its psychrometrics.

Run: ``.venv/bin/python benchmarks/bench_year.py``; record the figures in benchmarks/README.md.
"""

from __future__ import annotations

import statistics
import time

import facility
from facility import Scenario, run
from facility.simulate import simulate_year
from facility.sites import bundled_sites
from facility.weather import _load, load_weather


def campus_500mw() -> Scenario:
    return Scenario(name="500 MW GB200", site={"weather": "sterling-va", "grid_voltage": "345 kV"},
                    compute={"deployments": [{"system": "gb200-nvl72", "racks": 3600}],
                             "overheads": ["network", "storage", "management"]},
                    load={"profile": "training"})


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    path = bundled_sites()["sterling-va"].path

    def cold_load():
        _load.cache_clear()
        load_weather(path)

    t_weather = median_time(cold_load, 5)
    t_cached = median_time(lambda: load_weather(path), 50)
    result = run(campus_500mw(), year=False)
    t_year = median_time(lambda: simulate_year(result), 30)
    print(f"facility {facility.__version__}; IT {result.load.it_power.to('MW'):.1f~P}")
    print(f"load a weather file (EPW, 8,760 h) with wet bulb, first time: {t_weather * 1e3:.1f} ms (median of 5)")
    print(f"... cached: {t_cached * 1e6:.1f} us")
    print(f"simulate one year of the 500 MW campus, weather loaded: {t_year * 1e3:.1f} ms (median of 30)")


if __name__ == "__main__":
    main()
