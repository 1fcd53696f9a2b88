"""A real weather year: the campus hour by hour, vectorised over the 8,760 hours (no Python loop over time).

For every hour: IT load from the profile; heat to liquid and air; the power chain at that load
(:meth:`facility.power.PowerDesign.evaluate`); the cooling plant with the design's equipment at that hour's
weather — economiser share, chillers staged on and at part load with the COP of that hour's lift, pumps and
fans by the affinity laws (variable flow at constant temperature rise: flow ∝ heat, power ∝ flow³), water;
the cooling load fed back to the mechanical branch (the coupling solved on whole arrays: three passes and an Aitken
step per hour, checked by the final evaluation).

An hour is a function of three inputs: its IT load and the outdoor dry and wet bulb. Hours that share them share
their results, so the year is computed once per distinct condition (:func:`_conditions`: the load value and the
weather the plants read — the dry bulb, and the wet bulb where a device of the registry reads it) and taken to the
hours: the same operations on the same numbers, every figure equal bit for bit, ~30x fewer of them for a dry cooler
at a TMY3 site (whose files repeat their dry bulbs: 110-290 values in the bundled years).

Results are an ``xarray.Dataset`` with ``time`` as its dimension and a ``units`` attribute on every variable;
:func:`annual_kpis` sums it into annual energy, PUE, WUE, peak demand, chiller and free-cooling hours.

Energy closes hour by hour (grid import = chips + overhead IT + losses + cooling + house loads) and heat closes
(heat in = heat rejected); the tests assert both to round-off.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, fields, is_dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

from facility.batch import as_float, column
from facility.compiled import CompiledLoop, CompiledYear, si
from facility.errors import ScenarioError
from facility.outputs import HOURLY
from facility.power import ChainState, ItSide, evaluate_it_side, evaluate_whole_chain, grid_import, mechanical_losses
from facility.weather import HOURS, WeatherYear, load_weather
from models.thermal.plant import (
    WATER_DENSITY,
    LoopState,
    PlantState,
    PlantWeather,
    cube,
    operate_loop,
    operate_plant,
    plant_weather,
)

if TYPE_CHECKING:  # (types only: campus imports this module; xarray loads when a Dataset is asked for)
    import xarray as xr

    from facility.campus import CampusResult

__all__ = ["load_profile", "simulate_year", "annual_kpis", "design_check", "year_arrays", "YearArrays",
           "annual_arrays", "annual_from_arrays", "hourly_variables", "year_dataset", "year_kpis", "LEAN_HOURLY"]

#: Stop the hourly power/cooling fixed point when the mechanical load moves by less than this [W]. Energy closes
#: exactly whatever it is (the final power chain is evaluated at the final cooling load); it bounds only the
#: mismatch of the electrical-room heat the cooling saw (~0.7 % of it, i.e. < 1 W at 100 W).
_COUPLING_TOL_W = 100.0
#: At most this many coupling passes. The fixed point contracts by ~0.3 % per pass (d cooling / d mechanical load:
#: the share of the mechanical branch's losses that ends in the air side, times the air side's cooling power per
#: watt), so two or three passes reach 100 W; an hour still moving after four sits on a chiller staging step
#: (one more chiller at its no-load power, 20 % of full-load power, flips the load back below the step): it has no
#: fixed point and takes the state of the last pass — energy still closes. Measured: 27 kW at most, in 1-6 of 196
#: points of a 20-200 rack GB200 sweep at Sterling, Tampa and San Francisco (previously each ran to 30 passes).
_COUPLING_MAX_PASSES = 4
#: After three passes, the points still moving take one Aitken step per hour (:func:`_aitken`: the fixed point of
#: the line through the last three iterates) and are evaluated there, which saves the fourth pass; the step holds
#: when that final evaluation moves the mechanical load by less than this [W] in every hour. Measured on the bundled
#: scenarios: 1e-4 to 2e-3 W after a last plain step of 100-540 W (the plain passes evaluate one pass further than
#: where they stopped, ~0.3 % of up to 100 W off), so every hourly figure is 10-70x closer to the exact fixed point
#: than the plain passes' (tests/facility/test_coupling.py). A point that misses (an hour on a chiller staging step,
#: no fixed point: 16.7 kW in dojo-100-eflops) goes on with the plain passes, as before; with four passes at most
#: the final evaluation at the step is its fourth pass (the step leaves the staging hours where the third pass put
#: them), so its staging hours get the plain passes' numbers bit for bit, and the others the step's.
_AITKEN_TOL_W = 1.0
#: Plain passes before the Aitken step (three: the first starts ~10-40 MW away, and the step's error grows with
#: the product of the two steps it is drawn through; from the first three iterates it missed by ~100 W).
_AITKEN_AFTER = 3


def load_profile(result: CampusResult) -> np.ndarray:
    """IT load of each hour as a fraction of the design IT power (8,760 values in 0..1)."""
    s = result.scenario
    cfg = s.load
    given = result.inputs.level  # (the level the campus was sized with: a batch's levels are arrays)
    level = column(given) if given is not None else column(as_float(
        si(result.load.it_power_typical, "W") / si(result.load.it_power, "W")))
    if cfg.profile == "constant":
        return level * np.ones(HOURS)
    if cfg.profile == "training":
        every = max(1, round(si(cfg.checkpoint_interval, "h")))
        dips = np.zeros(HOURS, dtype=bool)
        dips[every - 1::every] = True  # (the hours h with h % every == every - 1)
        return np.where(dips, level * (1.0 - cfg.checkpoint_depth), level)
    if cfg.profile == "inference":
        h = np.arange(HOURS, dtype=float)
        return np.clip(level * (1.0 + cfg.daily_amplitude * np.cos(2 * np.pi * (h % 24 - cfg.peak_hour) / 24.0)),
                       0.0, 1.0)
    return _csv_profile(s.load_file, column(result.load.it_power.m_as("W")), s.source)


def _csv_profile(path, design_w: float, source: str) -> np.ndarray:
    import pandas as pd

    try:
        df = pd.read_csv(path)
    except Exception as exc:
        raise ScenarioError(f"cannot read {path} ({exc.__class__.__name__}: {exc})", source=source,
                            key="load.file") from None
    scale = {"it_power_mw": 1e6, "it_power_kw": 1e3, "it_power_w": 1.0, "it_fraction": None}
    col = next((c for c in scale if c in df.columns), None)
    if col is None:
        raise ScenarioError(f"{path.name} has columns {list(df.columns)}; expected one of {list(scale)}",
                            source=source, key="load.file")
    values = pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float)
    if len(values) != HOURS:
        raise ScenarioError(f"{path.name} has {len(values)} rows; expected {HOURS} hourly values", source=source,
                            key="load.file")
    if not np.all(np.isfinite(values)):
        raise ScenarioError(f"{path.name}: column {col} has empty or non-numeric values", source=source,
                            key="load.file")
    frac = values if scale[col] is None else values * scale[col] / design_w
    if np.any(frac < 0) or np.any(frac > 1 + 1e-9):
        raise ScenarioError(f"{path.name}: the load must lie between 0 and the design IT power "
                            f"({np.min(design_w) / 1e6:.3f} MW); got {frac.min():.3f}..{frac.max():.3f} of it",
                            source=source, key="load.file")
    return np.clip(frac, 0.0, 1.0)


@dataclass(frozen=True)
class _Columns:
    """The outdoor conditions of a year's distinct conditions (:func:`_conditions`): the dry and wet bulb [K] of
    one hour of each (1, n), in the place of the weather year's hours."""

    dry_bulb: np.ndarray
    wet_bulb: np.ndarray


def _plant_hour(loop: CompiledLoop, w: WeatherYear | _Columns, q: np.ndarray, wx: PlantWeather | None,
                electric_only: bool = False) -> PlantState | None:
    """The plant serving ``loop`` over the hours (``q`` [W] the heat entering it, pump work included), by the
    function that sized it (:func:`models.thermal.plant.operate_plant`); ``wx`` its weather-only terms."""
    if loop.plant is None:
        return None
    return operate_plant(loop.plant, w.dry_bulb, w.wet_bulb, loop.supply, loop.return_, q, wx, electric_only)


def _plant_weather(loop: CompiledLoop | None, w: WeatherYear, c: CompiledYear | None = None,
                   key: str = "", first: np.ndarray | None = None,
                   columns: _Columns | None = None) -> PlantWeather | None:
    """The weather-only terms of the plant serving ``loop`` (:func:`models.thermal.plant.plant_weather`): the same
    in every coupling pass, computed once; with ``c`` and the loop's ``key``, kept on the compiled design for the
    next year at the same weather (read-only arrays: the year's results share them). ``first`` and ``columns``:
    the year runs on its distinct conditions (:func:`_conditions`), at the weather of the hours ``first``
    (``columns``)."""
    if loop is None or loop.plant is None:
        return None
    held = c.weather_terms.get(key) if c is not None else None
    if held is not None and held[0] is w and (held[1] is None if first is None
                                              else held[1] is not None and np.array_equal(held[1], first)):
        return held[2]
    at = w if columns is None else columns
    wx = plant_weather(loop.plant, at.dry_bulb, at.wet_bulb, loop.supply, loop.return_)
    if c is not None:
        for v in (getattr(wx, f.name) for f in fields(wx)):
            for a in (v if isinstance(v, tuple) else (v,)):
                if isinstance(a, np.ndarray):
                    a.flags.writeable = False
        c.weather_terms[key] = (w, first, wx)
    return wx


def _liquid_loops(c: CompiledYear, q_liq: np.ndarray) -> tuple[LoopState, LoopState, np.ndarray]:
    """Technology loop and facility water at the liquid heat ``q_liq`` [W] (a function of the IT load alone):
    ``(tcs, fw, heat into the facility-water plant [W])``."""
    tcs = operate_loop(c.loops["tcs"].spec, q_liq)
    q_fw = q_liq + tcs.pump_power
    fw = operate_loop(c.loops["fw"].spec, q_fw)
    return tcs, fw, q_fw + fw.pump_power


def _distinct(u: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """``(values, index)`` with ``u == values[..., index]`` when the load profile ``u`` ((H,), or (P, H) for a
    batch) takes few distinct values over the hours (a constant, training or inference profile: 1, 2 or 24; a batch:
    the same hours share a value in every row), else None. What depends on the IT load alone is then computed on the
    values and taken to the hours: the same numbers, ~100x fewer operations."""
    first_row = u if u.ndim == 1 else u[0]
    lo, hi = int(np.argmin(first_row)), int(np.argmax(first_row))
    low = first_row == first_row[lo]
    if low.all():  # a constant profile (a quick path: np.unique sorts the hours, ~0.2 ms)
        first, index = np.array([lo]), np.zeros(first_row.shape, dtype=np.intp)
    elif (low | (first_row == first_row[hi])).all():  # two values (training: checkpoint dips)
        first, index = np.array([lo, hi]), (~low).astype(np.intp)
    else:
        _, first, index = np.unique(first_row, return_index=True, return_inverse=True)
    if 8 * len(first) > u.shape[-1]:
        return None
    values = u[..., first]
    if u.ndim > 1 and not np.array_equal(np.take(values, index, axis=-1), u):
        return None
    return values, index


#: The year runs on its distinct conditions (:func:`_conditions`) when there are at least this many (fewer: a
#: synthetic year; a field of the state of one column could not be told from a design constant) ...
_COLUMNS_MIN = 8
#: ... and at most this share of the hours (more: taking every result back to the hours costs more than it saves;
#: a plant reading the wet bulb has 4,900-7,000 distinct conditions in the bundled years, one reading the dry bulb
#: alone 110-410 with a training profile).
_COLUMNS_MAX_SHARE = 0.5


def _conditions(c: CompiledYear, w: WeatherYear, few: tuple[np.ndarray, np.ndarray] | None
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """The year's distinct conditions: ``(hours, values, index)`` with ``hours`` an hour of each condition's
    weather, ``values`` its load value (an index into ``few[0]``) and ``index`` (H,) the condition of every hour,
    or None (the year then runs on every hour).

    An hour of the coupled year is a function of three inputs only: the IT load's value (``few``, the profile's
    distinct values, :func:`_distinct`) and the outdoor conditions the plants read — the dry bulb, and the wet bulb
    where a plant's device reads it (:attr:`models.registry.HeatRejectionModel.uses_wet_bulb`). Hours with equal
    inputs have equal results, so the year computes each condition once, at the weather of ``hours`` and the load
    value of ``values``, and takes the results to the hours by ``index``: the same operations on the same numbers
    (every figure equal; a test holds it for every registered device), ~30x fewer of them with a dry cooler at a
    TMY3 site (267 conditions of 8,760 hours for a training profile at Sterling). The coupling's stopping test
    (the largest move over the hours of a point) sees the same values, so it stops at the same pass."""
    if few is None:
        return None
    wet = any(lp.plant is not None and lp.plant.device is not None and lp.plant.device.uses_wet_bulb
              for lp in c.loops.values())
    weather_index, weather_hours = w.conditions(wet)
    k = few[0].shape[-1]
    key = weather_index * k + few[1]  # (the pair numbered, weather first)
    seen = np.zeros(len(weather_hours) * k, dtype=np.intp)
    seen[key] = 1
    number = np.cumsum(seen) - 1
    present = np.flatnonzero(seen)
    if not _COLUMNS_MIN <= len(present) <= _COLUMNS_MAX_SHARE * len(key):
        return None
    return weather_hours[present // k], present % k, number.take(key)


def _each_array(x: Any, leaf: Callable[[np.ndarray], Any]) -> Any:
    """``x`` with ``leaf`` applied to each of its arrays: dicts, tuples and dataclasses field by field, anything
    else (numbers, None) as it is."""
    if isinstance(x, np.ndarray):
        return leaf(x)
    if isinstance(x, dict):
        return {k: _each_array(v, leaf) for k, v in x.items()}
    if isinstance(x, tuple):
        return tuple(_each_array(v, leaf) for v in x)
    if is_dataclass(x) and not isinstance(x, type):
        return replace(x, **{f.name: _each_array(getattr(x, f.name), leaf) for f in fields(x)})
    return x


def _hours(x: Any, index: np.ndarray, count: int) -> Any:
    """Results on the year's distinct conditions (.., count) taken to the hours by ``index`` (:func:`_conditions`),
    field by field (:func:`_each_array`); design constants (P, 1) as they are."""
    return _each_array(x, lambda a: np.take(a, index, axis=-1) if a.ndim == 2 and a.shape[-1] == count else a)


class _Hours(Mapping):
    """A year's results by key, each taken to the hours when first read and kept (squeezed to (H,) for one design):
    the stages' losses, the loops' and the plants' states, which the hourly variables and the annual figures do not
    read (~60 arrays of 8,760 hours: ~0.8 ms to take them all). ``groups``: ``(values by key, how to take a value
    to the hours)``, in the order of the keys."""

    __slots__ = ("_read", "_source", "_squeeze")

    def __init__(self, squeeze: bool, *groups: tuple[dict[str, Any], Callable[[Any], Any]]) -> None:
        self._squeeze = squeeze
        self._source = {k: (v, take) for values, take in groups for k, v in values.items()}
        self._read: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        read = self._read
        if key not in read:
            value, take = self._source[key]
            value = take(value)
            read[key] = _squeeze(value) if self._squeeze else value
        return read[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._source)

    def __len__(self) -> int:
        return len(self._source)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self._source)})"


def _two(index: np.ndarray) -> tuple[int, int, np.ndarray]:
    """For a profile of two values (``index`` 0 or 1 by hour): ``(the value of most hours, the other, the other's
    hours)``, so that :func:`_take` fills the hours with the first and writes the second where it is (a training
    profile's checkpoint dips: a few hundred hours)."""
    if 2 * np.count_nonzero(index) > len(index):
        return 1, 0, np.flatnonzero(index == 0)
    return 0, 1, np.flatnonzero(index)


def _take(x: Any, index: np.ndarray, two: tuple[int, int, np.ndarray] | None = None) -> Any:
    """Arrays on the distinct load values (.., k) taken to the hours (.., H) (``two``: :func:`_two` of a profile
    of two values), field by field (:func:`_each_array`)."""

    def leaf(a: np.ndarray) -> np.ndarray:
        if not a.ndim:
            return a
        if a.shape[-1] == 1:  # one value: a fill, no gather
            out = np.empty((*a.shape[:-1], index.shape[-1]))
            out[...] = a
            return out
        if a.shape[-1] == 2 and two is not None:  # a fill and the other value's few hours (copies: the same numbers)
            most, other, hours = two
            out = np.empty((*a.shape[:-1], index.shape[-1]), dtype=a.dtype)
            out[...] = a[..., most:most + 1]
            out[..., hours] = a[..., other:other + 1]
            return out
        return np.take(a, index, axis=-1)

    return _each_array(x, leaf)


def _aitken(m0: np.ndarray, m1: np.ndarray, m2: np.ndarray) -> np.ndarray:
    """Aitken's delta-squared step on three successive iterates of a fixed point, element by element:
    ``m2 + d2**2 / (d1 - d2)`` with ``d1 = m1 - m0``, ``d2 = m2 - m1`` — the fixed point of the linear map through
    them, exact when the map is linear (the coupling nearly is: the mechanical branch's losses and the air side's
    power vary smoothly with the load; Burden & Faires, *Numerical Analysis*, 9th ed., sec. 2.5). Where the iterates
    do not contract (``|d2| >= |d1|``, e.g. a chiller staging step) it keeps ``m2``."""
    d1, d2 = m1 - m0, m2 - m1
    denom = d1 - d2
    step = np.divide(d2 * d2, denom, out=np.zeros(np.shape(denom)), where=np.abs(d2) < np.abs(d1))
    return m2 + step


def _air_hour(c: CompiledYear, w: WeatherYear | _Columns, q_air_it: np.ndarray, rooms: np.ndarray,
              wx: PlantWeather | None, electric_only: bool = False) -> dict[str, Any]:
    """CRAH fans, chilled water and its plant for the IT heat to air plus the electrical rooms' losses (``wx``:
    the weather-only terms of the chilled-water plant; ``electric_only``: a coupling pass, powers only)."""
    q_air = q_air_it + rooms
    # fan walls at constant air temperature rise: airflow follows the heat, fan power its cube (affinity law)
    p_crah = cube(q_air, c.air_design, c.crah_fan_power)
    p_chw, chw, plant_out = 0.0, None, None
    loop = c.loops.get("chw")
    if loop is not None:
        q_chw = q_air + p_crah
        chw = operate_loop(loop.spec, q_chw)
        p_chw = chw.pump_power
        plant_out = _plant_hour(loop, w, q_chw + p_chw, wx, electric_only)
    return {"q_air": q_air, "p_crah": p_crah, "p_chw": p_chw, "chw": chw, "plant": plant_out}


def _side_power(side: dict[str, Any], *pumps_and_fans: str) -> np.ndarray:
    """Electric power of one side (liquid or air): its loop pumps / fans plus its plant's compressors, fans and
    condenser pumps."""
    p = sum((side[k] for k in pumps_and_fans[1:]), side[pumps_and_fans[0]])
    plant = side["plant"]
    if not plant:
        return p
    terms = (plant.compressor_power, plant.fan_power, plant.condenser_pump_power)
    if not isinstance(p, np.ndarray) or p is side[pumps_and_fans[0]] or any(np.shape(t) != p.shape for t in terms):
        return p + terms[0] + terms[1] + terms[2]
    for t in terms:  # (in place on the sum's own array: the same adds in the same order)
        np.add(p, t, out=p)
    return p


def _cooling_totals(liq: dict[str, Any], air: dict[str, Any], q_liq: np.ndarray,
                    liquid_power: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """The cooling totals of every hour from its liquid side (loop pumps ``p_tcs``, ``p_fw`` and its ``plant``)
    and air side (:func:`_air_hour`); ``liquid_power`` the liquid side's :func:`_side_power` when already
    computed."""
    zeros = np.zeros(np.shape(q_liq))
    plants = [part for part in (liq["plant"], air["plant"]) if part is not None]

    def total(name: str) -> np.ndarray:
        return _plants_total(plants, name, zeros.shape)

    comp, fans, p_cw = total("compressor_power"), total("fan_power"), total("condenser_pump_power")
    pumps = liq["p_tcs"] + liq["p_fw"] + air["p_chw"] + p_cw
    off = np.zeros(np.shape(q_liq), dtype=bool)
    if liquid_power is None:
        liquid_power = _side_power(liq, "p_tcs", "p_fw")
    return {
        "pump_power": pumps, "crah_fan_power": air["p_crah"], "heat_rejection_fan_power": fans,
        "compressor_power": comp, "water": total("water") / WATER_DENSITY, "heat_rejected": total("heat_rejected"),
        "chiller_on": liq["plant"].chiller_on | off if liq["plant"] else off,
        "chiller_on_air": air["plant"].chiller_on | off if air["plant"] else off,
        "heat_in": q_liq + air["q_air"] + liq["p_tcs"] + liq["p_fw"] + air["p_chw"] + air["p_crah"] + comp + p_cw,
        "free_cooling_fraction": liq["plant"].economiser_share + zeros if liq["plant"] else zeros,
        "cooling_power": liquid_power + _side_power(air, "p_crah", "p_chw"),
    }


def _plants_total(plants: tuple[PlantState | None, ...] | list[PlantState], name: str,
                  shape: tuple[int, ...]) -> np.ndarray:
    """The sum of one field over the plants there are (None: no plant), on the hours' ``shape``."""
    values = [getattr(part, name) for part in plants if part is not None]
    out = values[0] + values[1] if len(values) == 2 else None  # (the same sum as from zeros, one add fewer)
    if out is None or np.shape(out) != shape:
        out = sum(values, np.zeros(shape))
    return out


def _squeeze(x: Any) -> Any:
    """One design's value back from its batch of one: (1, H) -> (H,), (1, 1) -> a number; dataclasses and dicts
    field by field."""
    if isinstance(x, np.ndarray):
        if x.ndim == 2 and x.shape[0] == 1:
            return x[0] if x.shape[1] > 1 else x.dtype.type(x[0, 0]).item()
        return x
    if isinstance(x, dict):
        return {k: _squeeze(v) for k, v in x.items()}
    if is_dataclass(x) and not isinstance(x, type):
        return replace(x, **{f.name: _squeeze(getattr(x, f.name)) for f in fields(x)})
    return x


@dataclass(frozen=True)
class YearArrays:
    """The sized campus hour by hour, on SI arrays (H,) for one design or (P, H) for a batch.

    ``fraction`` IT load as a fraction of design [-]; ``it_power``, ``house_load`` [W]; ``weather`` the weather
    year used; ``chain`` the power chain (:class:`facility.power.ChainState`); ``cooling`` the cooling totals by
    name (pump, fan, compressor, cooling power [W], water [m3/s], heat in and rejected [W], chiller flags,
    economiser share); ``loops`` each loop's :class:`~models.thermal.plant.LoopState` by key (``tcs``, ``fw``,
    ``chw``) and ``plants`` each plant's :class:`~models.thermal.plant.PlantState` by the key of its loop
    (``chain.stage_loss``, ``loops`` and ``plants`` are mappings that take each entry to the hours when first
    read). In a batch, a term that depends on the weather alone (a plant's economiser leaving temperature and
    share) may be a row (1, H), the same for every point, where the year ran on its distinct conditions.
    """

    fraction: np.ndarray
    it_power: np.ndarray
    weather: WeatherYear
    chain: ChainState
    cooling: dict[str, np.ndarray]
    house_load: np.ndarray
    loops: dict[str, LoopState]
    plants: dict[str, PlantState]


def year_arrays(result: CampusResult, fraction: np.ndarray | None = None,
                weather: WeatherYear | None = None) -> YearArrays:
    """The hourly arrays of a sized campus (no xarray): see :class:`YearArrays`.

    ``fraction`` IT load of each hour as a fraction of design (default :func:`load_profile`); ``weather`` a
    weather year (default: the scenario's). One design: arrays on the hours (H,). A batch of P design points (a
    sweep's chunk, every design value an array of shape (P,)): arrays of shape (P, H), every point computed with
    the same operations as alone — the coupling iterates each point until it converges and then keeps it — so a
    point equals its single run. Both run one path: the campus compiled once to SI columns (P, 1)
    (:meth:`facility.campus.CampusResult.compiled`, P = 1 for one design) over (P, H), squeezed at the result.
    """
    return _year(result, fraction, weather, lean=False)


#: The hourly series :func:`year_kpis` computes without the whole year (the others need every stage and total).
LEAN_HOURLY = ("facility_power", "it_power", "pue", "cooling_power", "water", "chiller_on")


def year_kpis(result: CampusResult, hourly: tuple[str, ...] = ()) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """What a sweep returns of the year, and only that: ``(annual, series)`` with ``annual`` the sums of
    :func:`annual_arrays` (arrays (P,) for a batch, one design P = 1) and ``series`` the hourly arrays (P, H) of
    ``hourly`` (names of :data:`facility.outputs.SWEEP_HOURLY`).

    The same coupling and the same operations as :func:`year_arrays` (every figure equal bit for bit), without
    what the annual sums do not need: no stage loss, loop state or IT-side total taken to the hours (only the
    air side's IT heat, the rooms' fixed losses, the liquid side's powers and plant heat, the IT branch's input),
    no cooling totals but the water, the grid import alone of the whole chain, and the IT energy from the
    distinct load values times their hour counts. Hourly series outside :data:`LEAN_HOURLY` take the whole year.
    """
    if any(k not in LEAN_HOURLY for k in hourly):
        y = year_arrays(result)
        it, chain, cool = _rows(y.it_power), y.chain.as_dict(), y.cooling
        grid = _rows(chain["grid_import"])
        annual = annual_arrays(it, grid, {k: _rows(cool[k]) for k in ("water", "chiller_on")})
        series = {"facility_power": lambda: grid, "it_power": lambda: it, "pue": lambda: grid / it,
                  "electrical_loss": lambda: _rows(chain["electrical_loss"]),
                  "chiller_on": lambda: _rows(cool["chiller_on"]).astype(float)}
        return annual, {k: series.get(k, lambda k=k: _rows(cool[k]))() for k in hourly}
    lean = _year(result, None, None, lean=True)
    grid, water, chiller_on = lean["grid"], lean["water"], lean["chiller_on"]
    it_mwh = lean["it_energy"] / 1e6
    fac = grid.sum(axis=-1) / 1e6
    water_m3 = water.sum(axis=-1) * 3600.0
    with np.errstate(divide="ignore", invalid="ignore"):
        pue = np.where(it_mwh > 0, fac / it_mwh, math.nan)
        wue = np.where(it_mwh > 0, water_m3 * 1000.0 / (it_mwh * 1000.0), math.nan)
    annual = {"it_energy_mwh": it_mwh, "annual_energy_mwh": fac, "pue_annual": pue,
              "peak_grid_mw": grid.max(axis=-1) / 1e6, "wue_l_per_kwh": wue, "water_annual_m3": water_m3,
              "chiller_hours": chiller_on.sum(axis=-1)}
    series = {"facility_power": lambda: grid, "it_power": lambda: lean["it"](), "pue": lambda: grid / lean["it"](),
              "cooling_power": lambda: lean["cooling_power"], "water": lambda: water,
              "chiller_on": lambda: chiller_on.astype(float)}
    return annual, {k: series[k]() for k in hourly}


def _rows(x: np.ndarray) -> np.ndarray:
    """An hourly array as rows (P, H): one design's (H,) as (1, H)."""
    return x if np.ndim(x) == 2 else np.reshape(x, (1, -1))


def _year(result: CampusResult, fraction: np.ndarray | None, weather: WeatherYear | None,
          lean: bool) -> Any:
    """The year (:func:`year_arrays`), or with ``lean`` the pieces of :func:`year_kpis` (a dict): one coupling."""
    s = result.scenario
    if weather is None:
        try:
            weather = load_weather(s.weather_path)
        except ValueError as exc:
            raise ScenarioError(str(exc), source=s.source, key="site.weather") from None
    w = weather
    u = load_profile(result) if fraction is None else np.asarray(fraction, dtype=float)
    c = result.compiled()  # SI columns (P, 1), P = 1 for one design: one path, squeezed at the result
    chain = c.chain
    # a batch may vary the load alone (``load.level``: a design of one point, a fraction (P, H))
    batch = c.batch or u.ndim == 2
    few = _distinct(u)
    # the year on its distinct conditions (weather the plants read, load value) when it has few, taken to the
    # hours at the end; else on every hour
    cols = _conditions(c, w, few)
    u_hours, few_hours = u, few
    at: WeatherYear | _Columns = w
    first = None
    if cols is not None:
        first, values, _ = cols
        at = _Columns(w.dry_bulb[None, first], w.wet_bulb[None, first])  # (1, n): every result is (P, n)
        u, few = np.take(few[0], values, axis=-1), (few[0], values)
    shape = np.broadcast_shapes((c.points, u.shape[-1]), np.shape(u))
    # what depends on the IT load alone: the IT power, heat to liquid and air, the IT side of the chain and the
    # liquid loops (on the distinct load values when the profile has few, then taken to the hours)
    uk = u if few is None else few[0]
    it = uk * c.it_power * np.ones((shape[0], uk.shape[-1]))
    q_liq, q_air_it = c.liquid_fraction * it, (1.0 - c.liquid_fraction) * it
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        it_part, loops = evaluate_it_side(chain, it), _liquid_loops(c, q_liq)
    rooms_it = chain.indoor_keys("it")
    rooms_mech = chain.indoor_keys("mechanical")
    it_k = it
    # only what the coupling, the grid import and the totals need goes to the columns (the conditions, or the
    # hours): the air side's IT heat, the rooms' fixed losses (summed on the values: the same adds), the liquid
    # loops' pump powers and plant heat, the IT branch's input (and for the whole year the liquid heat and the IT
    # side's totals); the IT side's stage losses and loop states go to the hours directly, when first read
    rooms_k = sum((it_part.stage_loss[sid] for sid in rooms_it), np.zeros((shape[0], uk.shape[-1])))
    tcs, fw, q_plant = loops
    parts = (q_air_it, rooms_k, tcs.pump_power, fw.pump_power, q_plant, it_part.branch_input)
    if not lean:
        parts += (q_liq, it_part.delivered_to_chips, it_part.delivered_to_overhead_it, it_part.in_rack_loss,
                  it_part.branch_loss)
    if few is not None:
        parts = _take(parts, few[1], _two(few[1]) if few[0].shape[-1] == 2 else None)
    q_air_it, rooms_fixed, p_tcs, p_fw, q_plant, branch_input, *it_totals = parts
    if not lean:
        q_liq, chips, overhead_it, in_rack, branch_loss = it_totals
    fw_loop = c.loops["fw"]
    liquid = {"p_tcs": p_tcs, "p_fw": p_fw,
              "plant": _plant_hour(fw_loop, at, q_plant, _plant_weather(fw_loop, w, c, "fw", first, at))}
    house = c.house_load * np.ones(shape)
    active = np.ones(shape[0], dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # the IT side of the chain and the liquid side of the cooling do not depend on the coupling: once (above);
        # so do the weather-only terms of the air side's plant (economiser leaving temperature and share, chiller
        # COP)
        chw_weather = _plant_weather(c.loops.get("chw"), w, c, "chw", first, at)
        liquid_power = _side_power(liquid, "p_tcs", "p_fw")
        # first guess: the liquid side's own hourly power (exact, computed above) and the air side's design power
        # scaled by the load
        mech = house + liquid_power + (c.cooling_power - c.liquid_power) * u

        def cooling_power(mech: np.ndarray) -> np.ndarray:
            """Cooling power at a mechanical load: only the mechanical branch and the air side change."""
            losses = mechanical_losses(chain, mech)
            rooms = sum((losses[sid] for sid in rooms_mech), rooms_fixed)
            air = _side_power(_air_hour(c, at, q_air_it, rooms, chw_weather, True), "p_crah", "p_chw")
            if np.shape(air) != np.shape(liquid_power):
                return liquid_power + air
            return np.add(liquid_power, air, out=air)  # (the same add, in place)

        def final(mech: np.ndarray) -> tuple[dict[str, Any], dict[str, np.ndarray], np.ndarray]:
            """The whole air side and the cooling totals at a mechanical load: ``(air, cooling, its power)``
            (``lean``: the cooling power and the water only)."""
            losses = mechanical_losses(chain, mech)  # (the rooms need the mechanical branch only, not the trunk)
            rooms = sum((losses[sid] for sid in rooms_mech), rooms_fixed)
            air = _air_hour(c, at, q_air_it, rooms, chw_weather)
            if lean:
                power = liquid_power + _side_power(air, "p_crah", "p_chw")
                cool = {"cooling_power": power, "water": _plants_total((liquid["plant"], air["plant"]), "water",
                                                                        np.shape(power)) / WATER_DENSITY}
            else:
                cool = _cooling_totals(liquid, air, q_liq, liquid_power)
            return air, cool, cool["cooling_power"] + house

        def passes(mech: np.ndarray, active: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
            """``count`` coupling passes at most on the points still ``active``: ``(mech, active)``."""
            for _ in range(count):
                new = cooling_power(mech)
                new = new + house if np.shape(new) != np.shape(house) else np.add(new, house, out=new)
                done = ~(np.max(np.abs(new - mech), axis=-1) >= _COUPLING_TOL_W)  # (NaN: an infeasible point, done)
                mech = new if active.all() else np.where(active[:, None], new, mech)
                active = active & ~done
                if not active.any():
                    break
            return mech, active

        # three plain passes; points still moving then take one Aitken step per hour on the last three iterates,
        # checked by the final evaluation itself; a point whose step misses (an hour on a chiller staging step: no
        # fixed point) goes on with the plain passes, as before
        seen = [mech]
        plain = min(_AITKEN_AFTER, _COUPLING_MAX_PASSES)
        while len(seen) <= plain and active.any():
            mech, active = passes(mech, active, 1)
            seen.append(mech)
        if not active.any() or plain == _COUPLING_MAX_PASSES:  # evaluated one pass further than where it stopped
            air, cool, mech = final(mech)
        else:
            trial = np.where(active[:, None], _aitken(*seen[-3:]), mech)
            air, cool, out = final(trial)
            bad = ~(np.abs(out - trial) < _AITKEN_TOL_W)
            bad &= np.isfinite(out)  # (NaN: an infeasible point, done)
            missed = active & bad.any(axis=-1)
            if missed.any():
                # with one pass left (four at most), the final evaluation just made is that pass where the step left
                # every hour that missed where the third pass put it (the staging hours: the step keeps the last
                # iterate where the load does not contract): its load is the fourth pass's there, bit for bit, and
                # the step's elsewhere; a point with a missed hour the step moved runs the fourth pass itself
                alone = _COUPLING_MAX_PASSES - _AITKEN_AFTER == 1
                own = missed & ((bad & (trial != mech)).any(axis=-1) if alone else True)
                if own.any():
                    mech, _ = passes(mech, own, _COUPLING_MAX_PASSES - _AITKEN_AFTER)
                air, cool, out = final(np.where(own[:, None], mech, np.where(missed[:, None], out, trial)))
            mech = out
        if lean:
            plant = liquid["plant"]
            chiller_on = np.zeros(shape, dtype=bool) if plant is None else plant.chiller_on | np.zeros(shape, bool)
            # the IT energy
            # (summed over the hours as the whole year sums them: the same figure bit for bit, whatever the batch)
            few = few_hours
            it_energy = (it_k if few is None else np.take(it_k, few[1], axis=-1)).sum(axis=-1)
            out = {"grid": grid_import(chain, branch_input, mech), "water": cool["water"], "chiller_on": chiller_on,
                   "cooling_power": cool["cooling_power"]}
            if cols is not None:
                out = _hours(out, cols[2], len(first))
            return out | {"it_energy": it_energy,
                          "it": (lambda: it_k) if few is None else (lambda: _take(it_k, few[1]))}
        state = evaluate_whole_chain(chain, ItSide({}, chips, overhead_it, in_rack, branch_input, branch_loss), mech)
    # to the hours: what the hourly variables read now; each stage's loss, loop and plant when first read (the IT
    # side's from the load values, the others from the columns)
    squeeze = not batch
    few = few_hours
    if few is None:
        values_to_hours = columns_to_hours = _same
    else:
        two = _two(few[1]) if few[0].shape[-1] == 2 else None

        # (partials of module functions, not closures: a year's results pickle, e.g. to another process)
        values_to_hours = partial(_take, index=few[1], two=two)
        columns_to_hours = _same if cols is None else partial(_hours, index=cols[2], count=len(first))
    it = values_to_hours(it_k)
    cool = columns_to_hours(cool)
    state = ChainState(
        _Hours(squeeze, (it_part.stage_loss, values_to_hours), (state.stage_loss, columns_to_hours)),
        *(values_to_hours(getattr(it_part, k)) for k in ("delivered_to_chips", "delivered_to_overhead_it",
                                                         "in_rack_loss")),
        *(columns_to_hours(getattr(state, k)) for k in ("electrical_loss", "grid_import", "grid_import_it",
                                                        "mechanical")))
    loops = _Hours(squeeze, ({"tcs": tcs, "fw": fw}, values_to_hours),
                   ({"chw": air["chw"]} if air["chw"] is not None else {}, columns_to_hours))
    plants = _Hours(squeeze, ({k: v for k, v in (("fw", liquid["plant"]), ("chw", air["plant"])) if v is not None},
                              columns_to_hours))
    house = c.house_load * np.ones((shape[0], HOURS))
    y = YearArrays(u_hours, it, w, state, cool, house, loops, plants)
    if batch:
        return y
    return replace(y, it_power=it[0], chain=_squeeze(state), cooling=_squeeze(cool), house_load=house[0])


def _same(x: Any) -> Any:
    """Results already on the hours."""
    return x


def hourly_variables(y: YearArrays) -> dict[str, np.ndarray]:
    """The hourly variables of :data:`facility.outputs.HOURLY`, by name, from the year's arrays."""
    w, chain, cool, it = y.weather, y.chain, y.cooling, y.it_power
    grid = chain.grid_import
    values = {
        "temp_air": w.dry_bulb - 273.15, "temp_wet_bulb": w.wet_bulb - 273.15, "it_fraction": y.fraction,
        "it_power": it, "delivered_to_chips": chain.delivered_to_chips, "in_rack_loss": chain.in_rack_loss,
        "electrical_loss": chain.electrical_loss, "pump_power": cool["pump_power"],
        "fan_power": cool["crah_fan_power"] + cool["heat_rejection_fan_power"],
        "compressor_power": cool["compressor_power"], "cooling_power": cool["cooling_power"],
        "house_load": y.house_load, "facility_power": grid, "pue": grid / np.maximum(it, 1e-9),
        "water": cool["water"], "chiller_on": cool["chiller_on"], "free_cooling_fraction": cool["free_cooling_fraction"],
        "chiller_on_air": cool["chiller_on_air"], "heat_in": cool["heat_in"], "heat_rejected": cool["heat_rejected"],
        "delivered_to_overhead_it": chain.delivered_to_overhead_it,
    }
    return {name: values[name] for name in HOURLY}


def year_dataset(result: CampusResult, y: YearArrays) -> xr.Dataset:
    """The hourly arrays of one design as an ``xarray.Dataset`` on ``time``, each variable with the ``units``
    and ``long_name`` of :data:`facility.outputs.HOURLY` (xarray is imported here, only when a Dataset is asked
    for)."""
    import xarray as xr

    s = result.scenario
    data = {name: xr.Variable("time", np.asarray(v), attrs={"units": HOURLY[name][0], "long_name": HOURLY[name][1]})
            for name, v in hourly_variables(y).items()}
    return xr.Dataset(data, coords={"time": y.weather.time.astype("datetime64[ns]")},
                      attrs={"scenario": s.name, "weather": y.weather.source, "load_profile": s.load.profile})


def simulate_year(result: CampusResult, fraction: np.ndarray | None = None) -> xr.Dataset:
    """Run the sized campus through its weather year.

    Parameters
    ----------
    result
        The campus sized at design (:func:`facility.run`).
    fraction
        IT load of each hour as a fraction of design IT power; default :func:`load_profile` of the scenario.

    Returns
    -------
    xarray.Dataset
        Hourly variables on ``time`` (units in each variable's ``units`` attribute).
    """
    return year_dataset(result, year_arrays(result, fraction))


def annual_arrays(it: np.ndarray, grid: np.ndarray, cool: dict[str, np.ndarray]) -> dict[str, Any]:
    """Annual sums over the last axis (hours) of the hourly arrays: one design or a batch of points (P, H)."""
    it_mwh = it.sum(axis=-1) / 1e6
    fac = grid.sum(axis=-1) / 1e6
    water_m3 = cool["water"].sum(axis=-1) * 3600.0
    with np.errstate(divide="ignore", invalid="ignore"):
        pue = np.where(it_mwh > 0, fac / it_mwh, math.nan)
        wue = np.where(it_mwh > 0, water_m3 * 1000.0 / (it_mwh * 1000.0), math.nan)
    return {"it_energy_mwh": it_mwh, "annual_energy_mwh": fac, "pue_annual": pue,
            "peak_grid_mw": grid.max(axis=-1) / 1e6, "wue_l_per_kwh": wue, "water_annual_m3": water_m3,
            "chiller_hours": cool["chiller_on"].sum(axis=-1)}


def annual_kpis(ds: xr.Dataset) -> dict[str, float]:
    """Annual figures of an hourly Dataset (hourly steps: energy [MWh] = sum of power [W] / 1e6)."""
    return _annual({k: ds[k].values for k in ("it_power", "facility_power", "water", "chiller_on", "cooling_power",
                                              "electrical_loss", "in_rack_loss", "chiller_on_air")},
                   ds["time"].values)


def annual_from_arrays(y: YearArrays) -> dict[str, float]:
    """The figures of :func:`annual_kpis` from the year's arrays (no Dataset, no xarray)."""
    v = hourly_variables(y)
    return _annual(v, y.weather.time)


def _annual(v: dict[str, np.ndarray], time: np.ndarray) -> dict[str, float]:
    a = annual_arrays(v["it_power"], v["facility_power"], {"water": v["water"], "chiller_on": v["chiller_on"]})
    peak = int(np.argmax(v["facility_power"]))
    return {
        "it_energy_mwh": float(a["it_energy_mwh"]),
        "annual_energy_mwh": float(a["annual_energy_mwh"]),
        "cooling_energy_mwh": float(v["cooling_power"].sum()) / 1e6,
        "electrical_loss_mwh": float((v["electrical_loss"] + v["in_rack_loss"]).sum()) / 1e6,
        "pue_annual": float(a["pue_annual"]),
        "peak_grid_mw": float(a["peak_grid_mw"]),
        "peak_grid_time": str(time[peak])[:13],
        "wue_l_per_kwh": float(a["wue_l_per_kwh"]),
        "water_m3": float(a["water_annual_m3"]),
        "chiller_hours": int(a["chiller_hours"]),
        "chiller_hours_air": int(v["chiller_on_air"].sum()),
        "free_cooling_hours": int((~np.asarray(v["chiller_on"]).astype(bool)).sum()),
    }


def design_check(result: CampusResult) -> dict[str, float]:
    """The year at full design load against the design point: hours whose facility power exceeds the design
    (the weather file hotter than the design conditions) and by how much."""
    full = year_arrays(result, np.ones(HOURS)).chain.grid_import
    design = result.facility_power.m_as("W")
    excess = full - design
    return {"hours_above_design": int(np.sum(excess > 1.0)),
            "max_above_design_mw": float(max(excess.max(), 0.0)) / 1e6,
            "peak_at_design_load_mw": float(full.max()) / 1e6}
