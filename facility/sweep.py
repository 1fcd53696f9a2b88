"""Sweeps: many design variants of one scenario, as an ``xarray.Dataset`` whose dimensions are the swept keys.

A sweep varies keys of the scenario by their own paths (``cooling.tcs_supply``, ``site.weather``,
``power.architecture``, ``compute.deployments[0].accelerators``), with values as written in a scenario file
(``"35 degC"``) or as Quantities. Every point is a full campus: sized at design (unit counts change with the
values, so each point is sized on its own) and run through its weather year (vectorised over the 8,760 hours).
Points run serially, on threads, or on dask — a ``LocalCluster`` or an existing ``dask.distributed`` scheduler —
in chunks; the results are the same to the bit whichever way they run (the same code on the same inputs).

An infeasible point (``InfeasibleDesign``) is kept as NaN with ``feasible = False``; bad keys or values raise
``ScenarioError`` before anything runs.
"""

from __future__ import annotations

import copy
import itertools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pint
import xarray as xr

from facility.errors import InfeasibleDesign, ScenarioError, did_you_mean, format_key_path
from facility.scenario import Scenario, scenario_to_dict
from facility.units import quantity_text, unit_text

__all__ = ["sweep", "parse_key_path", "parse_vary", "SWEEP_KPIS"]

#: KPIs of each point: name -> (units, long name)
SWEEP_KPIS: dict[str, tuple[str, str]] = {
    "it_power_mw": ("MW", "design IT power"),
    "facility_power_design_mw": ("MW", "facility power at design"),
    "pue_design": ("1", "design PUE"),
    "pue_annual": ("1", "annual PUE"),
    "annual_energy_mwh": ("MWh", "facility energy over the year"),
    "it_energy_mwh": ("MWh", "IT energy over the year"),
    "peak_grid_mw": ("MW", "peak grid demand of the year"),
    "wue_l_per_kwh": ("L/kWh", "water use effectiveness"),
    "water_annual_m3": ("m^3", "water over the year"),
    "chiller_hours": ("h", "liquid-loop chiller hours"),
    "cooling_power_mw": ("MW", "cooling power at design"),
    "electrical_loss_mw": ("MW", "electrical losses outside the racks at design"),
    "copper_mass_t": ("t", "copper in the power chain"),
    "accelerators": ("1", "installed accelerators"),
    "racks": ("1", "IT racks"),
}
_COUNTS = ("accelerators", "nodes", "racks", "pods", "compute_target")
_PART = re.compile(r"([A-Za-z_][A-Za-z0-9_\-]*)((?:\[\d+\])*)")


def parse_key_path(path: str) -> list[str | int]:
    """``"compute.deployments[0].accelerators"`` -> ``["compute", "deployments", 0, "accelerators"]``."""
    out: list[str | int] = []
    for part in path.strip().split("."):
        m = _PART.fullmatch(part)
        if not m:
            raise ScenarioError(f"cannot read the key path {path!r}; expected e.g. cooling.tcs_supply or "
                                "compute.deployments[0].accelerators", key=path)
        out.append(m[1])
        out += [int(i) for i in re.findall(r"\[(\d+)\]", m[2])]
    return out


def _set(data: dict, path: list[str | int], value: Any, key: str) -> None:
    node: Any = data
    for i, p in enumerate(path[:-1]):
        try:
            node = node[p]
        except (KeyError, IndexError, TypeError):
            where = format_key_path(path[: i + 1])
            options = list(node) if isinstance(node, dict) else []
            raise ScenarioError(f"no key {where!r} in the scenario; {did_you_mean(p, options)}"
                                f"expected an existing key path", key=key) from None
    last = path[-1]
    if isinstance(node, dict) and last not in node and not (last in _COUNTS and set(_COUNTS) & set(node)):
        raise ScenarioError(f"no key {key!r} in the scenario; {did_you_mean(last, list(node))}expected one of "
                            f"{', '.join(map(str, node))}", key=key)
    if isinstance(node, list) and not (isinstance(last, int) and last < len(node)):
        raise ScenarioError(f"no item {key!r} in the scenario", key=key)
    if isinstance(node, dict) and last in _COUNTS:  # a deployment takes one count: the swept one replaces it
        for k in _COUNTS:
            if k != last:
                node.pop(k, None)
    node[last] = value


def _plain(value: Any) -> Any:
    if isinstance(value, pint.Quantity):
        return quantity_text(value)
    if isinstance(value, np.generic):
        return value.item()
    return value


def _coordinate(key: str, values: Sequence[Any]) -> tuple[np.ndarray, dict]:
    """Coordinate values of a dimension: magnitudes in one unit for quantities, else the values themselves."""
    from facility.units import Q_

    qs = []
    for v in values:
        if isinstance(v, pint.Quantity):
            qs.append(v)
        elif isinstance(v, str):
            try:
                q = Q_(v)
                qs.append(q if isinstance(q, pint.Quantity) and not q.unitless else None)
            except Exception:
                qs.append(None)
        else:
            qs.append(None)
    if all(q is not None for q in qs) and qs:
        unit = qs[0].units
        try:
            mags = [q.m_as(unit) for q in qs]
            return np.asarray(mags, dtype=float), {"units": unit_text(unit)}
        except pint.DimensionalityError:
            pass
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return np.asarray(values), {"units": "1"}
    return np.asarray([str(v) for v in values], dtype=object), {}


def _kpis(data: dict, source: str, base) -> dict[str, float]:
    from facility.campus import design_campus
    from facility.plan import it_load
    from facility.simulate import annual_kpis, simulate_year

    s = Scenario.from_dict(data, source=source, base=base)
    try:
        r = design_campus(s, it_load(s))
    except InfeasibleDesign:
        return {k: math.nan for k in SWEEP_KPIS} | {"feasible": 0.0}
    a = annual_kpis(simulate_year(r))
    p = r.power
    return {
        "it_power_mw": p.it_power.m_as("MW"), "facility_power_design_mw": r.facility_power.m_as("MW"),
        "pue_design": r.pue, "pue_annual": a["pue_annual"], "annual_energy_mwh": a["annual_energy_mwh"],
        "it_energy_mwh": a["it_energy_mwh"], "peak_grid_mw": a["peak_grid_mw"], "wue_l_per_kwh": a["wue_l_per_kwh"],
        "water_annual_m3": a["water_m3"], "chiller_hours": float(a["chiller_hours"]),
        "cooling_power_mw": r.cooling.cooling_power.m_as("MW"), "electrical_loss_mw": p.electrical_loss.m_as("MW"),
        "copper_mass_t": p.copper_mass.m_as("t"), "accelerators": float(r.load.accelerators),
        "racks": float(r.load.racks), "feasible": 1.0,
    }


def _run_chunk(chunk: list[dict], source: str, base) -> list[dict[str, float]]:
    return [_kpis(d, source, base) for d in chunk]


def sweep(scenario: Scenario, variations: Mapping[str, Sequence[Any]], *, scheduler: str = "serial",
          address: str | None = None, workers: int = 2, chunk_size: int = 50,
          progress: Callable[[int, int], None] | None = None) -> xr.Dataset:
    """Run every combination of ``variations`` (key path -> values) and return the KPIs on those dimensions.

    Parameters
    ----------
    scenario
        The base scenario.
    variations
        Key path -> a non-empty sequence of values (strings with units, Quantities, numbers, names).
    scheduler
        ``"serial"``, ``"threads"`` (a thread pool of ``workers``) or ``"dask"`` (a ``dask.distributed`` client:
        on ``address`` if given, else a new ``LocalCluster`` of ``workers`` processes).
    chunk_size
        Points per task (memory is bounded by chunks, not by the size of the sweep).
    progress
        Called with ``(points done, points in all)`` as chunks finish.

    Returns
    -------
    xarray.Dataset
        One variable per KPI (``units`` attribute) plus ``feasible``, on the swept dimensions in the given order.
    """
    if not variations:
        raise ScenarioError("nothing to vary; expected at least one key path with values", key="sweep")
    base_data = scenario_to_dict(scenario)
    keys = list(variations)
    paths = {k: parse_key_path(k) for k in keys}
    values = {}
    for k in keys:
        vals = list(variations[k])
        if not vals:
            raise ScenarioError(f"empty list of values for {k!r}; expected at least one value", key=k)
        values[k] = vals
        for v in vals:  # validate each value alone first: errors before anything runs
            d = copy.deepcopy(base_data)
            _set(d, paths[k], _plain(v), k)
            Scenario.from_dict(d, source=f"sweep {k}={v}", base=scenario._base)
    points = []
    for combo in itertools.product(*(values[k] for k in keys)):
        d = copy.deepcopy(base_data)
        for k, v in zip(keys, combo, strict=True):
            _set(d, paths[k], _plain(v), k)
        points.append(d)
    chunks = [points[i:i + chunk_size] for i in range(0, len(points), chunk_size)]
    results = _execute(chunks, scenario.source, scenario._base, scheduler, address, workers, progress, len(points))
    shape = tuple(len(values[k]) for k in keys)
    coords = {}
    for k in keys:
        c, attrs = _coordinate(k, values[k])
        coords[k] = xr.Variable(k, c, attrs=attrs)
    data_vars = {}
    for name, (unit, long_name) in [*SWEEP_KPIS.items(), ("feasible", ("1", "the design is feasible"))]:
        arr = np.asarray([r[name] for r in results], dtype=float).reshape(shape)
        if name == "feasible":
            arr = arr.astype(bool)
        data_vars[name] = xr.Variable(keys, arr, attrs={"units": unit, "long_name": long_name})
    return xr.Dataset(data_vars, coords=coords, attrs={"scenario": scenario.name, "points": len(points)})


def _execute(chunks, source, base, scheduler, address, workers, progress, total) -> list[dict[str, float]]:
    done = 0
    out: list[list[dict]] = [None] * len(chunks)  # type: ignore[list-item]

    def tick(i: int, res: list[dict]) -> None:
        nonlocal done
        out[i] = res
        done += len(res)
        if progress:
            progress(done, total)

    if scheduler == "serial":
        for i, ch in enumerate(chunks):
            tick(i, _run_chunk(ch, source, base))
    elif scheduler == "threads":
        from concurrent.futures import ThreadPoolExecutor, as_completed

        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(_run_chunk, ch, source, base): i for i, ch in enumerate(chunks)}
            for f in as_completed(futures):
                tick(futures[f], f.result())
    elif scheduler == "dask":
        from dask.distributed import Client, LocalCluster, as_completed

        cluster = None
        if address:
            client = Client(address)
        else:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
        try:
            futures = [client.submit(_run_chunk, ch, source, base, pure=False) for ch in chunks]
            index = {f.key: i for i, f in enumerate(futures)}
            for f in as_completed(futures):
                tick(index[f.key], f.result())
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    else:
        raise ScenarioError(f"unknown scheduler {scheduler!r}; expected serial, threads or dask", key="scheduler")
    return [r for chunk in out for r in chunk]


def parse_vary(spec: str) -> tuple[str, list[Any]]:
    """Read a ``--vary`` option: ``key=start..stop:step unit`` (inclusive range) or ``key=a,b,c``.

    >>> parse_vary("cooling.tcs_supply=20..30:5 degC")
    ('cooling.tcs_supply', ['20 degC', '25 degC', '30 degC'])
    >>> parse_vary("site.weather=tampa,chicago")
    ('site.weather', ['tampa', 'chicago'])
    >>> parse_vary("compute.deployments[0].accelerators=50000..100000:25000")
    ('compute.deployments[0].accelerators', [50000, 75000, 100000])
    """
    if "=" not in spec:
        raise ScenarioError(f"cannot read {spec!r}; expected key=start..stop:step [unit] or key=a,b,c", key="--vary")
    key, rhs = spec.split("=", 1)
    key, rhs = key.strip(), rhs.strip()
    m = re.fullmatch(r"(-?[\d.eE+]+)\s*\.\.\s*(-?[\d.eE+]+)\s*:\s*([\d.eE+]+)\s*(.*)", rhs)
    if m:
        start, stop, step, unit = float(m[1]), float(m[2]), float(m[3]), m[4].strip()
        if step <= 0 or stop < start:
            raise ScenarioError(f"empty range in {spec!r}; expected start <= stop and a positive step", key=key)
        n = math.floor((stop - start) / step + 1e-9) + 1
        nums = [start + i * step for i in range(n)]
        if not unit:  # plain numbers: counts stay whole numbers
            as_int = all(float(x).is_integer() for x in (start, stop, step))
            return key, [int(x) if as_int else x for x in nums]
        return key, [f"{x:g} {unit}" for x in nums]
    items = [_number_or_text(x.strip()) for x in rhs.split(",") if x.strip()]
    if not items:
        raise ScenarioError(f"no values in {spec!r}; expected at least one", key=key)
    return key, items


def _number_or_text(text: str) -> Any:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text
