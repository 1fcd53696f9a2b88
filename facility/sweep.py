"""Sweeps: many design variants of one scenario, as an ``xarray.Dataset`` whose dimensions are the swept keys.

A sweep varies keys of the scenario by their own paths (``cooling.tcs_supply``, ``site.weather``,
``power.architecture``, ``compute.deployments[0].accelerators``), with values as written in a scenario file
(``"35 degC"``) or as Quantities. Every point is a full campus: sized at design and run through its weather year.

* Array keys (:data:`ARRAY_KEYS`: coolant temperatures and rises, pressure drops, pumps, counts, load level) are
  broadcast: a chunk is one validated scenario (its structure) and its design inputs compiled to SI arrays of
  points (:func:`facility.inputs.compile_inputs`; no array enters the pydantic model), and the design
  (:func:`facility.campus.design_campus`) and the hourly model run once on arrays of points (points x 8,760
  hours) — no Python loop over the points.
  Each point's coupling iterates as it would alone, so a point equals its single run to round-off.
* Every other key is mapped: one group of points per value (a site, an architecture, a plant).

Chunks of points are the tasks; they run serially, on threads, or on dask — a ``LocalCluster`` or an existing
``dask.distributed`` scheduler — and the results are the same to the bit whichever way they run (the same code
on the same chunks). Memory is bounded by the chunk size.

An infeasible point (``InfeasibleDesign``) is kept as NaN with ``feasible = False``; bad keys or values raise
``ScenarioError`` before anything runs (each value is validated alone first).
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

from facility._memory import keep_freed_memory
from facility.campus import design_campus
from facility.checks import scenario_arg, variations_arg
from facility.errors import InfeasibleDesign, ScenarioError, did_you_mean, format_key_path
from facility.inputs import COOLING_SI, COUNT_KEYS, compile_inputs
from facility.outputs import SWEEP_HOURLY as _SWEEP_HOURLY
from facility.outputs import SWEEP_KPIS as _SWEEP_KPIS
from facility.plan import it_load
from facility.scenario import Scenario, scenario_to_dict
from facility.simulate import year_kpis
from facility.units import Q_, quantity_text, unit_text
from facility.weather import HOURS

__all__ = ["sweep", "parse_key_path", "parse_vary", "SWEEP_KPIS", "SWEEP_HOURLY", "DEFAULT_HOURLY", "ARRAY_KEYS"]

#: KPIs of each point: name -> (units, long name); hourly variables a sweep can return on a ``time`` dimension
#: (the same names and units as :func:`facility.simulate.simulate_year`); both from :mod:`facility.outputs`.
SWEEP_KPIS = _SWEEP_KPIS
SWEEP_HOURLY = _SWEEP_HOURLY
#: The hourly variables of ``hourly=True``.
DEFAULT_HOURLY = ("facility_power", "it_power", "cooling_power", "pue", "water")
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


def _set(data: dict, path: list[str | int], value: Any, key: str, known: Sequence[str] = ()) -> None:
    """Set ``value`` at ``path`` in scenario data; ``known``: keys of that section left out because unset."""
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
    if (isinstance(node, dict) and last not in node and last not in known
            and not (last in COUNT_KEYS and set(COUNT_KEYS) & set(node))):
        raise ScenarioError(f"no key {key!r} in the scenario; {did_you_mean(last, list(node))}expected one of "
                            f"{', '.join(map(str, node))}", key=key)
    if isinstance(node, list) and not (isinstance(last, int) and last < len(node)):
        raise ScenarioError(f"no item {key!r} in the scenario", key=key)
    if isinstance(node, dict) and last in COUNT_KEYS:  # a deployment takes one count: the swept one replaces it
        for k in COUNT_KEYS:
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


#: Key paths broadcast through the models as arrays (a chunk of points is one vectorised computation): exactly
#: the numbers :func:`facility.inputs.compile_inputs` compiles (``cooling.<key>`` of ``COOLING_SI``,
#: ``compute.deployments[i].<count>`` of ``COUNT_KEYS``, ``load.level``), built from those tables so the two cannot
#: drift. Every other key (site, architecture, plant, catalog entries, ...) is mapped: one group of points per value.
ARRAY_KEYS = re.compile(
    rf"cooling\.({'|'.join(map(re.escape, COOLING_SI))})"
    rf"|compute\.deployments\[\d+\]\.({'|'.join(map(re.escape, COUNT_KEYS))})"
    r"|load\.level")


def _get(node: Any, path: list[str | int]) -> Any:
    for p in path:
        node = node[p] if isinstance(p, int) else getattr(node, p)
    return node


def _design_kpis(r) -> dict[str, Any]:
    p = r.power
    return {
        "it_power_mw": p.it_power.m_as("MW"), "facility_power_design_mw": r.facility_power.m_as("MW"),
        "pue_design": r.pue, "cooling_power_mw": r.cooling.cooling_power.m_as("MW"),
        "electrical_loss_mw": p.electrical_loss.m_as("MW"), "copper_mass_t": p.copper_mass.m_as("t"),
        "accelerators": r.load.accelerators, "racks": r.load.racks,
    }


def _run_task(data: dict, source: str, base, arrays: dict[str, tuple[np.ndarray, str | None]],
              hourly: tuple[str, ...] = ()) -> dict[str, np.ndarray]:
    """One task: points of one group that differ only in array keys, as one batch (design values of shape (P,)).

    ``arrays``: array key -> (magnitudes (P,), their unit or None for plain numbers).

    With no array keys the task is one point, sized and run as a single scenario.
    """

    keep_freed_memory()  # a batch's arrays are reused instead of faulted in again (see facility._memory)
    s = Scenario.from_dict(data, source=source, base=base)  # the structure; its numbers are one point's
    # the batch's numbers beside it, in SI (each value validated alone in sweep()): no array enters a pydantic model
    inputs = compile_inputs(s, {key: Q_(mags, unit) if unit is not None else mags
                                for key, (mags, unit) in arrays.items()})
    n = inputs.points  # P (1 with no array keys)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        try:
            r = design_campus(s, it_load(s, inputs), inputs)
        except InfeasibleDesign:  # one point (no array keys) that is infeasible
            return ({k: np.full(n, math.nan) for k in SWEEP_KPIS} | {"feasible": np.zeros(n)}
                    | {k: np.full((n, HOURS), math.nan) for k in hourly})
        annual, hours = year_kpis(r, hourly)  # the year computes only the annual sums and the series asked for
        kpis = _design_kpis(r) | annual
    bad = np.broadcast_to(np.asarray(r.cooling.infeasible, dtype=bool), (n,))
    out = {k: np.where(bad, math.nan, np.broadcast_to(np.asarray(kpis[k], dtype=float), (n,))) for k in SWEEP_KPIS}
    out |= {k: np.where(bad[:, None], math.nan, np.broadcast_to(v, (n, HOURS))) for k, v in hours.items()}
    out["feasible"] = (~bad).astype(float)
    return out


def sweep(scenario: Scenario, variations: Mapping[str, Sequence[Any]], *, scheduler: str = "serial",
          address: str | None = None, workers: int = 2, chunk_size: int = 50,
          progress: Callable[[int, int], None] | None = None, hourly: bool | Sequence[str] = False) -> xr.Dataset:
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
    hourly
        Also return hourly variables on a ``time`` dimension: ``True`` for :data:`DEFAULT_HOURLY`, or names
        from :data:`SWEEP_HOURLY`. Memory: 70 kB per variable and point (8,760 float64), kept for the whole
        sweep (the KPIs alone stay bounded by ``chunk_size``).

    Returns
    -------
    xarray.Dataset
        One variable per KPI (``units`` attribute) plus ``feasible``, on the swept dimensions in the given order;
        the hourly variables on ``time`` and those dimensions. Attributes ``array_keys`` (broadcast as arrays)
        and ``mapped_keys`` (one group of points per value) say how the points ran.

    Examples
    --------
    >>> from facility import load_scenario
    >>> ds = sweep(load_scenario("scenarios/dojo-exapod.toml"), {"cooling.tcs_supply": ["30 degC", "40 degC"]})
    >>> ds.pue_annual.dims, ds.attrs["array_keys"]
    (('cooling.tcs_supply',), 'cooling.tcs_supply')
    """
    scenario_arg(scenario, "sweep"), variations_arg(variations, "sweep")
    if hourly is True:
        hourly = DEFAULT_HOURLY
    hourly = tuple(hourly or ())
    for name in hourly:
        if name not in SWEEP_HOURLY:
            raise ScenarioError(f"no hourly variable {name!r}; {did_you_mean(name, list(SWEEP_HOURLY))}expected one "
                                f"of {', '.join(SWEEP_HOURLY)}", key="hourly")
    if not variations:
        raise ScenarioError("nothing to vary; expected at least one key path with values", key="sweep")
    if chunk_size < 1:
        raise ScenarioError(f"chunk_size {chunk_size}; expected at least 1 point per task", key="chunk_size")
    base_data = scenario_to_dict(scenario)
    keys = list(variations)
    paths = {k: parse_key_path(k) for k in keys}
    known = {k: _fields(scenario, paths[k]) for k in keys}
    _one_count_per_deployment(keys, paths)
    values: dict[str, list] = {}
    parsed: dict[str, list] = {}
    for k in keys:
        vals = list(variations[k])
        if not vals:
            raise ScenarioError(f"empty list of values for {k!r}; expected at least one value", key=k)
        values[k] = vals
        parsed[k] = []
        for v in vals:  # validate each value alone first: errors before anything runs
            d = copy.deepcopy(base_data)
            _set(d, paths[k], _plain(v), k, known[k])
            one = Scenario.from_dict(d, source=f"sweep {k}={v}", base=scenario._base)
            if k.startswith("compute."):

                it_load(one)  # counts that the hall layout cannot hold fail here, not in a worker
            parsed[k].append(_get(one, paths[k]))
    array_keys = [k for k in keys if ARRAY_KEYS.fullmatch(k) and all(_numeric(v) for v in parsed[k])]
    mapped_keys = [k for k in keys if k not in array_keys]
    columns: dict[str, tuple[np.ndarray, str | None]] = {}  # array keys: magnitudes in one unit
    for k in array_keys:
        first = parsed[k][0]
        if isinstance(first, pint.Quantity):
            unit = str(first.units)
            columns[k] = (np.asarray([q.m_as(unit) for q in parsed[k]], dtype=float), unit)
        else:
            columns[k] = (np.asarray(parsed[k]), None)
    index = (np.stack([g.ravel() for g in np.meshgrid(*(np.arange(len(values[k])) for k in array_keys),
                                                      indexing="ij")], axis=-1)
             if array_keys else np.zeros((1, 0), dtype=int))
    tasks = []
    for combo in itertools.product(*(values[k] for k in mapped_keys)):
        d = copy.deepcopy(base_data)
        for k, v in zip(mapped_keys, combo, strict=True):
            _set(d, paths[k], _plain(v), k, known[k])
        for k in array_keys:  # the first value in the data (a deployment's count key); the arrays go in later
            _set(d, paths[k], _plain(values[k][0]), k, known[k])
        for i in range(0, len(index), chunk_size):
            idx = index[i:i + chunk_size]
            tasks.append((d, {k: (columns[k][0][idx[:, j]], columns[k][1])
                              for j, k in enumerate(array_keys)}, hourly))
    shape = tuple(len(values[k]) for k in mapped_keys + array_keys)
    total = int(np.prod(shape))
    results = _execute(tasks, scenario.source, scenario._base, scheduler, address, workers, progress, total)
    # (groups x points) -> mapped dims + array dims -> the order the keys were given in
    order = [(mapped_keys + array_keys).index(k) for k in keys]
    coords = {}
    for k in keys:
        if k in columns:  # the validated values (an ASHRAE class such as "W40" is 40 degC here)
            first = parsed[k][0]
            c, attrs = columns[k][0], {"units": unit_text(first.units) if isinstance(first, pint.Quantity) else "1"}
        else:
            c, attrs = _coordinate(k, values[k])
        coords[k] = xr.Variable(k, c, attrs=attrs)
    data_vars = {}
    for name, (unit, long_name) in [*SWEEP_KPIS.items(), ("feasible", ("1", "the design is feasible"))]:
        arr = np.concatenate([r[name] for r in results]).reshape(shape).transpose(order)
        if name == "feasible":
            arr = arr.astype(bool)
        data_vars[name] = xr.Variable(keys, np.ascontiguousarray(arr), attrs={"units": unit, "long_name": long_name})
    for name in hourly:
        unit, long_name = SWEEP_HOURLY[name]
        arr = np.concatenate([r[name] for r in results]).reshape(*shape, HOURS).transpose(len(shape), *order)
        data_vars[name] = xr.Variable(["time", *keys], np.ascontiguousarray(arr),  # time first (DESIGN.md)
                                      attrs={"units": unit, "long_name": long_name})
    if hourly:  # every weather year is read onto the same hours (facility.weather: 2001, local standard time)
        coords["time"] = xr.Variable("time", np.datetime64("2001-01-01T00", "ns") + np.arange(HOURS)
                                     * np.timedelta64(1, "h"), attrs={"long_name": "hour of the weather year"})
    return xr.Dataset(data_vars, coords=coords,
                      attrs={"scenario": scenario.name, "points": total, "array_keys": ", ".join(array_keys),
                             "mapped_keys": ", ".join(mapped_keys)})


def _one_count_per_deployment(keys: Sequence[str], paths: Mapping[str, list[str | int]]) -> None:
    """Refuse two swept count keys of one deployment (e.g. its ``accelerators`` and its ``racks``): a deployment
    takes exactly one count, and the second would replace the first, leaving its dimension constant."""
    seen: dict[tuple, str] = {}
    for k in keys:
        p = paths[k]
        if p[-1] in COUNT_KEYS and len(p) > 1:
            first = seen.setdefault(tuple(p[:-1]), k)
            if first != k:
                raise ScenarioError(f"{first!r} and {k!r} both count {format_key_path(p[:-1])}; a deployment takes "
                                    f"one count (one of {', '.join(COUNT_KEYS)}); expected one count key per "
                                    "deployment in a sweep", key=k)


def _fields(scenario: Scenario, path: list[str | int]) -> list[str]:
    """The schema's keys of the section holding ``path`` (optional keys left unset are valid to sweep)."""
    try:
        return list(type(_get(scenario, path[:-1])).model_fields)
    except (AttributeError, IndexError, KeyError, TypeError):
        return []


def _numeric(v: Any) -> bool:
    return isinstance(v, pint.Quantity | int | float) and not isinstance(v, bool)


def _execute(tasks, source, base, scheduler, address, workers, progress, total) -> list[dict[str, np.ndarray]]:
    done = 0
    out: list[dict] = [None] * len(tasks)  # type: ignore[list-item]

    def tick(i: int, res: dict[str, np.ndarray]) -> None:
        nonlocal done
        out[i] = res
        done += len(res["feasible"])
        if progress:
            progress(done, total)

    if scheduler == "serial":
        for i, task in enumerate(tasks):
            tick(i, _run_task(*task[:1], source, base, *task[1:]))
    elif scheduler == "threads":
        from concurrent.futures import ThreadPoolExecutor, as_completed

        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(_run_task, t[0], source, base, *t[1:]): i for i, t in enumerate(tasks)}
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
            futures = [client.submit(_run_task, t[0], source, base, *t[1:], pure=False) for t in tasks]
            index = {f.key: i for i, f in enumerate(futures)}
            for f in as_completed(futures):
                tick(index[f.key], f.result())
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
    else:
        raise ScenarioError(f"unknown scheduler {scheduler!r}; expected serial, threads or dask", key="scheduler")
    return out


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
