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

__all__ = ["compare_sites", "add_supply_to_sweep"]


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


def add_supply_to_sweep(scenario: Any, variations: dict[str, list[Any]], ds: Any) -> Any:
    """The supply figures of a campus sweep whose keys include supply keys (``supply.grid.import_limit``,
    ``supply.battery.power``, ``supply.turbines[0].count``, ...): for each combination of the campus keys, the
    campus's year is run once and :func:`facility.supply.sweep_supply` solves every combination of the supply keys
    on it. Adds to ``ds`` (the campus sweep of :func:`facility.sweep.sweep` over the same ``variations``) the
    figures of :data:`facility.supply.SWEEP_KPIS` on all the sweep's dimensions, and ``supply_feasible`` (a point
    whose supply cannot meet the load is NaN there). ``ds`` unchanged without supply keys."""
    import copy
    import itertools

    import numpy as np

    from facility.supply import SWEEP_KPIS, sweep_supply
    from facility.sweep import parse_key_path

    keys = list(variations)
    sup = [k for k in keys if k.startswith("supply.")]
    if not sup:
        return ds
    if scenario.supply is None:
        raise ScenarioError(f"{sup[0]} varies the supply, but the scenario has no [supply] section; expected one",
                            source=scenario.source, key="--vary")
    camp = [k for k in keys if k not in sup]
    shape = tuple(len(variations[k]) for k in keys)
    out = {name: np.full(shape, np.nan) for name in SWEEP_KPIS}
    feasible = np.zeros(shape, dtype=bool)
    src = Path(scenario.source)
    base = src.resolve().parent if src.is_file() else None
    data = scenario.model_dump()
    for cidx in itertools.product(*(range(len(variations[k])) for k in camp)):
        d = copy.deepcopy(data)
        for k, i in zip(camp, cidx, strict=True):
            node: Any = d
            path = parse_key_path(k)
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = variations[k][i]
        one = Scenario.from_dict(d, source=scenario.source, base=base)
        part = sweep_supply(run(one), {k: variations[k] for k in sup})
        for sidx in itertools.product(*(range(len(variations[k])) for k in sup)):
            where = [0] * len(keys)
            for k, i in zip(camp, cidx, strict=True):
                where[keys.index(k)] = i
            for k, i in zip(sup, sidx, strict=True):
                where[keys.index(k)] = i
            for name in SWEEP_KPIS:
                out[name][tuple(where)] = part[name].values[sidx]
            feasible[tuple(where)] = bool(part["feasible"].values[sidx])
    for name, (unit, desc) in SWEEP_KPIS.items():
        ds[name] = (keys, out[name], {"units": unit, "description": f"supply: {desc}"})
    ds["supply_feasible"] = (keys, feasible, {"description": "the supply meets the load every hour"})
    return ds
