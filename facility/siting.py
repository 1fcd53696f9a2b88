"""Siting: the same campus (and its supply) at several sites, side by side (``facility sites``).

Kept apart from :mod:`facility.supply` because it runs whole campuses (:func:`facility.run`), while the scenario
schema imports the supply's configuration: one module for both would close an import cycle.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from facility.campus import run
from facility.errors import ScenarioError
from facility.results import to_json
from facility.scenario import Scenario
from facility.supply import supply_for

__all__ = ["compare_sites"]


def compare_sites(scenario: Any, sites: list[str], *, with_supply: bool = True) -> list[dict[str, Any]]:
    """The same campus (and its ``[supply]``, if any) at several sites: one row of key figures per site.

    Each site replaces ``site.weather`` (a bundled name, an alias or a weather file); everything else stays as in
    the scenario, so the rows differ by climate (cooling, PUE, water) and, with a supply, by the sun.
    """
    if not sites:
        raise ScenarioError("no sites given; expected --site NAME at least once", source=scenario.source, key="--site")
    src = Path(scenario.source)
    base = src.resolve().parent if src.is_file() else None
    data = scenario.model_dump()
    rows = []
    for i, site in enumerate(sites):
        try:
            s = Scenario.from_dict({**data, "site": {**data["site"], "weather": site}}, source=scenario.source,
                                   base=base)
        except ScenarioError as exc:
            raise ScenarioError(exc.message, source=scenario.source, key=f"--site[{i}] ({site})") from None
        result = run(s)
        doc = to_json(result)
        row = {"site": site, **{k: doc[k] for k in ("it_power_mw", "facility_power_design_mw", "pue_design",
                                                     "pue_annual", "annual_energy_mwh", "peak_grid_mw",
                                                     "wue_l_per_kwh", "water_annual_m3", "chiller_hours")}}
        if with_supply and s.supply is not None:
            sup = supply_for(result).summary
            row.update({"lcoe_usd_per_mwh": sup["lcoe_usd_per_mwh"], "total_cost_usd": sup["total_cost_usd"],
                        "co2_t": sup["co2_t"], "nox_t": sup["nox_t"], "grid_peak_mw": sup["grid_peak_mw"],
                        "unserved_mwh": sup["unserved_mwh"],
                        "solar_capacity_factor": (sup["solar"] or {}).get("capacity_factor")})
        rows.append(row)
    return rows
