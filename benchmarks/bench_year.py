"""Benchmark: one weather year (8,760 hours) of a 500 MW campus, and loading a weather file with its psychrometrics.

Run: ``.venv/bin/python benchmarks/bench_year.py``; record the figures in benchmarks/README.md.
"""

from __future__ import annotations

from common import campus_500mw, median_time

import facility
from facility import run
from facility.simulate import simulate_year, year_arrays, year_kpis
from facility.sites import bundled_sites
from facility.weather import _load, load_weather


def main() -> None:
    path = bundled_sites()["sterling-va"].path

    def cold_load():
        _load.cache_clear()
        load_weather(path)

    t_weather = median_time(cold_load, 5)
    t_cached = median_time(lambda: load_weather(path), 50)
    result = run(campus_500mw(load={"profile": "training"}), year=False)
    t_year = median_time(lambda: simulate_year(result), 30)
    t_arrays = median_time(lambda: year_arrays(result), 60)
    held = result.compiled().weather_terms  # the plants' weather-only terms kept for a second year at that weather

    def first_year():
        held.clear()
        year_arrays(result)

    t_first = median_time(first_year, 60)
    t_kpis = median_time(lambda: year_kpis(result), 60)
    print(f"facility {facility.__version__}; IT {result.load.it_power.to('MW'):.1f~P}")
    print(f"load a weather file (EPW, 8,760 h) with wet bulb, first time: {t_weather * 1e3:.1f} ms (median of 5)")
    print(f"... cached: {t_cached * 1e6:.1f} us")
    print(f"simulate one year of the 500 MW campus, weather loaded: {t_year * 1e3:.1f} ms (median of 30)")
    print(f"... its arrays alone (year_arrays, no Dataset; issue 12 goal <= 2 ms): {t_arrays * 1e3:.2f} ms (median of 60)")
    print(f"... the same, the plants' weather terms not yet held (the first year of a design): {t_first * 1e3:.2f} ms")
    print(f"... what a sweep takes of it (year_kpis: annual sums only): {t_kpis * 1e3:.2f} ms (median of 60)")


if __name__ == "__main__":
    main()
