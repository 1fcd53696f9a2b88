"""The year on its distinct conditions (facility.simulate._conditions): hours with the same outdoor conditions (those
the plants read) and the same load value are computed once and taken to the hours. Every figure equals the year
computed hour by hour, bit for bit, for every registered heat-rejection device, one design and a batch."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass, replace

import numpy as np
import pytest

import facility.simulate as simulate
from facility import Scenario, run
from facility.campus import design_campus
from facility.inputs import compile_inputs
from facility.plan import it_load
from facility.simulate import hourly_variables, load_profile, year_arrays, year_kpis
from facility.sites import bundled_sites
from facility.units import Q_
from facility.weather import HOURS, load_weather
from models.registry import HEAT_REJECTION, HeatRejectionModel, register_heat_rejection
from tests.models.test_registry import seawater  # noqa: F401  (the fixture: a kind defined in a test)


def _flat(x, name=""):
    """Every array of a year's result by its path (mappings, tuples and dataclasses walked)."""
    if isinstance(x, np.ndarray) or np.isscalar(x):
        yield name, np.asarray(x)
    elif isinstance(x, Mapping):
        for k, v in x.items():
            yield from _flat(v, f"{name}.{k}")
    elif isinstance(x, tuple):
        for i, v in enumerate(x):
            yield from _flat(v, f"{name}[{i}]")
    elif is_dataclass(x) and not isinstance(x, type):
        for f in fields(x):
            if f.name != "weather":
                yield from _flat(getattr(x, f.name), f"{name}.{f.name}")


def _hour_by_hour(monkeypatch, result, fn):
    """``fn(result)`` with the year computed on every hour (no conditions) and its held terms cleared."""
    with monkeypatch.context() as m:
        m.setattr(simulate, "_COLUMNS_MAX_SHARE", 0.0)
        result.compiled().weather_terms.clear()
        out = fn(result)
    result.compiled().weather_terms.clear()
    return out


def _assert_equal(a, b, batch=False):
    """Every array equal, bit for bit, and of the same shape (a batch: a weather-only term, the same in every
    point, is a row (1, H) on the conditions and (H,) hour by hour)."""
    left, right = dict(_flat(a)), dict(_flat(b))
    assert left.keys() == right.keys()
    for k, v in left.items():
        if batch and v.shape == (1, HOURS) and right[k].shape == (HOURS,):
            v = v[0]
        assert v.shape == right[k].shape, k
        np.testing.assert_array_equal(v, right[k], err_msg=k)
    return len(left)


def _scenario(site="sterling-va", profile="training", catalog=None, load=None, **cooling):
    return Scenario(name="conditions", site={"weather": site, "grid_voltage": "230 kV"},
                    load={"profile": profile} | (load or {}),
                    compute={"deployments": [{"system": "gb200-nvl72", "racks": 60}], "overheads": ["network"]},
                    cooling=cooling, catalog=catalog or {})


def test_the_distinct_conditions_of_a_weather_year():
    w = load_weather(bundled_sites()["sterling-va"].path)
    index, first = w.conditions()
    count = len(first)
    # an independent count: Python's set of the hours' values
    assert count == len(set(w.dry_bulb.tolist())) == 159
    assert index.shape == (HOURS,) and index.min() == 0 and index.max() == count - 1
    np.testing.assert_array_equal(w.dry_bulb[first][index], w.dry_bulb)  # one value per condition
    assert (first[index] <= np.arange(HOURS)).all()  # the first hour of each
    index2, first2 = w.conditions(wet_bulb=True)
    assert len(first2) == len(set(zip(w.dry_bulb.tolist(), w.wet_bulb.tolist(), strict=True))) == 7045
    np.testing.assert_array_equal(w.wet_bulb[first2][index2], w.wet_bulb)
    np.testing.assert_array_equal(w.dry_bulb[first2][index2], w.dry_bulb)
    assert w.conditions(wet_bulb=True)[0] is index2  # computed once per year
    assert not index2.flags.writeable and not first2.flags.writeable


def _kinds():
    cases = [("heat_rejection", "chiller")]
    for kind, model in HEAT_REJECTION.items():
        cases.append(("air_heat_rejection" if model.medium == "air" else "heat_rejection", f"{kind}+chiller"))
    return cases


@pytest.mark.parametrize(("key", "plant"), _kinds())
def test_the_year_on_its_conditions_equals_the_year_hour_by_hour_for_every_device(monkeypatch, key, plant):
    result = run(_scenario(**{key: plant}), year=False)
    c = result.compiled()
    few = simulate._distinct(load_profile(result))
    cols = simulate._conditions(c, load_weather(result.scenario.weather_path), few)
    wet = any(lp.plant is not None and lp.plant.device is not None and lp.plant.device.uses_wet_bulb
              for lp in c.loops.values())
    # a device reading the wet bulb: 7,045 conditions of 8,760 hours at Sterling, more than half, so hour by hour;
    # the dry bulb alone: 159 dry bulbs x 2 load values (training: checkpoint dips), 267 of them in the year
    assert (cols is None) == wet
    if not wet:
        assert len(cols[0]) == 267
    fast = year_arrays(result)
    slow = _hour_by_hour(monkeypatch, result, year_arrays)
    assert _assert_equal(fast, slow) > 60  # every stage loss, loop, plant field and total
    for k, v in hourly_variables(fast).items():
        np.testing.assert_array_equal(v, hourly_variables(slow)[k], err_msg=k)
    lean = year_kpis(result, ("facility_power", "water", "chiller_on"))
    _assert_equal(lean, _hour_by_hour(monkeypatch, result, lambda r: year_kpis(r, ("facility_power", "water",
                                                                                       "chiller_on"))))


@pytest.mark.parametrize("profile", ["constant", "inference"])
def test_other_load_profiles_and_a_full_load_year(monkeypatch, profile):
    result = run(_scenario(site="golden-co", profile=profile), year=False)
    _assert_equal(year_arrays(result), _hour_by_hour(monkeypatch, result, year_arrays))
    full = np.ones(HOURS)  # the design check's year: one load value, every distinct dry bulb (287 at Golden)
    _assert_equal(year_arrays(result, full), _hour_by_hour(monkeypatch, result, lambda r: year_arrays(r, full)))


def test_a_batch_on_its_conditions_equals_the_batch_hour_by_hour(monkeypatch):
    s = _scenario(site="tampa-fl")
    inputs = compile_inputs(s, {"cooling.tcs_supply": Q_(np.array([25.0, 35.0, 45.0]), "degC")})
    r = design_campus(s, it_load(s, inputs), inputs)
    fast = year_arrays(r)
    assert fast.chain.grid_import.shape == (3, HOURS) and fast.loops["chw"].pump_power.shape == (3, HOURS)
    _assert_equal(fast, _hour_by_hour(monkeypatch, r, year_arrays), batch=True)
    _assert_equal(year_kpis(r, ("facility_power",)),
                  _hour_by_hour(monkeypatch, r, lambda r: year_kpis(r, ("facility_power",))), batch=True)


def test_a_device_defined_in_a_test_runs_on_the_conditions_it_declares(monkeypatch, seawater):  # noqa: F811
    """The registry's data decides the conditions. A device that does not say whether it reads the wet bulb is
    taken to read it (every hour: a forgotten flag costs time, never a figure); declared dry, the sea-water
    exchanger (which reads neither bulb) runs on the dry bulb's conditions (the chillers' condensers read it).
    Either way the year equals the year hour by hour."""
    s = _scenario(site="tampa-fl", heat_rejection={"economiser": "seawater", "trim": "chiller"},
                  catalog={"seawater-hx": {"kind": "seawater", "capacity": "2 MW", "approach": "3 K",
                                           "fan_power_ratio": 0.005}})
    w = load_weather(s.weather_path)
    assert seawater.uses_wet_bulb  # (the default)
    result = run(s, year=False)
    assert simulate._conditions(result.compiled(), w, simulate._distinct(load_profile(result))) is None
    register_heat_rejection(replace(seawater, uses_wet_bulb=False))
    result = run(s, year=False)
    assert simulate._conditions(result.compiled(), w, simulate._distinct(load_profile(result))) is not None
    _assert_equal(year_arrays(result), _hour_by_hour(monkeypatch, result, year_arrays))


def test_a_device_that_reads_the_wet_bulb_and_forgets_to_say_so_is_still_right(monkeypatch):
    """The review's case: a tower's kernels under a new kind with no flag: run hour by hour, the tower's numbers."""
    tower = HEAT_REJECTION["cooling-tower"]
    model = HeatRejectionModel("wetish", tower.leaving, tower.water, "wetish-tower", tower.fields,
                               condenser_water=True)
    register_heat_rejection(model)
    try:
        entry = {"kind": "wetish", "capacity": "5 MW", "approach": "4 K", "fan_power_ratio": 0.01, "cycles": 4.0,
                 "drift_fraction": 1e-5, "liquid_gas_ratio": 1.2}
        r = run(_scenario(heat_rejection={"economiser": "wetish", "trim": "chiller"},
                          catalog={"wetish-tower": entry}), year=False)
        _assert_equal(year_arrays(r), _hour_by_hour(monkeypatch, r, year_arrays))
    finally:
        HEAT_REJECTION.pop("wetish")


def _few_conditions(w):
    """A synthetic year of 8 dry bulbs and 3 wet-bulb depressions (24 conditions): the wet bulb's grouping runs."""
    db = np.tile(273.15 + np.array([-5.0, 0.0, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0]), HOURS // 8)
    wb = db - np.tile(np.array([1.0, 3.0, 6.0]), HOURS // 3)
    return replace(w, dry_bulb=db, wet_bulb=wb)


@pytest.mark.parametrize(("key", "plant"), [("heat_rejection", "cooling-tower+chiller"),
                                            ("heat_rejection", "adiabatic+chiller"),
                                            ("air_heat_rejection", "direct-evaporative+chiller"),
                                            ("air_heat_rejection", "indirect-evaporative+chiller"),
                                            ("heat_rejection", "dry-cooler+chiller")])
def test_on_a_year_of_few_conditions_the_wet_bulb_is_grouped_too(monkeypatch, key, plant):
    result = run(_scenario(**{key: plant}), year=False)
    w = _few_conditions(load_weather(result.scenario.weather_path))
    u = load_profile(result)
    cols = simulate._conditions(result.compiled(), w, simulate._distinct(u))
    wet = plant.split("+")[0] != "dry-cooler"
    keys = zip(w.dry_bulb.tolist(), (w.wet_bulb if wet else 0.0 * w.wet_bulb).tolist(), u.tolist(), strict=True)
    assert len(cols[0]) == len(set(keys))  # an independent count of the conditions
    _assert_equal(year_arrays(result, weather=w), _hour_by_hour(monkeypatch, result, lambda r: year_arrays(
        r, weather=w)))


def test_a_csv_profile_a_load_level_batch_and_a_callers_fractions(monkeypatch, tmp_path):
    # a CSV profile of three load values: its distinct values, with the dry bulbs
    csv = tmp_path / "load.csv"
    values = np.tile(np.array([0.4, 0.6, 0.8, 0.6]), HOURS // 4)
    csv.write_text("it_fraction\n" + "\n".join(f"{v:.17g}" for v in values) + "\n")
    r = run(_scenario(profile="csv", load={"file": str(csv)}), year=False)
    _assert_equal(year_arrays(r), _hour_by_hour(monkeypatch, r, year_arrays))
    # a batch over the load level alone (fractions (P, H))
    s = _scenario()
    inputs = compile_inputs(s, {"load.level": np.array([0.2, 0.5, 0.9, 1.0])})
    rb = design_campus(s, it_load(s, inputs), inputs)
    _assert_equal(year_arrays(rb), _hour_by_hour(monkeypatch, rb, year_arrays), batch=True)
    _assert_equal(year_kpis(rb, ("facility_power",)),
                  _hour_by_hour(monkeypatch, rb, lambda r: year_kpis(r, ("facility_power",))), batch=True)
    # a caller's fractions (P, H), as many rows as conditions (8 dry bulbs, a constant load each)
    r1 = run(_scenario(profile="constant"), year=False)
    w = _few_conditions(load_weather(r1.scenario.weather_path))
    rows = np.stack([np.full(HOURS, x) for x in np.linspace(0.3, 1.0, 8)])
    _assert_equal(year_arrays(r1, rows, weather=w),
                  _hour_by_hour(monkeypatch, r1, lambda r: year_arrays(r, rows, weather=w)), batch=True)


def test_the_states_are_taken_to_the_hours_when_first_read():
    result = run(_scenario(), year=False)
    y = year_arrays(result)
    assert isinstance(y.loops, simulate._Hours) and set(y.loops) == {"tcs", "fw", "chw"}
    chw = y.loops["chw"]
    assert chw is y.loops["chw"]  # taken once, then kept
    assert chw.pump_power.shape == (HOURS,)  # one design: squeezed to the hours
    assert y.plants["chw"].compressor_power.shape == (HOURS,)
    assert all(np.shape(v) == (HOURS,) for v in y.chain.stage_loss.values())


def test_a_year_with_states_not_yet_read_pickles_and_copies():
    """The lazily taken states hold no closure: a run's result goes to another process (pickle) or is copied."""
    import copy
    import pickle

    result = run(_scenario())
    y = result.year
    back = pickle.loads(pickle.dumps(result)).year
    assert isinstance(back.plants, simulate._Hours)
    np.testing.assert_array_equal(back.plants["chw"].compressor_power, y.plants["chw"].compressor_power)
    np.testing.assert_array_equal(back.loops["tcs"].pump_power, y.loops["tcs"].pump_power)
    for k, v in y.chain.stage_loss.items():
        np.testing.assert_array_equal(copy.deepcopy(y).chain.stage_loss[k], v, err_msg=k)
