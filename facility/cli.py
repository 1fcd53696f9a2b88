"""The ``facility`` command line.

Commands
--------
``facility run [SCENARIO] [--format table|json]``
    Size the campus of a scenario (no scenario: the bundled default) and print a table or JSON.
``facility check [PATHS...]``
    Run scenarios (default: the ``scenarios/`` folder) and compare results with their ``[expect]`` bands.
``facility fit SCENARIO --grid "300 MW" [--deployment N] [--format table|json]``
    The largest number of racks of one deployment that fits a grid envelope at design conditions.
``facility train SCENARIO --flops 3.8e25 --mfu 0.4``
    Duration, accelerator-hours and facility energy of a training run on the scenario's campus.
``facility sweep SCENARIO --vary KEY=VALUES [--vary ...] [--out sweep.nc [--hourly [VARS]]]
[--scheduler serial|threads|dask] [--chunk-size N]``
    Every combination of the varied keys, with the annual KPIs on those dimensions.
``facility swings SCENARIO [--seconds N] [--resolution "10 ms"] [--out trace.nc] [--format table|json]``
    Sub-second training swings through the chain, grid compliance and the mitigation layers (exit 1 when a
    ``[swings.expect]`` band is missed; bands are not checked on a trace overridden by --seconds/--resolution).
``facility supply SCENARIO [--format table|json] [--out dispatch.nc] [--vary KEY=VALUES ...]``
    Dispatch (and size, where free) the scenario's ``[supply]``: grid, turbines, battery, solar over its year;
    with ``--vary``, every combination of supply key values on the same campus year.
``facility sites SCENARIO --site a --site b ... [--format table|json]``
    The same campus (and its supply) at several sites, side by side.
``facility cost SCENARIO [--format table|json]``
    Capital cost of the campus's power and cooling equipment and its supply options, annualised, with the year's
    energy and water: USD, USD per MW of IT, USD per MWh of IT energy, lead times.
``facility app [--port 8501]``
    Start the Streamlit what-if explorer (``streamlit run streamlit_app.py``).
``facility catalog [--kind KIND] [--format table|json]``
    List the hardware catalog.

Exit codes: 0 success; 1 a check failed; 2 bad input or an infeasible design (one line on stderr);
3 an internal error (one line; ``--debug`` shows the traceback); 130 interrupted (Ctrl-C), 143 terminated.
Output files (``--hourly``, ``--out``) are checked to be writable before anything is computed and are written
whole or not at all.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from facility.errors import InfeasibleDesign, ScenarioError, located, shorten

__all__ = ["DEFAULT_SCENARIO", "MAX_SWEEP_POINTS", "MAX_WORKERS", "SCENARIO_DIR", "main"]

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
DEFAULT_SCENARIO = SCENARIO_DIR / "default.toml"
#: Most design points of one sweep from the command line [-]: at ~40 ms a point, 100,000 points are ~1 h of one
#: core; a larger study is a script over :func:`facility.sweep.sweep` in chunks.
MAX_SWEEP_POINTS = 100_000
#: Most workers of a local sweep [-]: more processes than this exceed the memory of a workstation (~1 GB each).
MAX_WORKERS = 256


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors: exit 2 with one line, as for bad input
        self.exit(2, f"facility: {message} (see `facility {self.prog.split()[-1]} --help`)\n"
                  if " " in self.prog else f"facility: {message} (see `facility --help`)\n")


def _parser() -> argparse.ArgumentParser:
    from facility.catalog import KINDS

    p = _Parser(prog="facility", description="Size the power and cooling of an AI data-center campus.")
    p.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    r = sub.add_parser("run", help="size a scenario and print the results")
    r.add_argument("scenario", nargs="?", default=None, help=f"scenario TOML file (default: {DEFAULT_SCENARIO.name})")
    r.add_argument("--format", choices=("table", "json"), default="table")
    r.add_argument("--hourly", metavar="FILE", default=None,
                   help="write the hourly results of the weather year: .nc (NetCDF) or .csv")
    c = sub.add_parser("check", help="run scenarios and check their [expect] bands")
    c.add_argument("paths", nargs="*", help="scenario files or folders (default: the scenarios/ folder)")
    c.add_argument("--format", choices=("table", "json"), default="table")
    f = sub.add_parser("fit", help="the largest deployment that fits a grid envelope at design conditions")
    f.add_argument("scenario", help="scenario TOML file")
    f.add_argument("--grid", required=True, help='grid envelope with its unit, e.g. "300 MW"')
    f.add_argument("--deployment", type=int, default=0, help="index of the deployment to scale (default 0)")
    f.add_argument("--format", choices=("table", "json"), default="table")
    t = sub.add_parser("train", help="duration and facility energy of a training run on a scenario's campus")
    t.add_argument("scenario", help="scenario TOML file")
    t.add_argument("--flops", required=True, help='total training compute, e.g. "3.14e23 flop" or "3.8e25"')
    t.add_argument("--mfu", type=float, required=True, help="model FLOPs utilisation, 0..1")
    t.add_argument("--format", choices=("table", "json"), default="table")
    w = sub.add_parser("sweep", help="run design variants: every combination of --vary values")
    w.add_argument("scenario", help="scenario TOML file")
    w.add_argument("--vary", action="append", required=True, metavar="KEY=VALUES",
                   help='key=start..stop:step [unit] or key=a,b,c, e.g. "cooling.tcs_supply=20..45:5 degC"')
    w.add_argument("--out", help="write the Dataset: .nc (NetCDF) or .csv")
    w.add_argument("--hourly", nargs="?", const="default", metavar="VAR,...",
                   help="add hourly variables on a time dimension to --out (default: facility_power, it_power, "
                        "cooling_power, pue, water; or a comma-separated list)")
    w.add_argument("--chunk-size", type=int, default=50, help="design points per task (bounds memory)")
    w.add_argument("--scheduler", choices=("serial", "threads", "dask"), default="serial")
    w.add_argument("--address", help="address of a dask.distributed scheduler (with --scheduler dask)")
    w.add_argument("--workers", type=int, default=2, help="workers for threads or a local dask cluster")
    w.add_argument("--format", choices=("table", "json"), default="table")
    g = sub.add_parser("swings", help="sub-second training swings, grid compliance and their mitigation")
    g.add_argument("scenario", help="scenario TOML file (its [swings] section, or the defaults)")
    g.add_argument("--seconds", help='length of the trace: seconds or a duration, e.g. 600 or "10 min"')
    g.add_argument("--resolution", help='sample step, 1-100 ms, e.g. "10 ms"')
    g.add_argument("--out", help="write the trace: .nc (NetCDF, with the spectra) or .csv")
    g.add_argument("--format", choices=("table", "json"), default="table")
    u = sub.add_parser("supply", help="where the power comes from: dispatch the scenario's [supply] over its year")
    u.add_argument("scenario", help="scenario TOML file with a [supply] section")
    u.add_argument("--format", choices=("table", "json"), default="table")
    u.add_argument("--out", help="write the hourly dispatch (or, with --vary, the sweep): .nc (NetCDF) or .csv")
    u.add_argument("--vary", action="append", metavar="KEY=VALUES",
                   help='a supply key and its values, e.g. "grid.import_limit=100..200:50 MW" or '
                        '"turbines[0].count=4,6,8" (repeat for more dimensions)')
    si = sub.add_parser("sites", help="the same campus (and its supply) at several sites, side by side")
    si.add_argument("scenario", help="scenario TOML file")
    si.add_argument("--site", action="append", required=True, help="a bundled site, alias or weather file (repeat)")
    si.add_argument("--format", choices=("table", "json"), default="table")
    co = sub.add_parser("cost", help="capital and annual cost of the campus's equipment and supply options")
    co.add_argument("scenario", help="scenario TOML file (its [supply], when present, is solved and priced)")
    co.add_argument("--format", choices=("table", "json"), default="table")
    a = sub.add_parser("app", help="start the Streamlit what-if explorer")
    a.add_argument("--port", type=int, default=8501)
    a.add_argument("--address", default="127.0.0.1",
                   help="interface to listen on (default 127.0.0.1: this machine only; 0.0.0.0: every interface)")
    k = sub.add_parser("catalog", help="list the hardware catalog")
    k.add_argument("--kind", choices=KINDS, default=None)
    k.add_argument("--format", choices=("table", "json"), default="table")
    return p


def _finite(doc, where: str = "") -> None:
    """Every number of a JSON document is finite; a NaN or an infinity is an internal error, never printed."""
    stack = [(doc, where)]
    while stack:
        node, path = stack.pop()
        if isinstance(node, float) and not math.isfinite(node):
            raise _NonFinite(f"the result has the non-finite value {node} at {path or 'the top'}; nothing was "
                             "printed")
        if isinstance(node, dict):
            stack += [(v, f"{path}.{k}" if path else str(k)) for k, v in node.items()]
        elif isinstance(node, list | tuple):
            stack += [(v, f"{path}[{i}]") for i, v in enumerate(node)]


class _NonFinite(RuntimeError):
    """A result with NaN or infinity: an internal error (exit 3), the document is not printed."""


def _dump(doc) -> str:
    _finite(doc)
    return json.dumps(doc, indent=2, allow_nan=False)


def _run(args: argparse.Namespace) -> int:
    from facility.campus import run
    from facility.results import to_json, to_table
    from facility.scenario import load_scenario

    path = Path(args.scenario) if args.scenario else DEFAULT_SCENARIO
    if args.hourly:
        from facility.export import check_output_path

        check_output_path(args.hourly, "--hourly")  # before computing
    scenario = load_scenario(path)
    result = _located(lambda: run(scenario), scenario.source)
    doc = to_json(result)
    _finite(doc)
    if args.hourly:
        from facility.export import write_hourly

        write_hourly(result.hourly, Path(args.hourly), "--hourly")
    out = _dump(doc) if args.format == "json" else to_table(doc)
    sys.stdout.write(out + "\n")
    return 0


def _located(compute, source: str):
    """Run ``compute()``; an InfeasibleDesign gets the scenario file and the deciding key named."""
    try:
        return compute()
    except InfeasibleDesign as exc:
        raise located(exc, source) from None


def _scenario_files(paths: Sequence[str]) -> list[Path]:
    files: list[Path] = []
    for p in (paths or [str(SCENARIO_DIR)]):
        path = Path(p)
        try:
            folder = path.is_dir()
        except (OSError, ValueError):  # a NUL or a name too long: load_scenario says so for this file
            folder = False
        files += sorted(path.glob("*.toml")) if folder else [path]
    return files


def _check(args: argparse.Namespace) -> int:
    from facility.campus import run
    from facility.results import to_json
    from facility.scenario import load_scenario

    rows: list[dict] = []
    failed = False
    files = _scenario_files(args.paths)
    if not files:
        raise ScenarioError("no scenario files found; expected .toml files", source=", ".join(args.paths) or None)
    internal = False
    for f in files:
        try:
            scenario = load_scenario(f)
            doc = to_json(_located(lambda s=scenario: run(s), scenario.source))
            _finite(doc)
        except (ScenarioError, InfeasibleDesign) as exc:
            rows.append({"scenario": str(f), "quantity": "(load)", "band": None, "value": None, "ok": False,
                         "error": str(exc)})
            failed = True
            continue
        except KeyboardInterrupt:
            raise
        except Exception as exc:  # recorded, and the other files still run; exit 3 at the end
            rows.append({"scenario": str(f), "quantity": "(run)", "band": None, "value": None, "ok": False,
                         "error": f"internal error: {exc.__class__.__name__}: {' '.join(str(exc).split())[:300]} "
                                  "(please report it)"})
            failed = internal = True
            continue
        if not scenario.expect:
            rows.append({"scenario": str(f), "quantity": "(no bands)", "band": None, "value": None, "ok": True})
        for key, (lo, hi) in scenario.expect.items():
            value = doc[key]
            ok = value is not None and lo <= value <= hi
            failed |= not ok
            rows.append({"scenario": str(f), "quantity": key, "band": [lo, hi], "value": value, "ok": ok})
    if args.format == "json":
        sys.stdout.write(_dump({"ok": not failed, "results": rows}) + "\n")
    else:
        table = [["scenario", "quantity", "band", "value", "result"]]
        for r in rows:
            band = f"[{r['band'][0]:g}, {r['band'][1]:g}]" if r["band"] else ""
            value = f"{r['value']:g}" if r["value"] is not None else ""
            table.append([r["scenario"], r["quantity"], band, value, "pass" if r["ok"] else "FAIL"])
        widths = [max(len(t[i]) for t in table) for i in range(5)]
        for j, t in enumerate(table):
            sys.stdout.write("  ".join(c.ljust(w) for c, w in zip(t, widths, strict=True)).rstrip() + "\n")
            if j == 0:
                sys.stdout.write("  ".join("-" * w for w in widths) + "\n")
        for r in rows:
            if "error" in r:
                sys.stdout.write(f"{r['scenario']}: {r['error']}\n")
        n_fail = sum(not r["ok"] for r in rows)
        sys.stdout.write(f"{len(files)} scenario(s), {n_fail} failure(s)\n")
    return 3 if internal else 1 if failed else 0


def _fit(args: argparse.Namespace) -> int:
    from facility.bounds import MAX_IT_POWER_W
    from facility.campus import fit_to_grid
    from facility.checks import envelope_arg
    from facility.results import to_json
    from facility.scenario import load_scenario
    from facility.units import UnitParseError, parse_quantity

    try:
        envelope = parse_quantity(args.grid, "[power]", real_power=True)
        envelope_arg(envelope, "fit", 2 * MAX_IT_POWER_W)
    except UnitParseError as exc:
        raise ScenarioError(str(exc), key="--grid") from None
    except ScenarioError as exc:
        raise ScenarioError(exc.message, key="--grid") from None
    scenario = load_scenario(args.scenario)
    if not 0 <= args.deployment < len(scenario.compute.deployments):
        raise ScenarioError(f"got {args.deployment}; expected a deployment index from 0 to "
                            f"{len(scenario.compute.deployments) - 1}", key="--deployment")
    try:
        racks, result = _located(lambda: fit_to_grid(scenario, envelope, args.deployment), scenario.source)
    except ScenarioError as exc:  # the search for the largest campus went past the campus sizes this tool plans
        if not (exc.key or "").startswith("compute.deployments"):
            raise
        raise ScenarioError(f"{args.grid} holds more than the campus sizes this tool plans ({exc.message}); expected "
                            "a smaller envelope", source=scenario.source, key="--grid") from None
    doc = to_json(result)
    _finite(doc)
    summary = {"envelope_mw": round(envelope.m_as("MW"), 6), "deployment": args.deployment, "racks": racks,
               "accelerators": result.load.deployments[args.deployment].accelerators,
               "facility_power_design_mw": doc["facility_power_design_mw"], "pue_design": doc["pue_design"],
               "it_power_mw": doc["it_power_mw"]}
    if args.format == "json":
        sys.stdout.write(_dump({**summary, "campus": doc}) + "\n")
    else:
        d = scenario.compute.deployments[args.deployment]
        sys.stdout.write(f"{racks:,} racks of {d.system} ({summary['accelerators']:,} accelerators) fit in "
                         f"{summary['envelope_mw']:g} MW at design: facility {summary['facility_power_design_mw']:.2f} "
                         f"MW, IT {summary['it_power_mw']:.2f} MW, PUE {summary['pue_design']:.3f}\n")
    return 0


def _train(args: argparse.Namespace) -> int:
    from facility.campus import run
    from facility.scenario import load_scenario
    from facility.training import training_run_on_campus
    from facility.units import UnitParseError, parse_quantity, read_quantity

    text = args.flops.strip()
    try:
        bare = read_quantity(text)  # "3.8e25" (a bare number: FLOPs) or "3.8e25 flop"
        flops = parse_quantity(f"{text} flop" if bare.unitless else text, "[computation]")
    except UnitParseError as exc:
        raise ScenarioError(f"got {shorten(args.flops)}; expected a compute budget such as \"3.14e23 flop\" or "
                            f"3.14e23 ({exc})", key="--flops") from None
    if not 0 < flops.m_as("flop") <= 1e40:
        raise ScenarioError(f"got {shorten(args.flops)}; expected a compute budget above 0 and at most 1e40 flop "
                            "(10,000 times the largest training runs of 2025)", key="--flops")
    if not 0.0 < args.mfu <= 1.0:
        raise ScenarioError(f"got {args.mfu!r}; expected a model FLOPs utilisation in (0, 1]", key="--mfu")
    scenario = load_scenario(args.scenario)
    result = _located(lambda: run(scenario), scenario.source)
    tr = training_run_on_campus(result, flops, args.mfu)
    doc = {"accelerators": tr.accelerators, "duration_days": round(tr.duration.m_as("day"), 6),
           "accelerator_hours": round(tr.accelerator_hours.m_as("h"), 3),
           "it_energy_mwh": round(tr.it_energy.m_as("MWh"), 6),
           "facility_energy_mwh": round(tr.facility_energy.m_as("MWh"), 6), "pue": round(tr.pue, 8)}
    _finite(doc)
    if args.format == "json":
        sys.stdout.write(_dump(doc) + "\n")
    else:
        sys.stdout.write(f"{doc['accelerators']:,} accelerators at MFU {args.mfu:g}: {doc['duration_days']:.2f} days, "
                         f"{doc['accelerator_hours']:,.0f} accelerator-hours, IT {doc['it_energy_mwh']:,.1f} MWh, "
                         f"facility {doc['facility_energy_mwh']:,.1f} MWh (annual PUE {doc['pue']:.3f})\n")
    return 0


_NUM = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_RANGE = re.compile(rf"({_NUM})\s*\.\.\s*({_NUM})\s*:\s*({_NUM})\s*(.*)")
_NUMBER = re.compile(_NUM)


def _vary(spec: str) -> tuple[str, list]:
    """``--vary KEY=VALUES``: ``key=start..stop:step [unit]`` (inclusive) or ``key=a,b,c [unit]``.

    Checked before it is expanded: a range of at most :data:`MAX_SWEEP_POINTS` finite values; in a list, a unit
    written after the last value applies to every bare number (``30,35 degC``). Other lists are read by
    :func:`facility.sweep.parse_vary`.
    """
    from facility.sweep import parse_vary

    if len(spec) > 10_000:
        raise ScenarioError(f"got a --vary of {len(spec):,} characters; expected at most 10,000", key="--vary")
    if "=" not in spec:
        return parse_vary(spec)
    key, _, rhs = spec.partition("=")
    key, rhs = key.strip(), rhs.strip()
    m = _RANGE.fullmatch(rhs)
    if m:
        start, stop, step, unit = float(m[1]), float(m[2]), float(m[3]), m[4].strip()
        if not all(map(math.isfinite, (start, stop, step))) or step <= 0 or stop < start:
            raise ScenarioError(f"empty or infinite range in {shorten(spec)}; expected finite start <= stop and a "
                                "positive step", key=key or "--vary")
        n = (stop - start) / step + 1
        if n > MAX_SWEEP_POINTS:
            raise ScenarioError(f"the range {shorten(rhs)} has {n:,.4g} values; expected at most "
                                f"{MAX_SWEEP_POINTS:,} points in a sweep", key=key)
        nums = [start + i * step for i in range(math.floor(n - 1 + 1e-9) + 1)]
        if not unit:  # plain numbers: counts stay whole numbers
            whole = all(float(x).is_integer() for x in (start, stop, step))
            return key, [int(x) if whole else x for x in nums]
        return key, [f"{x:g} {unit}" for x in nums]
    items = [x.strip() for x in rhs.split(",")]
    last = items[-1].split(None, 1)
    if (len(items) > 1 and len(last) == 2 and _NUMBER.fullmatch(last[0])
            and all(_NUMBER.fullmatch(x) for x in items[:-1])):
        spec = f"{key}=" + ",".join(f"{x} {last[1]}" for x in items[:-1]) + f",{items[-1]}"
    return parse_vary(spec)


def _sweep(args: argparse.Namespace) -> int:
    import numpy as np

    from facility.export import check_output_path, write_hourly
    from facility.scenario import load_scenario
    from facility.sweep import SWEEP_KPIS, sweep

    if args.out:
        check_output_path(args.out, "--out")  # before computing
    if args.hourly and not args.out:
        raise ScenarioError("--hourly writes hourly variables to a file; expected --out sweep.nc", key="--hourly")
    if not 1 <= args.workers <= MAX_WORKERS:
        raise ScenarioError(f"got {args.workers}; expected from 1 to {MAX_WORKERS} workers", key="--workers")
    if args.chunk_size < 1:
        raise ScenarioError(f"got {args.chunk_size}; expected at least 1 design point per task", key="--chunk-size")
    if args.address and args.scheduler != "dask":
        raise ScenarioError(f"--address {shorten(args.address)} names a dask scheduler; expected --scheduler dask "
                            "with it", key="--address")
    variations = dict(_vary(v) for v in args.vary)
    scenario = load_scenario(args.scenario)
    total = math.prod(len(v) for v in variations.values())
    if total > MAX_SWEEP_POINTS:
        raise ScenarioError(f"{total:,} design points; expected at most {MAX_SWEEP_POINTS:,} in one sweep (fewer "
                            "values per key, or a script over facility.sweep in parts)", key="--vary")

    def bar(done: int, n: int) -> None:
        if sys.stderr.isatty() or n >= 20:
            filled = int(30 * done / n)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{n} design points")
            if done == n:
                sys.stderr.write("\n")
            sys.stderr.flush()

    hourly: bool | list[str] = False
    if args.hourly:
        hourly = True if args.hourly == "default" else [v.strip() for v in args.hourly.split(",") if v.strip()]
    if args.address:  # an unreachable scheduler: say so after 10 s, not dask's default 30 s
        import dask

        dask.config.set({"distributed.comm.timeouts.connect": "10s"})
    try:
        ds = sweep(scenario, variations, scheduler=args.scheduler, address=args.address, workers=args.workers,
                   progress=bar, hourly=hourly, chunk_size=args.chunk_size)
        if any(k.startswith("supply.") for k in variations):  # supply keys: the supply solved on each campus year
            from facility.siting import add_supply_to_sweep

            ds = add_supply_to_sweep(scenario, variations, ds)
    except (OSError, TimeoutError) as exc:
        if args.scheduler != "dask":
            raise
        raise ScenarioError(f"cannot reach or start the dask scheduler ({exc.__class__.__name__}: "
                            f"{shorten(str(exc), 200)}); expected a running dask.distributed scheduler at this "
                            "address, e.g. tcp://host:8786", key="--address" if args.address else "--scheduler") from None
    from facility.supply import SWEEP_KPIS as SUPPLY_KPIS

    extra = [*SUPPLY_KPIS, "supply_feasible"] if "supply_feasible" in ds else []
    df = ds[[*SWEEP_KPIS, "feasible", *extra]].to_dataframe().reset_index()
    kpis = df[list(SWEEP_KPIS)].to_numpy(dtype=float)
    feasible = df["feasible"].to_numpy(dtype=bool)
    if not np.all(np.isfinite(kpis[feasible])):
        raise _NonFinite("a feasible design point of the sweep has a non-finite KPI; nothing was written")
    if args.out:
        write_hourly(ds, Path(args.out), "--out")
    if args.format == "json":  # infeasible points: null
        records = json.loads(df.to_json(orient="records"))
        sys.stdout.write(_dump(records) + "\n")
    else:
        cols = [*variations, "it_power_mw", "facility_power_design_mw", "pue_design", "pue_annual", "chiller_hours",
                "wue_l_per_kwh", "feasible"]
        if extra:
            cols += ["lcoe_usd_per_mwh", "co2_t", "grid_peak_mw", "starts", "supply_feasible"]
        sys.stdout.write(df[cols].to_string(index=False, float_format=lambda x: f"{x:.4g}", na_rep="-") + "\n")
    return 0


def _swings(args: argparse.Namespace) -> int:
    from facility.campus import run
    from facility.export import write_hourly
    from facility.scenario import load_scenario
    from facility.swings import SWINGS_KEYS, Swings, check_expect, simulate_swings

    if args.out and Path(args.out).suffix.lower() not in (".nc", ".csv"):
        raise ScenarioError(f"got {args.out!r}; expected a file ending in .nc or .csv", key="--out")
    seconds = args.seconds
    if seconds is not None:
        try:
            seconds = f"{float(seconds)!r} s"
        except ValueError:
            pass
    scenario = load_scenario(args.scenario)
    result = simulate_swings(run(scenario, year=False), seconds=seconds, resolution=args.resolution)
    if args.out:
        ds = result.dataset()
        write_hourly(ds.drop_dims("frequency") if args.out.lower().endswith(".csv") else ds, Path(args.out))
    doc = result.to_json()
    # the bands describe the scenario's own trace: a shorter or coarser one is reported, not checked
    rows = [] if (args.seconds or args.resolution) else check_expect(scenario.swings or Swings(), doc)
    doc["expect"] = rows
    if args.format == "json":
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
    else:
        width = max(len(k) for k in SWINGS_KEYS)
        for key, desc in SWINGS_KEYS.items():
            if key in doc:
                v = doc[key]
                text = f"{v:,.6g}" if isinstance(v, float) else str(v)
                sys.stdout.write(f"{key.ljust(width)}  {text:>14}  {desc}\n")
        for r in rows:
            sys.stdout.write(f"expect {r['quantity']} in [{r['band'][0]:g}, {r['band'][1]:g}]: "
                             f"{r['value']} {'pass' if r['ok'] else 'FAIL'}\n")
    return 0 if all(r["ok"] for r in rows) else 1


def _supply(args: argparse.Namespace) -> int:
    from facility.campus import run
    from facility.export import write_hourly
    from facility.scenario import load_scenario
    from facility.supply import supply_for, supply_table

    if args.out and Path(args.out).suffix.lower() not in (".nc", ".csv"):
        raise ScenarioError(f"got {args.out!r}; expected a file ending in .nc or .csv", key="--out")
    scenario = load_scenario(args.scenario)
    if scenario.supply is None:
        raise ScenarioError("the scenario has no [supply] section; expected one (see README, 'Where the power "
                            "comes from')", source=str(args.scenario), key="supply")
    if args.vary:
        return _supply_sweep(args, scenario)
    result = supply_for(run(scenario))
    if args.out:
        write_hourly(result.hourly, Path(args.out))
    doc = {"scenario": scenario.name, "source": str(args.scenario), **result.to_json()}
    sys.stdout.write((json.dumps(doc, indent=2) if args.format == "json" else supply_table(doc)) + "\n")
    return 0


def _supply_sweep(args: argparse.Namespace, scenario) -> int:
    from facility.campus import run
    from facility.export import write_hourly
    from facility.supply import SWEEP_KPIS, sweep_supply
    from facility.sweep import parse_vary

    variations = dict(parse_vary(v) for v in args.vary)
    ds = sweep_supply(run(scenario), variations)
    if args.out:
        write_hourly(ds, Path(args.out))
    df = ds[[*SWEEP_KPIS, "feasible"]].to_dataframe().reset_index()
    if args.format == "json":
        sys.stdout.write(df.to_json(orient="records", indent=2) + "\n")
    else:
        sys.stdout.write(df.to_string(index=False, float_format=lambda x: f"{x:.4g}") + "\n")
    return 0


def _cost(args: argparse.Namespace) -> int:
    from facility.campus import run
    from facility.capex import campus_capex, capex_table
    from facility.results import to_json
    from facility.scenario import load_scenario
    from facility.supply import supply_for

    scenario = load_scenario(args.scenario)
    result = run(scenario)
    supply = supply_for(result).to_json() if scenario.supply is not None else None
    doc = {"scenario": scenario.name, "source": str(args.scenario), **campus_capex(to_json(result), supply)}
    sys.stdout.write((json.dumps(doc, indent=2) if args.format == "json" else capex_table(doc)) + "\n")
    return 0


def _sites(args: argparse.Namespace) -> int:
    from facility.scenario import load_scenario
    from facility.siting import compare_sites

    rows = compare_sites(load_scenario(args.scenario), args.site)
    if args.format == "json":
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return 0
    keys = list(rows[0])
    table = [keys] + [[r[k] if isinstance(r[k], str) else "" if r[k] is None else f"{r[k]:,.4g}" for k in keys]
                      for r in rows]
    widths = [max(len(t[i]) for t in table) for i in range(len(keys))]
    for j, t in enumerate(table):
        sys.stdout.write("  ".join(c.ljust(w) for c, w in zip(t, widths, strict=True)).rstrip() + "\n")
        if j == 0:
            sys.stdout.write("  ".join("-" * w for w in widths) + "\n")
    return 0


def _app(args: argparse.Namespace) -> int:
    """Streamlit as a child process on ``--address`` (default 127.0.0.1); SIGTERM and SIGINT are passed on to it
    and the command waits for it to end, so stopping ``facility app`` stops the server."""
    import subprocess

    app = Path(__file__).resolve().parent.parent / "streamlit_app.py"
    if not app.is_file():
        raise ScenarioError(f"{app} not found; the explorer runs from a checkout of the project", key="app")
    if not 1 <= args.port <= 65535:
        raise ScenarioError(f"got {args.port}; expected a TCP port from 1 to 65535", key="--port")
    if not re.fullmatch(r"[A-Za-z0-9.:\-\[\]]{1,255}", args.address):
        raise ScenarioError(f"got {shorten(args.address)}; expected an IP address or a host name", key="--address")
    child = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(args.port),
                              "--server.address", args.address, "--server.headless", "true"], cwd=app.parent)
    received: list[int] = []

    def forward(signum, _frame) -> None:
        received.append(signum)
        if child.poll() is None:
            child.send_signal(signum)

    previous = {s: signal.signal(s, forward) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        while True:
            try:
                code = child.wait(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                if received and len(received) > 2:  # asked three times: stop waiting for a clean exit
                    child.kill()
    finally:
        for s, h in previous.items():
            signal.signal(s, h)
        if child.poll() is None:
            child.kill()
            child.wait()
    if received:
        sys.stderr.write("facility: app stopped\n")
        return 128 + received[0]
    return code


def _key_figures(d: dict) -> str:
    """A one-line summary of a catalog entry's figures for the table."""
    from facility.catalog import COOLING_KINDS

    k = d["kind"]
    if k == "overhead":
        return (f"{d['power_per_accelerator_max_w']:g} W/acc max, {d['power_per_accelerator_typical_w']:g} typ, "
                f"racks of {d['rack_power_max_kw']:g} kW")
    if k == "transformer":
        return (f"{d['rating_kva']:,.0f} kVA, P0 {d['no_load_loss_kw']:g} kW, Pk {d['load_loss_kw']:g} kW, "
                f"eff@50% {d['efficiency_at_50pct']:.2%}")
    if k == "converter":
        peak = max(e for _, e in d["efficiency_points"])
        return f"{d['rating_kw']:g} kW, peak eff {peak:.2%}"
    if k == "conductor":
        return (f"{d['material']} {d['ampacity_a']:g} A/circuit, {d['current_density_a_per_mm2']:g} A/mm2, "
                f"{d['length_m']:g} m")
    if k in COOLING_KINDS or k == "house-load":
        return ", ".join(f"{key} {d[key]}" for key in d if key not in ("name", "kind", "description", "sources"))
    lf = d.get("liquid_fraction")
    text = (f"{d['accelerators']:,} acc, {d['power_max_kw']:g} kW max, {d['power_typical_kw']:g} typ, "
            f"{d['bf16_dense_tflops']:,.0f} TFLOPS")
    return text + (f", {lf:.0%} liquid" if lf is not None else "")


def _catalog(args: argparse.Namespace) -> int:
    from facility.catalog import load_catalog

    cat = load_catalog()
    names = cat.names(*(args.kind,) if args.kind else ())
    entries = [cat.describe(n) for n in names]
    if args.format == "json":
        sys.stdout.write(_dump(entries) + "\n")
        return 0
    rows = [["name", "kind", "key figures", "description"]]
    for d in entries:
        rows.append([d["name"], d["kind"], _key_figures(d), d["description"]])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for j, r in enumerate(rows):
        sys.stdout.write("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() + "\n")
        if j == 0:
            sys.stdout.write("  ".join("-" * w for w in widths) + "\n")
    sys.stdout.write("Sources of every figure: facility catalog --format json\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``facility`` console script; returns the exit code."""
    debug = "--debug" in (sys.argv[1:] if argv is None else argv)
    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)  # from here on Ctrl-C is KeyboardInterrupt
    except ValueError:  # not the main thread (an embedding program): leave signals alone
        pass
    try:
        return _main(argv)
    except KeyboardInterrupt:
        sys.stderr.write("facility: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # an internal error: one line, never a traceback unless asked
        if debug:
            raise
        text = " ".join(str(exc).split())
        sys.stderr.write(f"facility: internal error: {exc.__class__.__name__}: {text[:500]} "
                         "(please report it; --debug shows the traceback)\n")
        return 3


def _main(argv: Sequence[str] | None) -> int:
    import warnings

    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2), already printed
        return exc.code if isinstance(exc.code, int) else 2
    warnings.filterwarnings("ignore", message=r"Columns \(.*\) have mixed types")  # pandas' DtypeWarning
    try:
        return {"run": _run, "check": _check, "catalog": _catalog, "fit": _fit, "train": _train,
                "app": _app, "sweep": _sweep, "swings": _swings, "supply": _supply,
                "sites": _sites, "cost": _cost}[args.command](args)
    except (ScenarioError, InfeasibleDesign) as exc:
        sys.stderr.write(f"facility: error: {exc}\n")
        return 2
    except RecursionError:
        sys.stderr.write("facility: error: the input is nested too deeply to read\n")
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
