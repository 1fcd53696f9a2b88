"""Benchmark: the supply of a 500 MW campus over a year (8,760 h): grid, gas turbines, battery and solar dispatched
by HiGHS (the LP built on sparse arrays), capacities fixed and capacities free (chosen on representative days, then
the year dispatched at them).

Run: ``.venv/bin/python benchmarks/bench_supply.py [--full] [--pypsa]``; record the figures in
benchmarks/README.md. ``--full`` also chooses the free capacities on the full year at once (the exact optimum,
~1 min) and prints the gap of the representative days; ``--pypsa`` times the fixed case through PyPSA (the
reference implementation). The times are those of :func:`facility.supply.solve` (model build, HiGHS, results),
highspy already imported and the solar year already computed (both once per process).
"""

from __future__ import annotations

import sys
import time

from common import campus_500mw, median_time

from facility import run
from facility.supply import Supply, load_supply_catalog, solar_profile, solve


def _supply(free: bool) -> Supply:
    f = "free"
    return Supply(grid={"import_limit": "300 MW", "price": "80 USD/MWh", "demand_charge": "10 USD/kW/month"},
                  turbines=[{"model": "titan-130", "count": f if free else 24, "redundancy": "N+1"}],
                  battery={"power": f if free else "100 MW", "reserve": 0.2},
                  solar={"capacity": f if free else "200 MW"})


def main() -> None:
    result = run(campus_500mw(load={"profile": "training"}))
    load = result.hourly["facility_power"].values
    weather = result.scenario.weather_path
    t0 = time.perf_counter()
    solar_profile(weather, load_supply_catalog()["pv-single-axis"])
    t_solar = time.perf_counter() - t0
    solve(_supply(False), load[:48], weather_path=weather)  # imports PyPSA, linopy, highspy
    fixed = _supply(False)
    t_fixed = median_time(lambda: solve(fixed, load, weather_path=weather), 3)
    r = solve(_supply(True), load, weather_path=weather)
    s = r.summary
    print(f"campus: peak {load.max() / 1e6:.1f} MW, {load.sum() / 1e6:,.0f} MWh over 8,760 h")
    print(f"solar year, pvlib ModelChain (first time): {t_solar * 1e3:.0f} ms")
    print(f"dispatch, capacities fixed: {t_fixed:.2f} s (median of 3)")
    print(f"capacities free: {s['total_time_s']:.2f} s ({s['sizing']['method']}, "
          f"{s['sizing'].get('representative_days', '-')} days; HiGHS {s['solve_time_s']:.2f} s); chose "
          f"{s['turbines'][0]['units']} turbines, battery {s['battery']['power_mw']:.0f} MW, solar "
          f"{s['solar']['capacity_mw']:.0f} MW, LCOE {s['lcoe_usd_per_mwh']:.2f} USD/MWh, objective {r.objective:,.0f}")
    if "--pypsa" in sys.argv:
        t_ref = median_time(lambda: solve(fixed, load, weather_path=weather, backend="pypsa"), 1)
        print(f"dispatch, capacities fixed, through PyPSA (reference): {t_ref:.2f} s")
    if "--full" in sys.argv:
        exact = solve(Supply(**{**_supply(True).model_dump(), "sizing": "full-horizon"}), load, weather_path=weather)
        e = exact.summary
        print(f"capacities free on the full year at once: {e['total_time_s']:.2f} s; chose "
              f"{e['turbines'][0]['units']} turbines, battery {e['battery']['power_mw']:.0f} MW, solar "
              f"{e['solar']['capacity_mw']:.0f} MW, objective {exact.objective:,.0f}; representative days cost "
              f"{(r.objective / exact.objective - 1) * 100:+.3f} % more")


if __name__ == "__main__":
    main()
