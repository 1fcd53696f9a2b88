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
``facility app [--port 8501]``
    Start the Streamlit what-if explorer (``streamlit run streamlit_app.py``).
``facility catalog [--kind KIND] [--format table|json]``
    List the hardware catalog.

Exit codes: 0 success; 1 a check failed; 2 bad input or an infeasible design (one line on stderr);
3 an internal error (one line; ``--debug`` shows the traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from facility.campus import run
from facility.catalog import COOLING_KINDS, KINDS, load_catalog
from facility.errors import InfeasibleDesign, ScenarioError
from facility.results import to_json, to_table
from facility.scenario import load_scenario

__all__ = ["DEFAULT_SCENARIO", "SCENARIO_DIR", "main"]

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
DEFAULT_SCENARIO = SCENARIO_DIR / "default.toml"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors: exit 2 with one line, as for bad input
        self.exit(2, f"facility: {message} (see `facility {self.prog.split()[-1]} --help`)\n"
                  if " " in self.prog else f"facility: {message} (see `facility --help`)\n")


def _parser() -> argparse.ArgumentParser:
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
    a = sub.add_parser("app", help="start the Streamlit what-if explorer")
    a.add_argument("--port", type=int, default=8501)
    k = sub.add_parser("catalog", help="list the hardware catalog")
    k.add_argument("--kind", choices=KINDS, default=None)
    k.add_argument("--format", choices=("table", "json"), default="table")
    return p


def _run(args: argparse.Namespace) -> int:
    path = Path(args.scenario) if args.scenario else DEFAULT_SCENARIO
    if args.hourly and Path(args.hourly).suffix.lower() not in (".nc", ".csv"):
        raise ScenarioError(f"got {args.hourly!r}; expected a file ending in .nc or .csv", key="--hourly")
    scenario = load_scenario(path)
    result = run(scenario)
    if args.hourly:
        from facility.export import write_hourly

        write_hourly(result.hourly, Path(args.hourly))
    doc = to_json(result)
    out = json.dumps(doc, indent=2) if args.format == "json" else to_table(doc)
    sys.stdout.write(out + "\n")
    return 0


def _scenario_files(paths: Sequence[str]) -> list[Path]:
    files: list[Path] = []
    for p in (paths or [str(SCENARIO_DIR)]):
        path = Path(p)
        files += sorted(path.glob("*.toml")) if path.is_dir() else [path]
    return files


def _check(args: argparse.Namespace) -> int:
    rows: list[dict] = []
    failed = False
    files = _scenario_files(args.paths)
    if not files:
        raise ScenarioError("no scenario files found; expected .toml files", source=", ".join(args.paths) or None)
    for f in files:
        try:
            scenario = load_scenario(f)
            doc = to_json(run(scenario))
        except (ScenarioError, InfeasibleDesign) as exc:
            rows.append({"scenario": str(f), "quantity": "(load)", "band": None, "value": None, "ok": False,
                         "error": str(exc)})
            failed = True
            continue
        if not scenario.expect:
            rows.append({"scenario": str(f), "quantity": "(no bands)", "band": None, "value": None, "ok": True})
        for key, (lo, hi) in scenario.expect.items():
            value = doc[key]
            ok = lo <= value <= hi
            failed |= not ok
            rows.append({"scenario": str(f), "quantity": key, "band": [lo, hi], "value": value, "ok": ok})
    if args.format == "json":
        sys.stdout.write(json.dumps({"ok": not failed, "results": rows}, indent=2) + "\n")
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
    return 1 if failed else 0


def _fit(args: argparse.Namespace) -> int:
    from facility.campus import fit_to_grid
    from facility.units import UnitParseError, parse_quantity

    try:
        envelope = parse_quantity(args.grid, "[power]")
    except UnitParseError as exc:
        raise ScenarioError(str(exc), key="--grid") from None
    if envelope.magnitude <= 0:
        raise ScenarioError(f"got {args.grid!r}; expected a positive power", key="--grid")
    scenario = load_scenario(args.scenario)
    racks, result = fit_to_grid(scenario, envelope, args.deployment)
    doc = to_json(result)
    summary = {"envelope_mw": round(envelope.m_as("MW"), 6), "deployment": args.deployment, "racks": racks,
               "accelerators": result.load.deployments[args.deployment].accelerators,
               "facility_power_design_mw": doc["facility_power_design_mw"], "pue_design": doc["pue_design"],
               "it_power_mw": doc["it_power_mw"]}
    if args.format == "json":
        sys.stdout.write(json.dumps({**summary, "campus": doc}, indent=2) + "\n")
    else:
        d = scenario.compute.deployments[args.deployment]
        sys.stdout.write(f"{racks:,} racks of {d.system} ({summary['accelerators']:,} accelerators) fit in "
                         f"{summary['envelope_mw']:g} MW at design: facility {summary['facility_power_design_mw']:.2f} "
                         f"MW, IT {summary['it_power_mw']:.2f} MW, PUE {summary['pue_design']:.3f}\n")
    return 0


def _train(args: argparse.Namespace) -> int:
    from facility.training import training_run_on_campus
    from facility.units import Q_, UnitParseError, parse_quantity

    text = args.flops.strip()
    try:
        flops = Q_(float(text), "flop") if text.replace(".", "", 1).replace("e", "", 1).replace("+", "").isdigit() \
            else parse_quantity(text, "[computation]")
    except (UnitParseError, ValueError) as exc:
        raise ScenarioError(f"got {args.flops!r}; expected a compute budget such as \"3.14e23 flop\" ({exc})",
                            key="--flops") from None
    if flops.magnitude <= 0:
        raise ScenarioError(f"got {args.flops!r}; expected a positive compute budget", key="--flops")
    if not 0.0 < args.mfu <= 1.0:
        raise ScenarioError(f"got {args.mfu!r}; expected a model FLOPs utilisation in (0, 1]", key="--mfu")
    result = run(load_scenario(args.scenario))
    tr = training_run_on_campus(result, flops, args.mfu)
    doc = {"accelerators": tr.accelerators, "duration_days": round(tr.duration.m_as("day"), 6),
           "accelerator_hours": round(tr.accelerator_hours.m_as("h"), 3),
           "it_energy_mwh": round(tr.it_energy.m_as("MWh"), 6),
           "facility_energy_mwh": round(tr.facility_energy.m_as("MWh"), 6), "pue": round(tr.pue, 8)}
    if args.format == "json":
        sys.stdout.write(json.dumps(doc, indent=2) + "\n")
    else:
        sys.stdout.write(f"{doc['accelerators']:,} accelerators at MFU {args.mfu:g}: {doc['duration_days']:.2f} days, "
                         f"{doc['accelerator_hours']:,.0f} accelerator-hours, IT {doc['it_energy_mwh']:,.1f} MWh, "
                         f"facility {doc['facility_energy_mwh']:,.1f} MWh (annual PUE {doc['pue']:.3f})\n")
    return 0


def _sweep(args: argparse.Namespace) -> int:
    from facility.export import write_hourly
    from facility.sweep import SWEEP_KPIS, parse_vary, sweep

    if args.out and Path(args.out).suffix.lower() not in (".nc", ".csv"):
        raise ScenarioError(f"got {args.out!r}; expected a file ending in .nc or .csv", key="--out")
    variations = dict(parse_vary(v) for v in args.vary)
    scenario = load_scenario(args.scenario)
    total = 1
    for v in variations.values():
        total *= len(v)

    def bar(done: int, n: int) -> None:
        if sys.stderr.isatty() or n >= 20:
            filled = int(30 * done / n)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{n} design points")
            if done == n:
                sys.stderr.write("\n")
            sys.stderr.flush()

    hourly: bool | list[str] = False
    if args.hourly:
        if not args.out:
            raise ScenarioError("--hourly writes hourly variables to a file; expected --out sweep.nc", key="--hourly")
        hourly = True if args.hourly == "default" else [v.strip() for v in args.hourly.split(",") if v.strip()]
    ds = sweep(scenario, variations, scheduler=args.scheduler, address=args.address, workers=args.workers,
               progress=bar, hourly=hourly, chunk_size=args.chunk_size)
    if args.out:
        write_hourly(ds, Path(args.out))
    df = ds[[*SWEEP_KPIS, "feasible"]].to_dataframe().reset_index()
    if args.format == "json":
        sys.stdout.write(df.to_json(orient="records", indent=2) + "\n")
    else:
        cols = [*variations, "it_power_mw", "facility_power_design_mw", "pue_design", "pue_annual", "chiller_hours",
                "wue_l_per_kwh", "feasible"]
        sys.stdout.write(df[cols].to_string(index=False, float_format=lambda x: f"{x:.4g}") + "\n")
    return 0


def _swings(args: argparse.Namespace) -> int:
    from facility.export import write_hourly
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
    from facility.export import write_hourly
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


def _sites(args: argparse.Namespace) -> int:
    from facility.supply import compare_sites

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
    import subprocess

    app = Path(__file__).resolve().parent.parent / "streamlit_app.py"
    if not app.is_file():
        raise ScenarioError(f"{app} not found; the explorer runs from a checkout of the project", key="app")
    return subprocess.call([sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(args.port)],
                           cwd=app.parent)


def _key_figures(d: dict) -> str:
    """A one-line summary of a catalog entry's figures for the table."""
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
    if k in COOLING_KINDS:
        return ", ".join(f"{key} {d[key]}" for key in d if key not in ("name", "kind", "description", "sources"))
    lf = d.get("liquid_fraction")
    text = (f"{d['accelerators']:,} acc, {d['power_max_kw']:g} kW max, {d['power_typical_kw']:g} typ, "
            f"{d['bf16_dense_tflops']:,.0f} TFLOPS")
    return text + (f", {lf:.0%} liquid" if lf is not None else "")


def _catalog(args: argparse.Namespace) -> int:
    cat = load_catalog()
    names = cat.names(*(args.kind,) if args.kind else ())
    entries = [cat.describe(n) for n in names]
    if args.format == "json":
        sys.stdout.write(json.dumps(entries, indent=2) + "\n")
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
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2), already printed
        return exc.code if isinstance(exc.code, int) else 2
    try:
        return {"run": _run, "check": _check, "catalog": _catalog, "fit": _fit, "train": _train,
                "app": _app, "sweep": _sweep, "swings": _swings, "supply": _supply,
                "sites": _sites}[args.command](args)
    except (ScenarioError, InfeasibleDesign) as exc:
        sys.stderr.write(f"facility: error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("facility: interrupted\n")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # an internal error: one line, never a traceback unless asked
        if args.debug:
            raise
        sys.stderr.write(f"facility: internal error: {exc.__class__.__name__}: {exc} "
                         "(please report it; --debug shows the traceback)\n")
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
