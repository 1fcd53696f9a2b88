"""Fuzz suite: the bundled scenarios, mutated as a hostile user would, either run or are refused in one line.

Every case ends in a result whose JSON document is finite, or in ``ScenarioError`` / ``InfeasibleDesign``; never
another exception, never a hang (each case runs under a ``signal.alarm`` time budget). Mutations: keys deleted,
values swapped between keys, numbers (and the numbers of quantities) scaled by 1e-30..1e30, values replaced by
random strings, other units, inf / nan, booleans, lists and tables, values nested up to 1,000 levels deep,
catalog fields and stage voltages overridden with hostile values.

Profiles (``tests/conftest.py``): the default runs a few hundred cases (< 60 s); ``--hypothesis-profile=nightly``
runs 50,000.
"""

from __future__ import annotations

import copy
import math
import os
import signal
import tomllib
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from facility import InfeasibleDesign, Scenario, ScenarioError, run, to_json
from facility.catalog import FIELDS, load_catalog
from facility.cli import SCENARIO_DIR

#: File that a long run appends one letter per case to (its progress and outcome counts); unset: none.
TALLY = os.environ.get("FACILITY_FUZZ_TALLY")
#: Seconds a case may take: a valid campus runs its year in well under a second; 30 s is a hang.
CASE_BUDGET_S = 30
BASES = {p.name: tomllib.loads(p.read_text(encoding="utf-8")) for p in sorted(SCENARIO_DIR.glob("*.toml"))}
CATALOG_NAMES = load_catalog().names()
STAGE_IDS = ["hv-transformer", "mv-feeders", "unit-substation", "ups", "busway", "power-shelf", "rack-busbar", "ibc",
             "vrm", "rectifier", "dcdc", "bbu", "mech-unit-substation"]
UNITS = ["W", "kW", "MW", "GW", "VA", "MVA", "V", "kV", "mV", "uV", "A", "degC", "degF", "K", "delta_degC",
         "delta_degF", "kPa", "bar", "psi", "m", "km", "ft", "m/s", "h", "s", "day", "FLOPS", "EFLOPS", "flop", "%",
         "kg", "m^3/s", "K/W", "A/mm^2", "dimensionless", "furlong", "nonsense"]
HOSTILE = ["10**10**10 kV", "1" * 600 + " degC", "x" * 5000, "W+", "W32", "W99", "-480 V", "1 uV", "0 V", "1e-308 MW",
           "1e308 MW", "nan W", "inf K", "-inf degC", "", " ", "\x00", "161 kV[", "(1) W", "2*3 kW", "300 MVA",
           "999 degC", "-273.15 degC", "0 K", "1e400 W", "0x10 W", "1_000 W", "35 degC degC", "1/0 W", "é", "\ufeff",
           "pvgis:91,0", "a" * 300, "/dev/zero", "/tmp", "../../../../etc/passwd", "x\x00.epw", "tampa", "csv", "chiller",
           "dry-cooler+dry-cooler", "2N", "catcher 1+1", "N+1000", "ac-480v", "h100-lc-64", "dojo-exapod"]
NUMBERS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**30), 10**30),
                    st.sampled_from([0, 1, -1, 1e308, -1e308, 1e-308, 5e-324, 2**63, 2**64, 10**18, 0.5]))
QUANTITIES = st.builds(lambda x, u: f"{x} {u}", NUMBERS, st.sampled_from(UNITS))
SCALARS = st.one_of(NUMBERS, QUANTITIES, st.sampled_from(HOSTILE), st.text(max_size=20), st.booleans(), st.none())
VALUES = st.recursive(SCALARS, lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=3),
                      max_leaves=6)


def _paths(node, limit: int = 12):
    """Every key path of a nested dict/list (tables, lists and leaves) down to ``limit`` levels (no recursion)."""
    out = []
    stack = [(node, ())]
    while stack:
        item, prefix = stack.pop()
        if len(prefix) >= limit:
            continue
        pairs = item.items() if isinstance(item, dict) else enumerate(item) if isinstance(item, list) else ()
        for k, v in pairs:
            out.append((*prefix, k))
            stack.append((v, (*prefix, k)))
    return sorted(out, key=repr)


def _get(data, path):
    for p in path:
        data = data[p]
    return data


def _scale(value, factor):
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value * factor
    if isinstance(value, str):
        number, _, unit = value.partition(" ")
        try:
            return f"{float(number) * factor!r} {unit}".strip()
        except ValueError:
            return value
    return value


def _mutate(draw, data) -> None:
    """One hostile mutation of ``data`` in place."""
    paths = _paths(data)
    op = draw(st.sampled_from(["delete", "swap", "scale", "replace", "unit", "nest", "catalog", "stage", "add"]))
    if op == "catalog":
        name = draw(st.sampled_from(CATALOG_NAMES))
        field = draw(st.sampled_from(sorted(FIELDS)))
        data.setdefault("catalog", {}).setdefault(name, {})[field] = draw(SCALARS)
        return
    if op == "stage":
        sid = draw(st.sampled_from(STAGE_IDS))
        field = draw(st.sampled_from(["voltage_out", "redundancy", "equipment"]))
        data.setdefault("power", {}).setdefault("stages", {}).setdefault(sid, {})[field] = draw(SCALARS)
        return
    if not paths:
        return
    path = draw(st.sampled_from(paths))
    parent, last = _get(data, path[:-1]), path[-1]
    if op == "delete":
        del parent[last]
    elif op == "swap":
        other = draw(st.sampled_from(paths))
        if other[: len(path)] == path or path[: len(other)] == other:
            return
        o_parent, o_last = _get(data, other[:-1]), other[-1]
        parent[last], o_parent[o_last] = o_parent[o_last], parent[last]
    elif op == "scale":
        parent[last] = _scale(parent[last], 10.0 ** draw(st.integers(-30, 30)))
    elif op == "replace":
        parent[last] = draw(VALUES)
    elif op == "unit":
        v = parent[last]
        if isinstance(v, str) and " " in v:
            parent[last] = f"{v.split(' ', 1)[0]} {draw(st.sampled_from(UNITS))}"
    elif op == "nest":
        v = parent[last]
        for _ in range(draw(st.sampled_from([1, 2, 10, 100, 1000]))):
            v = {"x": v} if draw(st.booleans()) else [v]
        parent[last] = v
    elif op == "add" and isinstance(parent, dict):
        parent[draw(st.text(min_size=1, max_size=10))] = draw(VALUES)


@st.composite
def mutated_scenarios(draw):
    """A bundled scenario with 1 to 4 hostile mutations."""
    data = copy.deepcopy(BASES[draw(st.sampled_from(sorted(BASES)))])
    for _ in range(draw(st.integers(1, 4))):
        try:
            _mutate(draw, data)
        except (TypeError, AttributeError, KeyError, IndexError):  # a mutation that no longer fits the data
            continue
    return data


class Hang(Exception):
    """A case ran past its time budget."""


@contextmanager
def time_budget(seconds: int):
    def alarm(_signum, _frame):
        raise Hang(f"case ran past {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _assert_finite(doc, path="") -> None:
    if isinstance(doc, float):
        assert math.isfinite(doc), f"non-finite value at {path}"
    elif isinstance(doc, dict):
        for k, v in doc.items():
            _assert_finite(v, f"{path}.{k}")
    elif isinstance(doc, list | tuple):
        for i, v in enumerate(doc):
            _assert_finite(v, f"{path}[{i}]")


def run_case(data) -> str:
    """One case: 'result', 'ScenarioError' or 'InfeasibleDesign'; anything else (or a hang) fails the test."""
    with time_budget(CASE_BUDGET_S):
        try:
            scenario = Scenario.from_dict(data, source="fuzz.toml", base=SCENARIO_DIR)
            doc = to_json(run(scenario))
        except ScenarioError as exc:
            text = str(exc)
            assert text and "\n" not in text and len(text) < 2200, text[:300]
            return "ScenarioError"
        except InfeasibleDesign as exc:
            assert str(exc) and "\n" not in str(exc)
            return "InfeasibleDesign"
    _assert_finite(doc)
    return "result"


#: The nightly profile (thousands of examples): the newer fuzz tests draw new cases each run there, and the same
#: cases in every CI run otherwise (derandomised: a CI run cannot fail on a case the previous one never drew).
NIGHTLY = settings.default.max_examples >= 1000
#: The default profile's examples are raised to a few hundred here; the nightly profile's 50,000 are kept.
FUZZ = settings(max_examples=max(300, settings.default.max_examples), deadline=None, database=None,
                suppress_health_check=list(HealthCheck))


@FUZZ
@given(mutated_scenarios())
def test_mutated_bundled_scenarios_run_or_are_refused_in_one_line(data):
    outcome = run_case(data)
    event(outcome)  # the share of each outcome shows in --hypothesis-show-statistics
    if TALLY:  # a long run's progress: one letter per case (r result, s ScenarioError, i InfeasibleDesign)
        with open(TALLY, "a") as fh:
            fh.write(outcome[0].lower())
    assert outcome in ("result", "ScenarioError", "InfeasibleDesign")


@pytest.mark.parametrize("name", sorted(BASES))
def test_every_bundled_scenario_runs_unmutated_within_the_budget(name):
    assert run_case(copy.deepcopy(BASES[name])) == "result"


def test_a_hang_is_caught_by_the_time_budget():
    import time

    with pytest.raises(Hang), time_budget(1):
        time.sleep(3)


def test_every_scenario_file_is_a_path_here():
    assert all(Path(SCENARIO_DIR, n).is_file() for n in BASES)


CLI_VALUES = st.one_of(QUANTITIES, st.sampled_from(HOSTILE), st.text(max_size=30),
                       st.builds(lambda a, b, s, u: f"{a}..{b}:{s} {u}", NUMBERS, NUMBERS, NUMBERS,
                                 st.sampled_from(["degC", "K", "", "kV"])),
                       st.builds(lambda xs, u: ",".join(map(str, xs)) + f" {u}", st.lists(NUMBERS, max_size=4),
                                 st.sampled_from(["degC", "", "W"])))
CLI_ARGS = st.one_of(
    st.builds(lambda g: ["fit", str(SCENARIO_DIR / "dojo-exapod.toml"), "--grid", g], CLI_VALUES),
    st.builds(lambda f, m: ["train", str(SCENARIO_DIR / "dojo-exapod.toml"), "--flops", f, "--mfu", m],
              CLI_VALUES, st.sampled_from(["0.4", "0", "-1", "nan", "inf", "1e308", "x"])),
    st.builds(lambda v, w: ["sweep", str(SCENARIO_DIR / "dojo-exapod.toml"), "--vary", f"cooling.tcs_supply={v}",
                            "--workers", w], CLI_VALUES, st.sampled_from(["1", "0", "-3", "100000", "x"])),
    st.builds(lambda sec, res: ["swings", str(SCENARIO_DIR / "dojo-exapod.toml"), "--seconds", sec,
                                "--resolution", res],
              st.one_of(CLI_VALUES, st.sampled_from(["1e9", "1e5", "30", "2 min", "1e308 s", "-1 h", "0"])),
              st.sampled_from(["10 ms", "100 ms", "1 ms", "0.5 ms", "1 s", "nan ms", "x"])),
    st.builds(lambda v: ["supply", str(SCENARIO_DIR / "colossus-supply.toml"), "--vary", v],
              st.sampled_from(["grid.import_limit=-5 MW", "battery.energy=6e15 MWh", "turbines[9].count=4",
                               "grid.nonsense=1", "battery.reserve=2", "solar.capacity=x MW", "=",
                               "grid.price=nan USD/MWh"])),
    st.builds(lambda o: ["run", str(SCENARIO_DIR / "dojo-exapod.toml"), "--hourly", o],
              st.sampled_from(["/proc/x.nc", "/", "/tmp", "x.txt", "/no/such/dir/x.csv", "", "\x00.nc", "a" * 5000])),
)


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(CLI_ARGS)
def test_hostile_command_lines_exit_0_or_2_with_one_line(argv):
    import contextlib
    import io

    from facility.cli import main

    out, err = io.StringIO(), io.StringIO()
    with time_budget(CASE_BUDGET_S), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    assert code in (0, 2), (argv, err.getvalue())
    if code == 2:
        assert err.getvalue().count("\n") == 1 and err.getvalue().startswith("facility:"), err.getvalue()


#: Small bundled campuses for the sweep fuzz (a liquid-cooled pod, an air-cooled hall, the default campus).
SWEEP_BASES = ["dojo-exapod.toml", "meta-24k-h100-air.toml", "default.toml"]
#: The keys a sweep runs as one vectorised batch (facility.sweep.ARRAY_KEYS): a plausible range and its unit
#: (the hostile values come on top, see SWEEP_VALUES).
SWEEP_KEYS = {
    "cooling.tcs_supply": (5, 70, "degC"), "cooling.tcs_delta_t": (2, 20, "delta_degC"),
    "cooling.facility_delta_t": (2, 20, "delta_degC"), "cooling.tcs_pressure_drop": (10, 400, "kPa"),
    "cooling.facility_pressure_drop": (10, 400, "kPa"), "cooling.pipe_length": (10, 5000, "m"),
    "cooling.pipe_velocity": (0.5, 5, "m/s"), "cooling.pipe_friction_rate": (50, 2000, "Pa/m"),
    "cooling.pump_efficiency": (0.3, 1.0, ""), "cooling.air_supply": (15, 35, "degC"),
    "cooling.chw_delta_t": (3, 15, "delta_degC"), "cooling.house_load_fraction": (0, 0.1, ""),
    "compute.deployments[0].racks": (1, 3000, "int"), "compute.deployments[0].accelerators": (1, 200_000, "int"),
    "compute.deployments[0].nodes": (1, 20_000, "int"), "compute.deployments[0].pods": (1, 50, "int"),
    "compute.deployments[0].compute_target": (1e16, 1e20, "FLOPS"), "load.level": (0, 1, ""),
}


@st.composite
def SWEEP_VALUES(draw, key: str):
    """1-3 values of ``key``: mostly in its plausible range (the edges included), sometimes out of it or hostile."""
    lo, hi, unit = SWEEP_KEYS[key]

    def plausible():
        if unit == "int":
            return st.integers(int(lo), int(hi)) | st.sampled_from([int(lo), int(hi)])
        number = st.floats(lo, hi) | st.sampled_from([lo, hi])
        return number if unit == "" else st.builds(lambda x: f"{x} {unit}", number)

    hostile = st.one_of(NUMBERS, st.sampled_from(HOSTILE[:30]),
                        st.builds(lambda x: f"{x} {unit}".strip(), NUMBERS))
    return draw(st.lists(st.one_of(plausible(), plausible(), plausible(), hostile), min_size=1, max_size=3))


@settings(max_examples=max(60, settings.default.max_examples // 50), deadline=None, database=None,
          suppress_health_check=list(HealthCheck), derandomize=not NIGHTLY)
@example("dojo-exapod.toml", ("cooling.chw_delta_t", ["1e-308 delta_degC"]))  # found: a NaN design, "feasible"
@example("dojo-exapod.toml", ("load.level", [5e-324]))  # found: an infinite annual PUE
@given(st.sampled_from(SWEEP_BASES), st.sampled_from(sorted(SWEEP_KEYS)).flatmap(
    lambda k: st.tuples(st.just(k), SWEEP_VALUES(k))))
def test_hostile_sweeps_over_the_batched_keys_give_finite_points_or_one_line_refusals(base, case):
    """A sweep's batch (the compiled design inputs as arrays): every value validated alone (one ScenarioError naming
    the key), and a result whose feasible points have finite figures and whose infeasible points are NaN."""
    from facility.sweep import SWEEP_KPIS, sweep

    key, values = case
    data = copy.deepcopy(BASES[base])
    data.pop("expect", None)
    try:
        with time_budget(CASE_BUDGET_S):
            s = Scenario.from_dict(data, source=base)
            ds = sweep(s, {key: values})
    except (ScenarioError, InfeasibleDesign) as exc:
        assert str(exc) and "\n" not in str(exc), str(exc)[:300]
        event(type(exc).__name__)
        return
    feasible = ds["feasible"].values.astype(bool)
    event(f"sweep of {feasible.size} points, {int(feasible.sum())} feasible")
    for k in SWEEP_KPIS:
        v = np.asarray(ds[k].values, dtype=float)
        assert np.isfinite(v[feasible]).all(), (k, values)
        assert np.isnan(v[~feasible]).all(), (k, values)


@st.composite
def mutated_supplies(draw):
    """The [supply] section of colossus-supply.toml with 1 to 3 hostile mutations (the scenario around it kept)."""
    data = copy.deepcopy(BASES["colossus-supply.toml"])
    data.pop("expect", None)
    for _ in range(draw(st.integers(1, 3))):
        try:
            _mutate(draw, data["supply"])
        except (TypeError, AttributeError, KeyError, IndexError):
            continue
    return data


#: Two days of a ~130 MW campus's facility power [W]: the dispatch (and sizing, where free) runs in ~50 ms.
SUPPLY_LOAD_W = 130e6 + 15e6 * np.sin(np.arange(48) * 2 * np.pi / 24)


@settings(max_examples=max(80, settings.default.max_examples // 50), deadline=None, database=None,
          suppress_health_check=list(HealthCheck), derandomize=not NIGHTLY)
@example({**BASES["colossus-supply.toml"], "supply": {**BASES["colossus-supply.toml"]["supply"], "battery": {
    **BASES["colossus-supply.toml"]["supply"]["battery"], "energy": "6e15 MWh"}}})  # found: HiGHS status "Unknown"
@given(mutated_supplies())
def test_mutated_supply_sections_dispatch_or_are_refused_in_one_line(data):
    """Where the power comes from (grid, turbines, battery, solar: the LP on HiGHS), with a hostile [supply]
    section: a dispatch whose JSON is finite, or ScenarioError / InfeasibleDesign in one line; never another
    exception or a hang."""
    from facility.supply import solve

    try:
        with time_budget(CASE_BUDGET_S):
            s = Scenario.from_dict(data, source="colossus-supply.toml")
            if s.supply is None:
                event("no supply")
                return
            doc = solve(s.supply, SUPPLY_LOAD_W, weather_path=s.weather_path, source=s.source).to_json()
    except (ScenarioError, InfeasibleDesign) as exc:
        assert str(exc) and "\n" not in str(exc), str(exc)[:300]
        event(type(exc).__name__)
        return
    event("dispatch")
    _assert_finite(doc)


def test_the_sweep_fuzz_covers_every_batched_key():
    from facility.sweep import ARRAY_KEYS

    assert all(ARRAY_KEYS.fullmatch(k) for k in SWEEP_KEYS)
    from facility.inputs import COOLING_SI, COUNT_KEYS

    batched = {f"cooling.{k}" for k in COOLING_SI} | {f"compute.deployments[0].{k}" for k in COUNT_KEYS} | {"load.level"}
    assert set(SWEEP_KEYS) == batched
