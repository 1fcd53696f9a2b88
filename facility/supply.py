r"""Where the power comes from: grid, gas turbines and engines, batteries and solar, dispatched over the year.

The campus's hourly facility power (:func:`facility.run` -> ``hourly["facility_power"]``) is the load of a
single-bus energy-system model, the model of PyPSA (Brown, Hörsch & Schlachtberger, "PyPSA: Python for Power
System Analysis", J. Open Research Software 6(1), 2018), solved as a linear programme by HiGHS (Huangfu &
Hall, "Parallelizing the dual revised simplex method", Math. Prog. Comp. 10, 2018) through ``highspy``. The LP is
built directly on sparse arrays (:func:`_highs_solve`, ~20x faster to build); the same model through PyPSA's
network (``backend="pypsa"``, :func:`_network_and_solve`) is kept as the reference a test holds equal. Free
capacities on a long horizon are chosen on representative days (:func:`_representative_days`, Kotzur et al. 2018)
and the full horizon is then dispatched at them (``[supply] sizing``):

* grid: a generator with the import limit as its capacity, the hourly (or flat) energy price as its marginal
  cost and, with a demand charge, its capacity (the peak import) extendable at the annual demand charge;
* gas turbines and engines: one fleet per ``[[supply.turbines]]``, the fuel line of
  :mod:`models.supply.thermal`, with **a linear relaxation of unit commitment** ("online capacity"
  formulation; e.g. Palmintier & Webster, IEEE Trans. Power Syst. 29(3), 2014): the online capacity
  :math:`P_{on,t}` is a continuous variable with :math:`p_{min} P_{on,t} \le P_t \le P_{on,t} \le A P_{nom}`,
  start-ups :math:`S_t \ge P_{on,t} - P_{on,t-1}` (cyclic over the horizon), no-load fuel on :math:`P_{on}`,
  incremental fuel on :math:`P`, a start cost per MW started; ``starts`` = :math:`\sum_t S_t` / unit rating
  (``commitment = "none"``: plain dispatch at the full-load heat rate, no minimum load, no starts — a smaller LP);
  ``redundancy = "N+1"`` installs (and pays for) one unit more than the optimiser may dispatch;
* battery: a PyPSA ``StorageUnit`` (power, energy = power x duration, charge and discharge efficiencies
  :math:`\sqrt{\eta_{rt}}`, cyclic state of charge, a reserve held for ride-through, an auxiliary load
  proportional to its power, a wear cost per MWh discharged from its cycle life);
* solar: a generator whose hourly availability is pvlib's ``ModelChain`` on the site's own weather file
  (:mod:`models.supply.solar`); what is not used is curtailed;
* unserved energy: only where ``allow_unserved`` is set, at the value of lost load.

Capacities are fixed, bounded or free (extendable, at annualised capital cost
:math:`c_{ann} = c_{cap}\,\frac{r}{1 - (1 + r)^{-n}} + c_{fom}`, scaled by the hours modelled over 8,760).
The objective is cost, carbon, or cost plus a carbon price. Energy closes every hour:

.. math:: P_{grid} + \sum P_{turbines} + P_{solar,avail} + P_{unserved} = P_{load} + P_{charge} - P_{discharge}
          + P_{curtailed} + P_{aux}

Units: the network is built in MW, MWh and US dollars (well scaled for the solver); the results carry their
units in the Dataset attributes and the JSON key names.

This module imports PyPSA, linopy, highspy and pvlib lazily: ``import facility`` stays light.
"""

from __future__ import annotations

import contextlib
import math
import time
import tomllib
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import pint
from pydantic import BeforeValidator, Field, model_validator

from facility.errors import InfeasibleDesign, ScenarioError, did_you_mean
from facility.schema import StrictModel
from facility.units import UnitParseError, parse_quantity, ureg

__all__ = ["Supply", "Grid", "Turbines", "Battery", "Solar", "SupplyResult", "SupplyEntry", "solve", "supply_for",
           "supply_table", "sweep_supply", "SWEEP_KPIS",
           "load_supply_catalog", "load_costs", "cost_figure", "annuity", "solar_profile", "HOURS_PER_YEAR"]

HOURS_PER_YEAR = 8760
MIP_GAP = 1e-4  # relative optimality gap at which a mixed-integer solve (integer commitment) stops [-]
MIP_TIME_LIMIT_S = 120.0  # and its time limit [s]: the best solution found is used, its gap reported
# Money and the fuel unit of US statistics (pint has neither). Defined once, idempotently, on the project registry.
if "USD" not in ureg:
    ureg.define("USD = [currency]")
if "MMBtu" not in ureg:
    ureg.define("MMBtu = 1e6 * Btu")
_MWH_TH_PER_MMBTU = 1e6 * 1055.056 / 3.6e9  # 1 MMBtu in MWh [-] (pint's Btu, ISO 31-4)

_DIR = Path(__file__).parent / "catalog"

# ---------------------------------------------------------------------------------------------- catalog
#: field -> (dimension | "fraction" | "flag", description with unit)
FIELDS: dict[str, tuple[str, str]] = {
    "rating": ("[power]", "electric output of one unit [W]"),
    "heat_rate_full": ("", "heat rate at rated output, HHV [Btu/kWh]"),
    "heat_rate_part": ("", "heat rate at part_load_point, HHV [Btu/kWh]"),
    "part_load_point": ("fraction", "load fraction of heat_rate_part [-]"),
    "min_load": ("fraction", "minimum stable load of a unit online [-]"),
    "start_time": ("[time]", "time from start to full load [s]"),
    "start_cost": ("[currency]", "cost of one start of one unit [USD]"),
    "co2_factor": ("[mass] / [energy]", "CO2 per fuel heat input, HHV [kg/MMBtu]"),
    "nox_factor": ("[mass] / [energy]", "NOx per fuel heat input, HHV [lb/MMBtu]"),
    "availability": ("fraction", "expected available share of the capacity [-]"),
    "duration": ("[time]", "energy over power rating [h]"),
    "round_trip_efficiency": ("fraction", "energy out over energy in [-]"),
    "auxiliary_load": ("fraction", "continuous auxiliary load per power rating [-]"),
    "degradation_per_cycle": ("fraction", "capacity lost per full cycle [-]"),
    "end_of_life_capacity": ("fraction", "capacity at end of life [-]"),
    "tracking": ("flag", "single-axis tracker (1) or fixed tilt (0) [-]"),
    "dc_ac_ratio": ("ratio", "DC nameplate over AC rating [-]"),
    "gamma_pdc": ("1 / [temperature]", "power temperature coefficient [1/K]"),
    "inverter_efficiency": ("fraction", "nominal inverter efficiency [-]"),
    "ground_coverage_ratio": ("fraction", "tracker ground coverage ratio [-]"),
    "tilt": ("", "fixed tilt [deg]"),
    "land": ("[area] / [power]", "land per AC power [ha/MW]"),
    # costs
    "capex": ("[currency] / [power]", "overnight capital cost [USD/kW]"),
    "capex_power": ("[currency] / [power]", "power-related capital cost [USD/kW]"),
    "capex_energy": ("[currency] / [energy]", "energy-related capital cost [USD/kWh]"),
    "fixed_om": ("[currency] / [power] / [time]", "fixed O&M [USD/kW/year]"),
    "variable_om": ("[currency] / [energy]", "variable O&M [USD/MWh]"),
    "lifetime": ("[time]", "economic life [year]"),
    "discount_rate": ("fraction", "real discount rate [-]"),
    "natural_gas_price": ("[currency] / [energy]", "fuel price, HHV [USD/MMBtu]"),
    "grid_price": ("[currency] / [energy]", "grid energy price [USD/MWh]"),
    "grid_carbon_intensity": ("[mass] / [energy]", "CO2 per MWh imported [kg/MWh]"),
    "value_of_lost_load": ("[currency] / [energy]", "cost of unserved energy [USD/MWh]"),
    "water_price": ("[currency] / [volume]", "price of water drawn [USD/m3]"),
}
_UNITLESS_UNITS = {"heat_rate_full": "Btu/kWh", "heat_rate_part": "Btu/kWh", "tilt": "deg"}
KINDS: dict[str, tuple[str, ...]] = {
    "gas-turbine": ("rating", "heat_rate_full", "heat_rate_part", "part_load_point", "min_load", "start_time",
                    "start_cost", "co2_factor", "nox_factor", "availability"),
    "recip-engine": ("rating", "heat_rate_full", "heat_rate_part", "part_load_point", "min_load", "start_time",
                     "start_cost", "co2_factor", "nox_factor", "availability"),
    "battery": ("duration", "round_trip_efficiency", "auxiliary_load", "degradation_per_cycle",
                "end_of_life_capacity"),
    "pv": ("tracking", "dc_ac_ratio", "gamma_pdc", "inverter_efficiency", "land"),
}
_OPTIONAL = {"pv": ("ground_coverage_ratio", "tilt")}
GENERATOR_KINDS = ("gas-turbine", "recip-engine")


@dataclass(frozen=True)
class SupplyEntry:
    """One supply option of the catalog: its kind and figures ``{field: (value, source)}``."""

    name: str
    kind: str
    description: str
    values: Mapping[str, tuple[Any, str]] = field(default_factory=dict)

    def get(self, key: str) -> Any:
        v = self.values.get(key)
        return None if v is None else v[0]

    def si(self, key: str, unit: str) -> float:
        """A figure as a float in ``unit``."""
        v = self.get(key)
        return float(v.m_as(unit)) if isinstance(v, pint.Quantity) else float(v)


def _parse_value(name: str, key: str, raw: Any, where: str, default_source: str | None = None) -> tuple[Any, str]:
    def err(msg: str) -> ScenarioError:
        return ScenarioError(msg, source=where, key=f"{name}.{key}")

    if key not in FIELDS:
        raise err(f"unknown field; {did_you_mean(key, FIELDS)}expected one of {', '.join(sorted(FIELDS))}")
    dim, desc = FIELDS[key]
    if isinstance(raw, Mapping):
        if set(raw) - {"value", "source"} or "value" not in raw:
            raise err(f"expected {{ value = ..., source = \"...\" }}; got keys {sorted(raw)}")
        value, source = raw["value"], raw.get("source") or default_source
    else:
        value, source = raw, default_source
    if not isinstance(source, str) or not source.strip():
        raise err("every figure needs a non-empty 'source'")
    if dim in ("fraction", "flag", "ratio"):
        hi = {"fraction": 1.0, "flag": 1.0, "ratio": 5.0}[dim]
        lo = 1.0 if dim == "ratio" else 0.0
        if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
            raise err(f"got {value!r}; expected a number from {lo:g} to {hi:g} ({desc})")
        return float(value), source
    try:
        if dim == "":  # a ratio written with its unit (Btu/kWh, deg)
            q = _dimensionless(value, _UNITLESS_UNITS[key])
        else:
            q = parse_quantity(value, dim)
    except UnitParseError as exc:
        raise err(f"{exc} ({desc})") from None
    if q.magnitude < 0 and key != "gamma_pdc":
        raise err(f"got {value!r}; expected a value >= 0 ({desc})")
    return q, source


def _dimensionless(value: Any, unit: str) -> pint.Quantity:
    if not isinstance(value, str):
        raise UnitParseError(f"got {value!r}; expected a string with its unit, such as \"1 {unit}\"")
    try:
        q = ureg.Quantity(value)
        q.m_as(unit)
    except Exception:  # pint raises many types on a bad text or a wrong dimension
        raise UnitParseError(f"cannot read {value!r} in {unit}; expected a quantity such as \"1 {unit}\"") from None
    return q


def _entry(name: str, raw: Mapping[str, Any], where: str, base: SupplyEntry | None = None,
           default_source: str | None = None) -> SupplyEntry:
    if not isinstance(raw, Mapping):
        raise ScenarioError(f"expected a table of fields; got {raw!r}", source=where, key=name)
    kind = raw.get("kind", base.kind if base else None)
    if kind not in KINDS:
        raise ScenarioError(f"got {kind!r}; expected one of {', '.join(KINDS)}", source=where, key=f"{name}.kind")
    allowed = set(KINDS[kind]) | set(_OPTIONAL.get(kind, ()))
    values = dict(base.values) if base else {}
    description = base.description if base else ""
    for key, val in raw.items():
        if key == "kind":
            continue
        if key == "description":
            description = str(val)
            continue
        if key not in allowed:
            raise ScenarioError(f"not a field of a {kind}; {did_you_mean(key, allowed)}expected one of "
                                f"{', '.join(sorted(allowed))}", source=where, key=f"{name}.{key}")
        values[key] = _parse_value(name, key, val, where, default_source)
    for req in KINDS[kind]:
        if req not in values:
            raise ScenarioError(f"missing; a {kind} needs {', '.join(KINDS[kind])}", source=where,
                                key=f"{name}.{req}")
    if kind in GENERATOR_KINDS:
        hr1, hrx = (values[k][0].m_as("Btu/kWh") for k in ("heat_rate_full", "heat_rate_part"))
        if hrx <= hr1:
            raise ScenarioError(f"heat rate at part load {hrx:g} Btu/kWh is not above the full-load {hr1:g} Btu/kWh; "
                                "expected a heat rate that rises at part load", source=where,
                                key=f"{name}.heat_rate_part")
    return SupplyEntry(name, kind, description, values)


@cache
def load_supply_catalog() -> dict[str, SupplyEntry]:
    """The supply options of ``facility/catalog/supply.toml`` by name (read once)."""
    path = _DIR / "supply.toml"
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    return {name: _entry(name, data, str(path)) for name, data in raw.items()}


@cache
def load_costs() -> dict[str, dict[str, tuple[Any, str]]]:
    """``facility/catalog/costs.toml``: ``defaults`` and the costs of each supply option, ``{field: (value,
    source)}`` (read once)."""
    path = _DIR / "costs.toml"
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    return {name: {k: _parse_value(name, k, v, str(path)) for k, v in table.items()} for name, table in raw.items()
            if name != "equipment"}  # campus equipment: facility.capex


def _cost(name: str, key: str, unit: str) -> float:
    table = load_costs().get(name, {})
    if key not in table:
        return 0.0
    v = table[key][0]
    return float(v.m_as(unit)) if isinstance(v, pint.Quantity) else float(v)


def _default(key: str, unit: str) -> float:
    return _cost("defaults", key, unit)


def cost_figure(name: str, key: str, unit: str) -> float:
    """A figure of costs.toml (``name`` a supply option or ``defaults``) as a float in ``unit``; 0 if absent."""
    return _cost(name, key, unit)


def annuity(rate: float, years: float) -> float:
    """Capital recovery factor r / (1 - (1 + r)^-n) [1/year] (n / 1 at r = 0)."""
    return 1.0 / years if rate == 0 else rate / (1.0 - (1.0 + rate) ** -years)


# ---------------------------------------------------------------------------------------------- config
def _q(dimension: str, what: str, *, allow_zero: bool = False, allow_free: bool = False):
    def check(value: Any) -> Any:
        if allow_free and value == "free":
            return "free"
        q = parse_quantity(value, dimension)
        if q.magnitude < 0 or (q.magnitude == 0 and not allow_zero):
            raise ValueError(f"got {value!r}; expected a {'non-negative' if allow_zero else 'positive'} {what}"
                             + (' or "free"' if allow_free else ""))
        return q
    return BeforeValidator(check)


def _frac(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
        raise ValueError(f"got {value!r}; expected a number from 0 to 1")
    return float(value)


def _whole(value: Any) -> Any:
    if value == "free":
        return value
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"got {value!r}; expected a whole number >= 0 or \"free\"")
    return value


Power = Annotated[Any, _q("[power]", "power", allow_zero=True)]
PowerOrFree = Annotated[Any, _q("[power]", "power", allow_zero=True, allow_free=True)]
Energy = Annotated[Any, _q("[energy]", "energy", allow_zero=True)]
Price = Annotated[Any, _q("[currency] / [energy]", "price per energy such as \"80 USD/MWh\"", allow_zero=True)]
Fraction = Annotated[float, BeforeValidator(_frac)]


_Base = StrictModel  # unknown keys refused, immutable once validated (facility.schema)


class Grid(_Base):
    """The grid connection at the point of interconnection."""

    import_limit: Power = Field(description="Largest import from the grid; 0 MW: islanded. [W]")
    price: Price | None = Field(None, description="Flat energy price. [USD/MWh] Default: costs.toml grid_price.")
    price_file: str | None = Field(None, description="CSV of hourly prices, one row per hour of the load, column "
                                                     "usd_per_mwh (relative to the scenario file).")
    demand_charge: Annotated[Any, _q("[currency] / [power] / [time]", "demand charge such as \"15 USD/kW/month\"",
                                     allow_zero=True)] | None = Field(
        None, description="Charge on the peak import. [USD/kW/month] Default none.")
    carbon_intensity: Annotated[Any, _q("[mass] / [energy]", "carbon intensity such as \"370 kg/MWh\"",
                                        allow_zero=True)] | None = Field(
        None, description="CO2 per MWh imported. [kg/MWh] Default: eGRID2022 US average (costs.toml).")
    carbon_file: str | None = Field(None, description="CSV of hourly carbon intensities, column kg_per_mwh.")

    @model_validator(mode="after")
    def _one_price(self) -> Grid:
        if self.price is not None and self.price_file is not None:
            raise ValueError("@price_file@give price or price_file, not both")
        if self.carbon_intensity is not None and self.carbon_file is not None:
            raise ValueError("@carbon_file@give carbon_intensity or carbon_file, not both")
        return self


class Turbines(_Base):
    """A fleet of identical gas turbines or engines."""

    model: str = Field(description="Supply catalog entry of kind gas-turbine or recip-engine.")
    count: Annotated[Any, BeforeValidator(_whole)] = Field(
        description="Units installed (fixed), or \"free\" (chosen by the optimiser, within count_min..count_max).")
    count_min: int | None = Field(None, ge=0, description="Lower bound when count is free. [-]")
    count_max: int | None = Field(None, ge=0, description="Upper bound when count is free. [-]")
    redundancy: Literal["N", "N+1"] = Field("N", description="N+1: one unit more than dispatched is installed.")
    commitment: Literal["linear", "none", "integer"] = Field(
        "linear", description="linear: the linear relaxation of unit commitment (minimum load, no-load fuel, start "
                              "costs); none: plain economic dispatch at the full-load heat rate (no minimum load, no "
                              "starts), a smaller LP for quick capacity studies; integer: whole units online and "
                              "whole starts (a mixed-integer programme, HiGHS branch and bound; for small cases, a "
                              "fixed count, stopped at a 0.01 % gap or the time limit).")
    fuel_price: Price | None = Field(None, description="Fuel price, HHV. [USD/MMBtu] Default: costs.toml.")
    name: str | None = Field(None, description="A label (default: the model name).")

    @model_validator(mode="after")
    def _bounds(self) -> Turbines:
        if self.count != "free" and (self.count_min is not None or self.count_max is not None):
            raise ValueError("@count_max@count_min / count_max bound a free count; set count = \"free\"")
        if self.count_min is not None and self.count_max is not None and self.count_min > self.count_max:
            raise ValueError("@count_min@count_min is above count_max")
        if self.commitment == "integer" and self.count == "free":
            raise ValueError("@commitment@integer commitment needs a fixed count (a whole number of units); choose "
                             "the count with commitment = \"linear\" first")
        return self


#: The longest battery the supply model takes, energy over power [h]: ten times the ~100 h of multi-day iron-air
#: storage (Form Energy's announced product, 2023); an engineering ceiling that keeps the LP's numbers within the
#: range HiGHS solves (a 6e15 MWh battery on a 48 h load left it at status "Unknown").
MAX_BATTERY_HOURS = 1000.0


class Battery(_Base):
    """A battery: power rating and energy (or the catalog duration)."""

    model: str = Field("bess-lfp-4h", description="Supply catalog entry of kind battery.")
    power: PowerOrFree | None = Field(None, description="Power rating, or \"free\". [W]")
    power_min: Power | None = Field(None, description="Lower bound when power is free. [W]")
    power_max: Power | None = Field(None, description="Upper bound when power is free. [W]")
    energy: Energy | None = Field(None, description="Energy capacity. [Wh] Default: power x the model's duration.")
    reserve: Fraction = Field(0.0, description="Share of the energy always held for ride-through. [-]")

    @model_validator(mode="after")
    def _power(self) -> Battery:
        if self.power is None:
            raise ValueError("@power@a battery needs its power rating (e.g. power = \"100 MW\" or \"free\")"
                             + (f"; energy {self.energy:~P} alone cannot charge or discharge" if self.energy else ""))
        if self.power != "free" and (self.power_min is not None or self.power_max is not None):
            raise ValueError("@power_max@power_min / power_max bound a free power; set power = \"free\"")
        if self.power == "free" and self.energy is not None:
            raise ValueError("@energy@with power = \"free\" the energy follows power x the model's duration; "
                             "remove energy")
        if self.power != "free" and self.energy is not None and self.power.magnitude == 0 and self.energy.magnitude > 0:
            raise ValueError(f"@power@a battery of {self.energy:~P} needs a power rating above 0")
        if self.power != "free" and self.energy is not None and self.power.magnitude > 0:
            hours = float((self.energy / self.power).m_as("h"))
            if hours > MAX_BATTERY_HOURS:
                raise ValueError(f"@energy@a battery of {self.energy:~P} on {self.power:~P} stores {hours:.3g} h of its "
                                 f"power; expected at most {MAX_BATTERY_HOURS:,.0f} h (multi-day iron-air storage is "
                                 "~100 h; this ceiling is ten times that)")
        return self


class Solar(_Base):
    """A photovoltaic plant on the site's weather file."""

    model: str = Field("pv-single-axis", description="Supply catalog entry of kind pv.")
    capacity: PowerOrFree = Field(description="AC (inverter) capacity, or \"free\". [W]")
    capacity_min: Power | None = Field(None, description="Lower bound when capacity is free. [W]")
    capacity_max: Power | None = Field(None, description="Upper bound when capacity is free. [W]")

    @model_validator(mode="after")
    def _bounds(self) -> Solar:
        if self.capacity != "free" and (self.capacity_min is not None or self.capacity_max is not None):
            raise ValueError("@capacity_max@capacity_min / capacity_max bound a free capacity; set capacity = \"free\"")
        return self


OBJECTIVES = ("cost", "carbon", "weighted")


class Supply(_Base):
    """The ``[supply]`` section of a scenario: where the campus's power comes from."""

    objective: Literal["cost", "carbon", "weighted"] = Field(
        "cost", description="cost [USD] | carbon [t CO2, with costs as a tie-break at 1e-6 t per USD] | weighted "
                            "[USD: cost + carbon_price x CO2].")
    carbon_price: Annotated[Any, _q("[currency] / [mass]", "carbon price such as \"50 USD/t\"",
                                    allow_zero=True)] | None = Field(None, description="For weighted. [USD/t]")
    discount_rate: Fraction | None = Field(None, description="Real discount rate. [-] Default: costs.toml (7 %).")
    allow_unserved: bool = Field(False, description="Allow unserved energy at the value of lost load.")
    value_of_lost_load: Price | None = Field(None, description="[USD/MWh] Default: costs.toml.")
    grid: Grid | None = Field(None, description="The grid connection; absent: islanded.")
    turbines: list[Turbines] = Field(default_factory=list, description="Fleets of gas turbines or engines.")
    battery: Battery | None = None
    solar: Solar | None = None
    sizing: Literal["auto", "full-horizon", "representative-days"] = Field(
        "auto", description="How free capacities are chosen: full-horizon (one LP over every hour, exact, slow on "
                            "a year), representative-days (capacities on typical days, Kotzur et al. 2018, then "
                            "the full year dispatched at them; the summary's sizing says which ran), auto "
                            "(representative days when a capacity is free and the horizon has at least 60 days and "
                            "twice representative_days).")
    representative_days: int = Field(90, ge=2, le=180, description="Typical days for representative-days sizing "
                                                                   "(plus the peak-load and darkest days). [-]")
    catalog: dict[str, dict[str, Any]] = Field(default_factory=dict,
                                               description="Overrides of supply catalog entries by name.")

    @model_validator(mode="after")
    def _check(self) -> Supply:
        if self.objective == "weighted" and self.carbon_price is None:
            raise ValueError("@carbon_price@objective \"weighted\" needs a carbon_price (e.g. \"50 USD/t\")")
        cat = self.entries()
        for i, t in enumerate(self.turbines):
            if t.model not in cat or cat[t.model].kind not in GENERATOR_KINDS:
                opts = [n for n, e in cat.items() if e.kind in GENERATOR_KINDS]
                raise ValueError(f"@turbines[{i}].model@unknown turbine or engine {t.model!r}; "
                                 f"{did_you_mean(t.model, opts)}expected one of {', '.join(opts)}")
        for key, kind in (("battery", "battery"), ("solar", "pv")):
            opt = getattr(self, key)
            if opt is not None and (opt.model not in cat or cat[opt.model].kind != kind):
                opts = [n for n, e in cat.items() if e.kind == kind]
                raise ValueError(f"@{key}.model@unknown {kind} {opt.model!r}; {did_you_mean(opt.model, opts)}"
                                 f"expected one of {', '.join(opts)}")
        names = [t.name or t.model for t in self.turbines]
        if len(set(names)) != len(names):
            raise ValueError("@turbines@two fleets have the same name; give each a name")
        if not (self.grid or self.turbines or self.battery or self.solar or self.allow_unserved):
            raise ValueError("no supply: give at least one of grid, turbines, battery, solar")
        return self

    def entries(self) -> dict[str, SupplyEntry]:
        """The supply catalog with this section's overrides."""
        cat = dict(load_supply_catalog())
        for name, raw in self.catalog.items():
            try:
                cat[name] = _entry(name, raw, "[supply.catalog]", cat.get(name),
                                   default_source="scenario override")
            except ScenarioError as exc:
                raise ValueError(f"@catalog.{exc.key}@{exc.message}") from None
        return cat


# ---------------------------------------------------------------------------------------------- inputs
def _series(path: Path, column: str, hours: int, key: str, source: str | None) -> np.ndarray:
    import pandas as pd

    if not path.is_file():
        raise ScenarioError(f"{path} does not exist; expected a CSV with a column {column}", source=source, key=key)
    try:
        df = pd.read_csv(path)
    except Exception as exc:  # pandas raises many types on malformed files
        raise ScenarioError(f"cannot read {path.name} ({exc.__class__.__name__}: {exc})", source=source,
                            key=key) from None
    if column not in df.columns:
        raise ScenarioError(f"{path.name} has no column {column!r} (columns: {', '.join(map(str, df.columns))})",
                            source=source, key=key)
    values = pd.to_numeric(df[column], errors="coerce").to_numpy(dtype=float)
    if len(values) != hours:
        raise ScenarioError(f"{path.name} has {len(values)} rows; expected one per hour of the load ({hours})",
                            source=source, key=key)
    if not np.all(np.isfinite(values)):
        raise ScenarioError(f"{path.name} has missing or non-numeric values in {column}", source=source, key=key)
    return values


def _weather_frame(weather_path: Path):
    """GHI/DNI/DHI, air temperature and wind of an EPW or TMY3 file at mid-hour stamps, and the site."""
    import pandas as pd
    import pvlib

    suffix = Path(weather_path).suffix.lower()
    if suffix == ".epw":
        data, meta = pvlib.iotools.read_epw(str(weather_path))
        tz_hours, alt = meta["TZ"], meta["altitude"]
    elif suffix == ".csv":
        data, meta = pvlib.iotools.read_tmy3(str(weather_path), map_variables=True)
        tz_hours, alt = meta["TZ"], meta["altitude"]
    else:
        raise ValueError(f"{Path(weather_path).name} has no irradiance (PVGIS cache or unknown type); solar needs an "
                         ".epw or TMY3 .csv weather file")
    missing = [c for c in ("ghi", "dni", "dhi", "temp_air", "wind_speed") if c not in data.columns]
    if missing:
        raise ValueError(f"{Path(weather_path).name} lacks {missing}; solar needs irradiance and wind")
    data = data.iloc[:HOURS_PER_YEAR]
    from datetime import timedelta, timezone
    tz = timezone(timedelta(hours=float(tz_hours)))
    # row i is the hour [i, i+1) of the file (pvlib labels it by its start): the sun at the middle of the hour
    index = pd.date_range("2001-01-01 00:30", periods=len(data), freq="h", tz=tz)
    frame = data[["ghi", "dni", "dhi", "temp_air", "wind_speed"]].copy()
    frame.index = index
    return frame, float(meta["latitude"]), float(meta["longitude"]), float(alt)


@cache
def _profile_cached(path: str, mtime: float, options: tuple) -> np.ndarray:
    from models.supply.solar import ac_per_unit

    frame, lat, lon, alt = _weather_frame(Path(path))
    return ac_per_unit(frame, lat, lon, alt, **dict(options))


def solar_options(entry: SupplyEntry) -> dict[str, Any]:
    """Keyword options of :func:`models.supply.solar.model_chain` from a pv catalog entry."""
    opts: dict[str, Any] = {"tracking": bool(entry.get("tracking")), "dc_ac_ratio": entry.si("dc_ac_ratio", ""),
                            "gamma_pdc": entry.si("gamma_pdc", "1/K"),
                            "inverter_efficiency": entry.si("inverter_efficiency", "")}
    if entry.get("ground_coverage_ratio") is not None:
        opts["gcr"] = entry.si("ground_coverage_ratio", "")
    if entry.get("tilt") is not None:
        opts["tilt"] = entry.si("tilt", "deg")
    return opts


def solar_profile(weather_path: Path, entry: SupplyEntry) -> np.ndarray:
    """AC output per AC watt of a pv entry for each hour of the weather year [-] (cached per file and options)."""
    p = Path(weather_path)
    return _profile_cached(str(p), p.stat().st_mtime, tuple(sorted(solar_options(entry).items())))


# ---------------------------------------------------------------------------------------------- result
@dataclass(frozen=True)
class SupplyResult:
    """A solved supply: the hourly Dataset (dispatch, state of charge, ...) and the summary (JSON keys)."""

    hourly: Any
    summary: dict[str, Any]
    objective: float
    recomputed_objective: float
    network: Any = None

    def to_json(self) -> dict[str, Any]:
        return self.summary


@dataclass
class _Fleet:
    name: str
    entry: SupplyEntry
    rating: float  # MW per unit
    a: float  # no-load fuel per MW online [MWh_th/MWh]
    b: float  # incremental fuel [MWh_th/MWh]
    fuel_price: float  # USD/MWh_th
    co2: float  # t/MWh_th
    nox: float  # t/MWh_th
    vom: float  # USD/MWh
    start_cost: float  # USD per MW started
    min_load: float
    availability: float
    spare: int
    committed: bool  # linear relaxation of unit commitment (else plain dispatch at the full-load heat rate)
    fixed: float | None  # dispatchable MW, fixed
    lo: float
    hi: float
    capex_ann: float  # USD/MW/year
    integer: bool = False  # whole units online and whole starts (mixed-integer)


def _fleets(cfg: Supply, cat: dict[str, SupplyEntry], rate: float) -> list[_Fleet]:
    from models.supply.thermal import BTU_PER_KWH, fuel_curve

    out = []
    for t in cfg.turbines:
        e = cat[t.model]
        rating = e.si("rating", "MW")
        hr1 = e.si("heat_rate_full", "Btu/kWh") * BTU_PER_KWH
        hrx = e.si("heat_rate_part", "Btu/kWh") * BTU_PER_KWH
        a, b = fuel_curve(hr1, hrx, e.si("part_load_point", ""))
        committed = t.commitment in ("linear", "integer")
        if not committed:
            a, b = 0.0, hr1
        price_mmbtu = (t.fuel_price.m_as("USD/MMBtu") if t.fuel_price is not None
                       else _default("natural_gas_price", "USD/MMBtu"))
        spare = 1 if t.redundancy == "N+1" else 0
        capex_ann = (_cost(t.model, "capex", "USD/MW") * annuity(rate, _cost(t.model, "lifetime", "year") or 30.0)
                     + _cost(t.model, "fixed_om", "USD/MW/year"))
        if t.count == "free":
            lo = max((t.count_min or 0) - spare, 0) * rating
            hi = math.inf if t.count_max is None else max(t.count_max - spare, 0) * rating
            fixed = None
        else:
            fixed = max(t.count - spare, 0) * rating
            lo = hi = fixed
        out.append(_Fleet(t.name or t.model, e, rating, a, b, price_mmbtu / _MWH_TH_PER_MMBTU,
                          e.si("co2_factor", "t/MMBtu") / _MWH_TH_PER_MMBTU,
                          e.si("nox_factor", "t/MMBtu") / _MWH_TH_PER_MMBTU,
                          _cost(t.model, "variable_om", "USD/MWh"),
                          e.si("start_cost", "USD") / rating if committed else 0.0,
                          e.si("min_load", "") if committed else 0.0, e.si("availability", ""), spare, committed,
                          fixed, lo, hi, capex_ann, t.commitment == "integer"))
    return out


def _capacity(value: Any, lo: Any, hi: Any, unit: str) -> tuple[float | None, float, float]:
    """(fixed or None, lower, upper) in ``unit`` from a value / "free" and optional bounds."""
    if value != "free":
        v = float(value.m_as(unit))
        return v, v, v
    return None, (0.0 if lo is None else float(lo.m_as(unit))), (math.inf if hi is None else float(hi.m_as(unit)))


# ---------------------------------------------------------------------------------------------- checks
def _check_feasible(load: np.ndarray, time_index: np.ndarray, grid: float, fleets: list[_Fleet],
                    battery: float, solar: tuple[float, np.ndarray] | None, cfg: Supply, source: str | None) -> None:
    """Before solving: every hour's load within the largest supply available that hour; a turbine fleet that is
    the only supply must be able to follow the lowest load at its minimum stable load."""
    if cfg.allow_unserved:
        return
    cap = np.full(load.shape, grid)
    for f in fleets:
        cap = cap + f.hi * f.availability
    cap = cap + battery
    if solar is not None:
        cap = cap + solar[0] * solar[1]
    short = load - cap
    if np.any(short > 1e-6):
        i = int(np.argmax(short))
        parts = [f"grid {grid:g} MW"] + [f"{f.name} {f.hi * f.availability:g} MW" for f in fleets]
        if battery:
            parts.append(f"battery {battery:g} MW")
        if solar is not None:
            parts.append(f"solar {solar[0] * solar[1][i]:g} MW that hour")
        n_short = int(np.sum(short > 1e-6))
        raise InfeasibleDesign(
            f"{source + ': ' if source else ''}supply: not enough capacity: short by {short[i]:.3f} MW at hour {i} "
            f"({np.datetime_as_string(time_index[i], unit='h')}), load {load[i]:.3f} MW against "
            f"{cap[i]:.3f} MW available ({', '.join(parts)}); {n_short} hour(s) short in all. Expected more "
            "capacity, a free or bounded capacity, or allow_unserved = true with a value of lost load")
    if not fleets or grid > 0 or battery > 0 or (solar is not None and solar[0] > 0):
        return
    floor = min(f.min_load * f.rating for f in fleets)
    if load.min() < floor - 1e-9:
        i = int(np.argmin(load))
        j = min(range(len(fleets)), key=lambda k: fleets[k].min_load * fleets[k].rating)
        f = fleets[j]
        raise ScenarioError(
            f"the turbines are the only supply, but the load falls to {load[i]:.3f} MW at hour {i} "
            f"({np.datetime_as_string(time_index[i], unit='h')}), below one {f.entry.name}'s minimum stable load "
            f"{floor:.3f} MW ({f.min_load:.0%} of {f.rating:g} MW); expected a smaller unit, a battery, a grid "
            "connection, or allow_unserved = true", source=source, key=f"supply.turbines[{j}].model")


# ---------------------------------------------------------------------------------------------- solve
def solve(cfg: Supply, load: Any, *, weather_path: Path | None = None, time_index: Any = None, base: Path | None = None,
          source: str | None = None, solar_availability: np.ndarray | None = None, keep_network: bool = False,
          backend: Literal["highs", "pypsa"] = "highs") -> SupplyResult:
    """Dispatch (and, where free, size) the supply of an hourly load.

    Parameters
    ----------
    cfg
        The supply section.
    load
        Hourly electric load (facility power), one value per hour. [W] (a Quantity, or floats in W)
    weather_path
        The site's weather file (for solar); hours are the first ``len(load)`` of its year.
    time_index
        datetime64 stamps of the hours (default: 2001-01-01 00:00 on).
    base
        Folder of the scenario file (price and carbon CSVs are relative to it).
    source
        Scenario file, for messages.
    solar_availability
        Override of the solar availability per AC watt [-] (tests); default: pvlib on ``weather_path``.
    keep_network
        Keep the solved ``pypsa.Network`` on the result (``backend="pypsa"``).
    backend
        ``"highs"`` (default): the LP built directly on sparse arrays and solved by ``highspy``
        (:func:`_highs_solve`); ``"pypsa"``: the same LP through PyPSA's network and linopy, the reference
        implementation (several times slower to build).

    Raises
    ------
    ScenarioError
        A price or carbon series of the wrong length, turbines alone that cannot follow the load, ...
    InfeasibleDesign
        Not enough capacity for some hour (the shortfall in MW and the hour).
    """
    started = time.perf_counter()
    load_w = np.asarray(load.m_as("W") if isinstance(load, pint.Quantity) else load, dtype=float)
    if load_w.ndim != 1 or len(load_w) == 0 or not np.all(np.isfinite(load_w)) or np.any(load_w < 0):
        raise ScenarioError("expected a non-empty series of finite, non-negative hourly loads", source=source,
                            key="load")
    hours = len(load_w)
    load_mw = load_w / 1e6
    t_idx = (np.datetime64("2001-01-01T00", "h") + np.arange(hours) if time_index is None
             else np.asarray(time_index).astype("datetime64[h]"))
    cat = cfg.entries()
    rate = cfg.discount_rate if cfg.discount_rate is not None else _default("discount_rate", "")
    scale = hours / HOURS_PER_YEAR  # annual fixed costs carried by the hours modelled
    w_cost, w_co2 = {"cost": (1.0, 0.0), "weighted": (1.0, 0.0), "carbon": (1e-6, 1.0)}[cfg.objective]
    if cfg.objective == "weighted":
        w_co2 = cfg.carbon_price.m_as("USD/t")
    voll = (cfg.value_of_lost_load.m_as("USD/MWh") if cfg.value_of_lost_load is not None
            else _default("value_of_lost_load", "USD/MWh"))

    def where(key: str) -> Path:
        p = Path(key).expanduser()
        return p if p.is_absolute() or base is None else base / p

    # grid
    g = cfg.grid
    grid_limit = float(g.import_limit.m_as("MW")) if g else 0.0
    if g and g.price_file:
        price = _series(where(g.price_file), "usd_per_mwh", hours, "supply.grid.price_file", source)
    else:
        price = np.full(hours, g.price.m_as("USD/MWh") if g and g.price is not None
                        else _default("grid_price", "USD/MWh"))
    if g and g.carbon_file:
        carbon = _series(where(g.carbon_file), "kg_per_mwh", hours, "supply.grid.carbon_file", source) / 1e3
    else:
        carbon = np.full(hours, g.carbon_intensity.m_as("t/MWh") if g and g.carbon_intensity is not None
                         else _default("grid_carbon_intensity", "t/MWh"))
    demand_charge = g.demand_charge.m_as("USD/MW/year") if g and g.demand_charge is not None else 0.0

    fleets = _fleets(cfg, cat, rate)

    store = _store(cfg, cat, rate)
    pv = _pv(cfg, cat, rate, hours, weather_path, solar_availability, source)
    _check_feasible(load_mw, t_idx, grid_limit, fleets, store.hi if store else 0.0,
                    (pv.hi, pv.avail) if pv and np.isfinite(pv.hi) else None, cfg, source)
    prob = _Problem(cfg, load_mw, t_idx, grid_limit, price, carbon, demand_charge, scale, w_cost, w_co2, voll,
                    rate, fleets, store, pv, source)
    import logging

    for name in ("pypsa", "linopy", "highspy"):
        logging.getLogger(name).setLevel(logging.ERROR)
    sizing: dict[str, Any] = {"method": "full-horizon"}
    staged = None
    if backend == "pypsa" and any(f.integer for f in fleets):
        raise ScenarioError("integer commitment is solved by the default backend (highs) only", source=source,
                            key="supply.turbines.commitment")
    if backend == "pypsa":
        with _quiet():
            sol = _network_and_solve(prob)
    else:
        method = cfg.sizing
        if method == "auto":
            method = ("representative-days" if _free(prob) and hours % 24 == 0
                      and hours >= 24 * max(60, 2 * cfg.representative_days) else "full-horizon")
        if method == "representative-days" and _free(prob):
            if hours % 24 or hours < 48 * cfg.representative_days:
                raise ScenarioError(f"representative days need whole days and at least twice "
                                    f"{cfg.representative_days} of them; the load has {hours} h", source=source,
                                    key="supply.sizing")
            staged = _two_stage(prob, cfg.representative_days)
        if staged is not None:
            sol, sizing = staged
        else:
            sol = _highs_solve(prob)
            if method == "representative-days":
                sizing = {"method": "full-horizon", "note": "the capacities chosen on representative days could not "
                          "serve every hour of the year; chosen on the full horizon instead"}
    out = _results(sol, prob, time.perf_counter() - started, keep_network)
    out.summary["sizing"] = sizing
    if sol.mip_gap is not None:
        out.summary["mip_gap"] = round(sol.mip_gap, 8)
    return out


@dataclass
class _Store:
    entry: SupplyEntry
    fixed: float | None  # MW
    lo: float
    hi: float
    duration: float  # h
    rte: float
    aux: float  # auxiliary load per MW of rating [-]
    wear: float  # USD/MWh discharged
    capex_ann: float  # USD/MW/year (power and energy for the duration)
    reserve: float


@dataclass
class _PV:
    entry: SupplyEntry
    fixed: float | None  # MW AC
    lo: float
    hi: float
    avail: np.ndarray  # per MW AC [-]
    capex_ann: float  # USD/MW/year
    vom: float  # USD/MWh


@dataclass
class _Problem:
    cfg: Supply
    load: np.ndarray  # MW
    t_idx: np.ndarray
    grid_limit: float  # MW
    price: np.ndarray  # USD/MWh
    carbon: np.ndarray  # t/MWh
    demand_charge: float  # USD/MW/year
    scale: float  # hours modelled / 8,760
    w_cost: float
    w_co2: float  # objective weight per t CO2
    voll: float  # USD/MWh
    rate: float
    fleets: list[_Fleet]
    store: _Store | None
    pv: _PV | None
    source: str | None


def _store(cfg: Supply, cat: dict[str, SupplyEntry], rate: float) -> _Store | None:
    bat = cfg.battery
    if bat is None:
        return None
    e = cat[bat.model]
    fixed, lo, hi = _capacity(bat.power, bat.power_min, bat.power_max, "MW")
    duration = bat.energy.m_as("MWh") / fixed if bat.energy is not None and fixed else e.si("duration", "h")
    cap_e = _cost(bat.model, "capex_energy", "USD/MWh")
    # wear: the share of the cycle life one MWh uses, times the energy capital (Xu et al., "Factoring the cycle
    # aging cost of batteries participating in electricity markets", IEEE Trans. Power Syst. 33(2), 2018)
    wear = cap_e * e.si("degradation_per_cycle", "") / (1.0 - e.si("end_of_life_capacity", ""))
    capex_ann = ((_cost(bat.model, "capex_power", "USD/MW") + duration * cap_e)
                 * annuity(rate, _cost(bat.model, "lifetime", "year") or 15.0)
                 + _cost(bat.model, "fixed_om", "USD/MW/year"))
    return _Store(e, fixed, lo, hi, duration, e.si("round_trip_efficiency", ""), e.si("auxiliary_load", ""), wear,
                  capex_ann, bat.reserve)


def _pv(cfg: Supply, cat: dict[str, SupplyEntry], rate: float, hours: int, weather_path: Path | None,
        override: np.ndarray | None, source: str | None) -> _PV | None:
    sol = cfg.solar
    if sol is None:
        return None
    e = cat[sol.model]
    fixed, lo, hi = _capacity(sol.capacity, sol.capacity_min, sol.capacity_max, "MW")
    if override is not None:
        avail = np.asarray(override, dtype=float)[:hours]
    else:
        if weather_path is None:
            raise ScenarioError("solar needs the site's weather file", source=source, key="supply.solar")
        try:
            avail = solar_profile(weather_path, e)[:hours]
        except ValueError as exc:
            raise ScenarioError(str(exc), source=source, key="site.weather") from None
    if len(avail) != hours:
        raise ScenarioError(f"the solar year has {len(avail)} hours; the load has {hours}", source=source,
                            key="supply.solar")
    capex_ann = (_cost(sol.model, "capex", "USD/MW") * annuity(rate, _cost(sol.model, "lifetime", "year") or 30.0)
                 + _cost(sol.model, "fixed_om", "USD/MW/year"))
    return _PV(e, fixed, lo, hi, avail, capex_ann, _cost(sol.model, "variable_om", "USD/MWh"))


_ENERGY_SHORT = ("{}supply: no dispatch meets the load every hour with these capacities (every hour's peak is "
                 "covered, so energy runs short: battery energy, its reserve or minimum loads); expected more "
                 "capacity or energy, or allow_unserved = true to see the shortfall")


@contextlib.contextmanager
def _quiet():
    """No warnings and nothing on stdout (HiGHS prints its banner from C on file descriptor 1) while PyPSA runs."""
    import os
    import sys

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fd = sys.stdout.fileno()
        except (AttributeError, OSError, ValueError):  # no real stdout (captured): nothing to protect
            yield
            return
        sys.stdout.flush()
        saved = os.dup(fd)
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, fd)
            yield
        finally:
            sys.stdout.flush()
            os.dup2(saved, fd)
            os.close(saved)
            os.close(devnull)


def _network_and_solve(pr: _Problem) -> _Solution:
    """Build the PyPSA network (MW, MWh, USD) and solve it with HiGHS: the reference implementation of the LP that
    :func:`_highs_solve` builds directly (a test holds the two equal)."""
    import pandas as pd
    import pypsa

    cfg, fleets, st, pv, wc, w2 = pr.cfg, pr.fleets, pr.store, pr.pv, pr.w_cost, pr.w_co2
    if any(f.integer for f in fleets):
        raise ScenarioError("integer commitment is solved by the default backend (highs) only", source=pr.source,
                            key="supply.turbines.commitment")
    n = pypsa.Network()
    snapshots = pd.DatetimeIndex(pr.t_idx.astype("datetime64[ns]"))
    n.set_snapshots(snapshots)
    for carrier in ("AC", "grid", "gas", "battery", "solar", "unserved", "auxiliary"):
        n.add("Carrier", carrier)
    n.add("Bus", "campus", carrier="AC")
    n.add("Load", "campus", bus="campus", p_set=pd.Series(pr.load, index=snapshots))
    if cfg.grid:
        mc = pd.Series(wc * pr.price + w2 * pr.carbon, index=snapshots)
        if pr.demand_charge > 0:  # the peak import is a capacity bought at the annual demand charge
            n.add("Generator", "grid", bus="campus", carrier="grid", p_nom_extendable=True, p_nom_max=pr.grid_limit,
                  capital_cost=wc * pr.demand_charge * pr.scale, marginal_cost=mc)
        else:
            n.add("Generator", "grid", bus="campus", carrier="grid", p_nom=pr.grid_limit, marginal_cost=mc)
    for f in fleets:
        mc = wc * (f.b * f.fuel_price + f.vom) + w2 * f.b * f.co2
        kw: dict[str, Any] = ({"p_nom": f.fixed} if f.fixed is not None else
                              {"p_nom_extendable": True, "p_nom_min": f.lo, "p_nom_max": f.hi,
                               "capital_cost": wc * f.capex_ann * pr.scale})
        n.add("Generator", f"fleet:{f.name}", bus="campus", carrier="gas", p_max_pu=f.availability,
              marginal_cost=mc, **kw)
    if st:
        eta = math.sqrt(st.rte)
        kw = ({"p_nom": st.fixed} if st.fixed is not None else
              {"p_nom_extendable": True, "p_nom_min": st.lo, "p_nom_max": st.hi,
               "capital_cost": wc * st.capex_ann * pr.scale})
        n.add("StorageUnit", "battery", bus="campus", carrier="battery", max_hours=st.duration, efficiency_store=eta,
              efficiency_dispatch=eta, cyclic_state_of_charge=True, marginal_cost=wc * st.wear, **kw)
        if st.aux > 0:  # a constant load, proportional to the battery's power rating
            n.add("Generator", "battery-aux", bus="campus", carrier="auxiliary", sign=-1, p_min_pu=1.0, p_max_pu=1.0,
                  **({"p_nom": st.aux * st.fixed} if st.fixed is not None else {"p_nom_extendable": True}))
    if pv:
        kw = ({"p_nom": pv.fixed} if pv.fixed is not None else
              {"p_nom_extendable": True, "p_nom_min": pv.lo, "p_nom_max": pv.hi,
               "capital_cost": wc * pv.capex_ann * pr.scale})
        n.add("Generator", "solar", bus="campus", carrier="solar", p_max_pu=pd.Series(pv.avail, index=snapshots),
              marginal_cost=wc * pv.vom, **kw)
    if cfg.allow_unserved:
        n.add("Generator", "unserved", bus="campus", carrier="unserved", p_nom=float(pr.load.max()) + 1.0,
              marginal_cost=wc * pr.voll)

    def extra(net: Any, sns: Any) -> None:
        m = net.model
        p = m["Generator-p"]
        obj = 0
        for f in (f for f in fleets if f.committed):  # linear relaxation of unit commitment (module docstring)
            gen = f"fleet:{f.name}"
            pg = p.sel(name=gen)
            cap = f.fixed * f.availability if f.fixed is not None else None
            on = m.add_variables(lower=0, upper=cap if cap is not None else np.inf, coords=[sns],
                                 name=f"online:{f.name}")
            su = m.add_variables(lower=0, coords=[sns], name=f"start:{f.name}")
            if cap is None:
                m.add_constraints(on - f.availability * m["Generator-p_nom"].sel(name=gen) <= 0,
                                  name=f"online-cap:{f.name}")
            m.add_constraints(pg - on <= 0, name=f"online-max:{f.name}")
            m.add_constraints(pg - f.min_load * on >= 0, name=f"online-min:{f.name}")
            m.add_constraints(su - on + on.roll(snapshot=1) >= 0, name=f"start-up:{f.name}")  # cyclic
            obj = obj + (wc * f.a * f.fuel_price + w2 * f.a * f.co2) * on.sum() + wc * f.start_cost * su.sum()
        if st:
            if st.reserve > 0:
                soc = m["StorageUnit-state_of_charge"].sel(name="battery")
                e = (st.reserve * st.duration * st.fixed if st.fixed is not None
                     else st.reserve * st.duration * m["StorageUnit-p_nom"].sel(name="battery"))
                m.add_constraints(soc - e >= 0, name="battery-reserve")
            if st.aux > 0 and st.fixed is None:
                m.add_constraints(m["Generator-p_nom"].sel(name="battery-aux")
                                  - st.aux * m["StorageUnit-p_nom"].sel(name="battery") == 0, name="battery-aux")
        if any(f.committed for f in fleets):
            m.objective = m.objective.expression + obj

    t0 = time.perf_counter()
    status, condition = n.optimize(solver_name="highs", extra_functionality=extra, include_objective_constant=False,
                                   io_api="direct", progress=False,
                                   solver_options={"output_flag": False, "log_to_console": False})
    solve_s = time.perf_counter() - t0
    if status != "ok":
        if condition in ("infeasible", "infeasible_or_unbounded"):
            raise InfeasibleDesign(_ENERGY_SHORT.format(pr.source + ": " if pr.source else ""))
        raise RuntimeError(f"the supply optimisation ended with {status}: {condition}")  # pragma: no cover
    return _solution_of_network(n, pr, solve_s)


def _solution_of_network(n: Any, pr: _Problem, solve_s: float) -> _Solution:
    """The arrays of a solved PyPSA network."""
    hours = len(pr.load)
    gp = n.generators_t.p
    m = n.model

    def col(name: str) -> np.ndarray:
        return gp[name].to_numpy(dtype=float) if name in gp.columns else np.zeros(hours)

    def nom(name: str) -> float:
        return float(n.generators.at[name, "p_nom_opt"]) if name in n.generators.index else 0.0

    grid_nom = (nom("grid") if "grid" in n.generators.index and bool(n.generators.at["grid", "p_nom_extendable"])
                else None)
    fp, fon, fsu, fnom = [], [], [], []
    for f in pr.fleets:
        p = col(f"fleet:{f.name}")
        if f.committed:
            on = np.asarray(m.variables[f"online:{f.name}"].solution.values, dtype=float)
            su = np.asarray(m.variables[f"start:{f.name}"].solution.values, dtype=float)
        else:  # plain dispatch: the units online are those producing, no starts counted
            on, su = p.copy(), np.zeros(len(p))
        fp.append(p)
        fon.append(on)
        fsu.append(su)
        fnom.append(nom(f"fleet:{f.name}"))
    sol = _Solution(float(n.objective), solve_s, col("grid"), grid_nom, col("unserved"), fp, fon, fsu, fnom,
                    network=n)
    if pr.store:
        sol.bat_d = np.maximum(n.storage_units_t.p_dispatch["battery"].to_numpy(dtype=float), 0.0)
        sol.bat_c = np.maximum(n.storage_units_t.p_store["battery"].to_numpy(dtype=float), 0.0)
        sol.bat_soc = n.storage_units_t.state_of_charge["battery"].to_numpy(dtype=float)
        sol.bat_power = float(n.storage_units.at["battery", "p_nom_opt"])
    if pr.pv:
        sol.solar = col("solar")
        sol.solar_cap = nom("solar")
    return sol


@dataclass
class _Solution:
    """The solved supply as arrays (MW, MWh, per hour), whichever backend solved it."""

    objective: float
    solve_s: float
    grid: np.ndarray
    grid_nom: float | None  # peak import bought at the demand charge, MW (None: no demand charge)
    unserved: np.ndarray
    fleet_p: list[np.ndarray]
    fleet_on: list[np.ndarray]  # rated MW online (committed fleets; else = output)
    fleet_su: list[np.ndarray]  # MW started in the hour
    fleet_nom: list[float]  # dispatchable MW chosen
    bat_d: np.ndarray | None = None
    bat_c: np.ndarray | None = None
    bat_soc: np.ndarray | None = None
    bat_power: float = 0.0
    solar: np.ndarray | None = None
    solar_cap: float = 0.0
    network: Any = None
    mip_gap: float | None = None  # relative gap of a mixed-integer solve (integer commitment)


class _LP:
    """A linear programme assembled block by block: columns with bounds and costs, rows as sums of
    ``coefficient x column`` over aligned index arrays (one row per hour)."""

    def __init__(self) -> None:
        self.lo: list[np.ndarray] = []
        self.hi: list[np.ndarray] = []
        self.cost: list[np.ndarray] = []
        self.ncol = 0
        self.rlo: list[np.ndarray] = []
        self.rhi: list[np.ndarray] = []
        self.r: list[np.ndarray] = []
        self.c: list[np.ndarray] = []
        self.v: list[np.ndarray] = []
        self.nrow = 0
        self.integer: list[np.ndarray] = []
        self.mip_gap: float | None = None

    def var(self, size: int, lo: Any = 0.0, hi: Any = math.inf, cost: Any = 0.0, integer: bool = False
            ) -> np.ndarray:
        idx = np.arange(self.ncol, self.ncol + size)
        if integer:
            self.integer.append(idx)
        for lst, val in ((self.lo, lo), (self.hi, hi), (self.cost, cost)):
            lst.append(np.broadcast_to(np.asarray(val, dtype=float), (size,)).copy())
        self.ncol += size
        return idx

    def rows(self, terms: list[tuple[Any, Any]], lo: Any = -math.inf, hi: Any = math.inf, size: int | None = None
             ) -> None:
        """Rows ``lo <= sum(coef * x[col]) <= hi``; each term (columns, coefficients), columns an index array of
        the rows' length or one column index (the same column in every row)."""
        m = size if size is not None else max(np.size(cols) for cols, _ in terms)
        rid = np.arange(self.nrow, self.nrow + m)
        for cols, coef in terms:
            self.r.append(rid)
            self.c.append(np.broadcast_to(np.asarray(cols), (m,)))
            self.v.append(np.broadcast_to(np.asarray(coef, dtype=float), (m,)))
        self.rlo.append(np.broadcast_to(np.asarray(lo, dtype=float), (m,)).copy())
        self.rhi.append(np.broadcast_to(np.asarray(hi, dtype=float), (m,)).copy())
        self.nrow += m

    def solve(self) -> tuple[str, np.ndarray, float]:
        """HiGHS (dual simplex, default options) on the assembled LP: (model status, column values, objective)."""
        import highspy
        from scipy.sparse import csc_matrix

        inf = highspy.kHighsInf
        a = csc_matrix((np.concatenate(self.v), (np.concatenate(self.r), np.concatenate(self.c))),
                       shape=(self.nrow, self.ncol))
        a.sum_duplicates()
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = self.ncol, self.nrow
        lp.col_cost_ = np.concatenate(self.cost)
        lp.col_lower_ = np.concatenate(self.lo)
        lp.col_upper_ = np.nan_to_num(np.concatenate(self.hi), posinf=inf)
        lp.row_lower_ = np.nan_to_num(np.concatenate(self.rlo), neginf=-inf)
        lp.row_upper_ = np.nan_to_num(np.concatenate(self.rhi), posinf=inf)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = a.indptr
        lp.a_matrix_.index_ = a.indices
        lp.a_matrix_.value_ = a.data
        if self.integer:
            kinds = [highspy.HighsVarType.kContinuous] * self.ncol
            for i in np.concatenate(self.integer).tolist():
                kinds[i] = highspy.HighsVarType.kInteger
            lp.integrality_ = kinds
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        if self.integer:
            h.setOptionValue("mip_rel_gap", MIP_GAP)
            h.setOptionValue("time_limit", MIP_TIME_LIMIT_S)
        h.passModel(lp)
        h.run()
        status = h.modelStatusToString(h.getModelStatus())
        if self.integer:
            info = h.getInfo()
            if status == "Time limit reached" and info.primal_solution_status == 2:  # a feasible incumbent
                status = "Optimal"
            self.mip_gap = float(info.mip_gap)
        x = np.asarray(h.getSolution().col_value, dtype=float)
        return status, x, float(h.getInfo().objective_function_value)


def _highs_solve(pr: _Problem, weight: np.ndarray | None = None, period: int | None = None) -> _Solution:
    r"""The supply LP built directly on sparse arrays and solved by HiGHS (``highspy``): the same model as
    :func:`_network_and_solve` (PyPSA's single bus, generators, storage unit and the commitment relaxation of the
    module docstring), column by column; hours ``t`` with cyclic wrap ``t-1`` of the first hour = the last.

    Columns: grid import :math:`g_t` (and its bought peak :math:`G` with a demand charge); per fleet output
    :math:`p_t`, online capacity :math:`o_t`, start-ups :math:`s_t` (and its capacity :math:`P` when free);
    battery discharge :math:`d_t`, charge :math:`c_t`, state of charge :math:`e_t` (and power :math:`B`); solar
    used :math:`y_t` (and capacity :math:`S`); unserved :math:`u_t`. Rows: the bus balance every hour;
    :math:`p_t \le o_t`, :math:`p_t \ge p_{min} o_t`, :math:`s_t \ge o_t - o_{t-1}`, :math:`o_t \le A P`;
    :math:`e_t = e_{t-1} + \eta c_t - d_t / \eta`, :math:`d_t, c_t \le B`, :math:`\rho h B \le e_t \le h B`;
    :math:`y_t \le a_t S`; :math:`g_t \le G`. Fixed capacities are column bounds, not rows.

    ``weight`` (hours each modelled hour stands for, default 1) and ``period`` (hours of each cyclic period,
    default the whole horizon) serve the representative days of :func:`_representative_days`: hourly costs are
    weighted, state of charge and online capacity wrap around within each period."""
    T = len(pr.load)
    wc, w2, scale = pr.w_cost, pr.w_co2, pr.scale
    lp = _LP()
    rhs = pr.load.copy()
    supply_terms: list[tuple[Any, Any]] = []
    wt = np.ones(T) if weight is None else np.asarray(weight, dtype=float)
    per = T if period is None else period
    hour = np.arange(T)
    start = hour // per * per
    prev = start + (hour - start - 1) % per  # index of hour t-1, cyclic within its period

    g = grid_cap = None
    if pr.cfg.grid:
        g = lp.var(T, 0.0, pr.grid_limit, wt * (wc * pr.price + w2 * pr.carbon))
        supply_terms.append((g, 1.0))
        if pr.demand_charge > 0:
            grid_cap = lp.var(1, 0.0, pr.grid_limit, wc * pr.demand_charge * scale)
            lp.rows([(g, 1.0), (grid_cap[0], -1.0)], hi=0.0)
    fleet_cols = []
    for f in pr.fleets:
        cap = None if f.fixed is None else f.availability * f.fixed
        p = lp.var(T, 0.0, math.inf if cap is None else cap,
                   wt * (wc * (f.b * f.fuel_price + f.vom) + w2 * f.b * f.co2))
        supply_terms.append((p, 1.0))
        nom = None if f.fixed is not None else lp.var(1, f.lo, f.hi, wc * f.capex_ann * scale)
        on = su = None
        k = 1.0  # MW per unit of the online and start-up columns (integer: whole units)
        if f.committed:
            if f.integer:
                k = f.rating
                on = lp.var(T, 0.0, round(f.fixed / f.rating), wt * (wc * f.a * f.fuel_price + w2 * f.a * f.co2) * k,
                            integer=True)
            else:
                on = lp.var(T, 0.0, math.inf if cap is None else cap,
                            wt * (wc * f.a * f.fuel_price + w2 * f.a * f.co2))
            su = lp.var(T, 0.0, math.inf, wt * wc * f.start_cost * k)
            lp.rows([(p, 1.0), (on, -k)], hi=0.0)
            if f.min_load > 0:
                lp.rows([(p, 1.0), (on, -f.min_load * k)], lo=0.0)
            lp.rows([(su, 1.0), (on, -1.0), (on[prev], 1.0)], lo=0.0)
        if nom is not None:
            lp.rows([(on if on is not None else p, 1.0), (nom[0], -f.availability)], hi=0.0)
        fleet_cols.append((p, on, su, nom, k))
    st = pr.store
    d = c = soc = bpow = None
    if st:
        eta = math.sqrt(st.rte)
        if st.fixed is not None:
            d = lp.var(T, 0.0, st.fixed, wt * wc * st.wear)
            c = lp.var(T, 0.0, st.fixed)
            soc = lp.var(T, st.reserve * st.duration * st.fixed, st.duration * st.fixed)
            rhs = rhs + st.aux * st.fixed
        else:
            d = lp.var(T, 0.0, math.inf, wt * wc * st.wear)
            c = lp.var(T, 0.0, math.inf)
            soc = lp.var(T)
            bpow = lp.var(1, st.lo, st.hi, wc * st.capex_ann * scale)
            b = bpow[0]
            lp.rows([(d, 1.0), (b, -1.0)], hi=0.0)
            lp.rows([(c, 1.0), (b, -1.0)], hi=0.0)
            lp.rows([(soc, 1.0), (b, -st.duration)], hi=0.0)
            if st.reserve > 0:
                lp.rows([(soc, 1.0), (b, -st.reserve * st.duration)], lo=0.0)
            if st.aux > 0:
                supply_terms.append((b, -st.aux))
        lp.rows([(soc, 1.0), (soc[prev], -1.0), (c, -eta), (d, 1.0 / eta)], lo=0.0, hi=0.0)
        supply_terms += [(d, 1.0), (c, -1.0)]
    pv = pr.pv
    y = scap = None
    if pv:
        if pv.fixed is not None:
            y = lp.var(T, 0.0, pv.avail * pv.fixed, wt * wc * pv.vom)
        else:
            y = lp.var(T, 0.0, np.where(pv.avail > 0, math.inf, 0.0), wt * wc * pv.vom)
            scap = lp.var(1, pv.lo, pv.hi, wc * pv.capex_ann * scale)
            sun = np.flatnonzero(pv.avail > 0)
            if len(sun):
                lp.rows([(y[sun], 1.0), (scap[0], -pv.avail[sun])], hi=0.0)
        supply_terms.append((y, 1.0))
    u = None
    if pr.cfg.allow_unserved:
        u = lp.var(T, 0.0, float(pr.load.max()) + 1.0, wt * wc * pr.voll)
        supply_terms.append((u, 1.0))
    lp.rows(supply_terms, lo=rhs, hi=rhs, size=T)

    t0 = time.perf_counter()
    with _quiet():  # HiGHS prints its banner on stdout from C
        status, x, obj = lp.solve()
    solve_s = time.perf_counter() - t0
    if status != "Optimal":
        if "nfeasible" in status:
            raise InfeasibleDesign(_ENERGY_SHORT.format(pr.source + ": " if pr.source else ""))
        raise ScenarioError(f"the supply optimisation ended with HiGHS status {status!r}, not an optimum: its "
                            "capacities, prices or bounds span more orders of magnitude than the solver resolves; "
                            "expected capacities, energies and prices within a few orders of the load's",
                            source=pr.source, key="supply")
    zeros = np.zeros(T)
    fp, fon, fsu, fnom = [], [], [], []
    for f, (p, on, su, nom, k) in zip(pr.fleets, fleet_cols, strict=True):
        fp.append(x[p])
        fon.append(x[on] * k if on is not None else x[p].copy())
        fsu.append(x[su] * k if su is not None else zeros.copy())
        fnom.append(f.fixed if nom is None else float(x[nom[0]]))
    sol = _Solution(obj, solve_s, x[g] if g is not None else zeros.copy(),
                    float(x[grid_cap[0]]) if grid_cap is not None else None,
                    x[u] if u is not None else zeros.copy(), fp, fon, fsu, fnom)
    sol.mip_gap = lp.mip_gap
    if st:
        sol.bat_d, sol.bat_c, sol.bat_soc = x[d], x[c], x[soc]
        sol.bat_power = st.fixed if bpow is None else float(x[bpow[0]])
    if pv:
        sol.solar = x[y]
        sol.solar_cap = pv.fixed if scap is None else float(x[scap[0]])
    return sol



#: Kotzur, Markewitz, Robinius & Stolten, "Impact of different time series aggregation methods on optimal energy
#: system design", Renewable Energy 117, 2018 (the method of the ``tsam`` package): typical days by hierarchical
#: (Ward) clustering of the days' normalised profiles, each cluster represented by its medoid, plus the extreme
#: days kept as their own periods.
REPRESENTATIVE_DAYS_SOURCE = ("Kotzur et al., Renewable Energy 117 (2018) 474-487: hierarchical clustering, cluster "
                              "means, extreme periods added")


def _representative_days(pr: _Problem, days: int) -> list[np.ndarray]:
    """Typical days of the horizon for the capacity choice: the groups of days (day numbers), each to be
    represented by its mean day weighted by its size.

    Each day is the vector of its 24 hourly values of load, grid price, grid carbon and (with solar) solar
    availability, each normalised to [0, 1] over the horizon; Ward's hierarchical clustering groups the days into
    ``days`` clusters (Kotzur et al. 2018, :data:`REPRESENTATIVE_DAYS_SOURCE`; the cluster mean, not the medoid,
    so that the year's energy of load and sun is kept). The day of the peak load and, with solar, the day of least
    sun are kept as groups of one (extreme periods), so the capacities chosen cover the peak."""
    from scipy.cluster.hierarchy import fcluster, linkage

    n = len(pr.load) // 24
    feats = [pr.load, pr.price, pr.carbon] + ([pr.pv.avail] if pr.pv else [])
    x = np.hstack([(f[:n * 24].reshape(n, 24) - f.min()) / (float(np.ptp(f)) or 1.0) for f in feats])
    extremes = [int(np.argmax(pr.load[:n * 24]) // 24)]
    if pr.pv:
        dark = int(np.argmin(pr.pv.avail[:n * 24].reshape(n, 24).sum(axis=1)))
        if dark not in extremes:
            extremes.append(dark)
    rest = np.array([d for d in range(n) if d not in extremes])
    labels = fcluster(linkage(x[rest], "ward"), min(days, len(rest)), "maxclust")
    return [np.array([d]) for d in extremes] + [rest[labels == label] for label in np.unique(labels)]


def _free(pr: _Problem) -> bool:
    return (any(f.fixed is None for f in pr.fleets) or (pr.store is not None and pr.store.fixed is None)
            or (pr.pv is not None and pr.pv.fixed is None))


def _two_stage(pr: _Problem, days: int) -> tuple[_Solution, dict[str, Any]] | None:
    """Capacities chosen on representative days (:func:`_representative_days`), then the full horizon dispatched
    at those capacities (fixed). The objective returned is the full-horizon dispatch's plus the annualised capital
    of the chosen capacities, so it is comparable with the single-stage optimum (which it can only exceed). None
    when the chosen capacities cannot serve the full horizon (the caller then solves the full horizon at once)."""
    from dataclasses import replace

    t0 = time.perf_counter()
    groups = _representative_days(pr, days)

    def mean_days(series: np.ndarray) -> np.ndarray:
        return np.concatenate([series[:len(series) // 24 * 24].reshape(-1, 24)[g].mean(axis=0) for g in groups])

    weight = np.repeat([float(len(g)) for g in groups], 24)
    sub = replace(pr, load=mean_days(pr.load), t_idx=pr.t_idx[:len(weight)], price=mean_days(pr.price),
                  carbon=mean_days(pr.carbon), pv=replace(pr.pv, avail=mean_days(pr.pv.avail)) if pr.pv else None)
    first = _highs_solve(sub, weight=weight, period=24)
    capital = 0.0
    fleets = []
    for f, nom in zip(pr.fleets, first.fleet_nom, strict=True):
        if f.fixed is None:
            capital += pr.w_cost * f.capex_ann * pr.scale * nom
            f = replace(f, fixed=nom, lo=nom, hi=nom)
        fleets.append(f)
    store, pv = pr.store, pr.pv
    if store is not None and store.fixed is None:
        capital += pr.w_cost * store.capex_ann * pr.scale * first.bat_power
        store = replace(store, fixed=first.bat_power, lo=first.bat_power, hi=first.bat_power)
    if pv is not None and pv.fixed is None:
        capital += pr.w_cost * pv.capex_ann * pr.scale * first.solar_cap
        pv = replace(pv, fixed=first.solar_cap, lo=first.solar_cap, hi=first.solar_cap)
    fixed = replace(pr, fleets=fleets, store=store, pv=pv)
    try:
        _check_feasible(pr.load, pr.t_idx, pr.grid_limit, fleets, store.hi if store else 0.0,
                        (pv.hi, pv.avail) if pv else None, pr.cfg, pr.source)
        sol = _highs_solve(fixed)
    except InfeasibleDesign:
        return None
    sol.objective += capital
    info = {"method": "representative-days", "representative_days": len(groups),
            "days_clustered": days, "first_stage_objective": round(first.objective, 2),
            "first_stage_solve_time_s": round(first.solve_s, 3), "source": REPRESENTATIVE_DAYS_SOURCE}
    sol.solve_s = time.perf_counter() - t0
    return sol, info


def _results(sol: _Solution, pr: _Problem, total_s: float, keep: bool) -> SupplyResult:
    """Hourly Dataset and summary from the solution; every cost recomputed from the dispatch."""
    import xarray as xr

    cfg, fleets, load, t_idx, scale = pr.cfg, pr.fleets, pr.load, pr.t_idx, pr.scale
    price, carbon, voll, w_cost, w_co2 = pr.price, pr.carbon, pr.voll, pr.w_cost, pr.w_co2

    hours = len(load)
    solve_s = sol.solve_s
    grid = sol.grid
    unserved = sol.unserved
    data: dict[str, tuple] = {"load": (("time",), load, "MW", "campus facility power (the load)"),
                              "grid_import": (("time",), grid, "MW", "import from the grid")}
    cost = {"grid_energy_usd": float(price @ grid), "demand_charge_usd": 0.0, "fuel_usd": 0.0, "start_usd": 0.0,
            "variable_om_usd": 0.0, "battery_wear_usd": 0.0, "unserved_usd": float(voll * unserved.sum()),
            "capital_and_fixed_om_usd": 0.0}
    chosen = 0.0  # annualised capital of capacities the optimiser chose (the rest is a constant of the objective)
    co2 = float(carbon @ grid)
    nox = 0.0
    grid_peak = float(grid.max()) if hours else 0.0
    if sol.grid_nom is not None:
        cost["demand_charge_usd"] = pr.demand_charge * scale * sol.grid_nom
        chosen += cost["demand_charge_usd"]
    turb_out, turb_on, turb_starts, fuel_all = [], [], [], []
    fleet_docs = []
    for i, f in enumerate(fleets):
        p, on, su = sol.fleet_p[i], sol.fleet_on[i], sol.fleet_su[i]
        fuel = f.a * on + f.b * p  # MWh_th per hour
        turb_out.append(p)
        turb_on.append(on)
        turb_starts.append(su / f.rating)
        fuel_all.append(fuel)
        f_cost = float(fuel.sum() * f.fuel_price)
        cost["fuel_usd"] += f_cost
        cost["start_usd"] += float(f.start_cost * su.sum())
        cost["variable_om_usd"] += float(f.vom * p.sum())
        dispatchable = sol.fleet_nom[i]
        units = math.ceil(dispatchable / f.rating - 1e-6) + f.spare
        cap_cost = f.capex_ann * scale * (dispatchable + f.spare * f.rating)
        cost["capital_and_fixed_om_usd"] += cap_cost
        if f.fixed is None:
            chosen += f.capex_ann * scale * dispatchable
        co2 += float(fuel.sum() * f.co2)
        nox += float(fuel.sum() * f.nox)
        fleet_docs.append({"name": f.name, "model": f.entry.name, "kind": f.entry.kind, "units": units,
                           "commitment": "integer" if f.integer else "linear" if f.committed else "none",
                           "unit_rating_mw": f.rating, "capacity_mw": round(units * f.rating, 6),
                           "dispatchable_mw": round(dispatchable, 6) + 0.0, "redundancy": "N+1" if f.spare else "N",
                           "energy_mwh": round(float(p.sum()), 6), "fuel_mmbtu": round(float(fuel.sum())
                                                                                      / _MWH_TH_PER_MMBTU, 3),
                           "starts": round(float(su.sum() / f.rating), 3),
                           "co2_t": round(float(fuel.sum() * f.co2), 3), "nox_t": round(float(fuel.sum() * f.nox), 4),
                           "capacity_factor": round(float(p.sum()) / (units * f.rating * hours), 6)
                           if units else 0.0})
    names = [f.name for f in fleets]
    if fleets:
        data["turbine_output"] = (("time", "fleet"), np.stack(turb_out, axis=1), "MW", "output of each fleet")
        data["turbine_online"] = (("time", "fleet"), np.stack(turb_on, axis=1), "MW",
                                  "rated power of the units online (linear relaxation of unit commitment)")
        data["turbine_starts"] = (("time", "fleet"), np.stack(turb_starts, axis=1), "1", "unit starts in the hour")
        data["turbine_fuel"] = (("time", "fleet"), np.stack(fuel_all, axis=1), "MW", "fuel heat input (HHV)")
    bat_doc: dict[str, Any] | None = None
    charge = discharge = aux_p = np.zeros(hours)
    if pr.store:
        st = pr.store
        discharge, charge, soc, power = sol.bat_d, sol.bat_c, sol.bat_soc, sol.bat_power
        aux_p = np.full(hours, st.aux * power)
        data["battery_discharge"] = (("time",), discharge, "MW", "battery discharge")
        data["battery_charge"] = (("time",), charge, "MW", "battery charge")
        data["battery_soc"] = (("time",), soc, "MWh", "battery state of charge (end of hour)")
        data["battery_auxiliary"] = (("time",), aux_p, "MW", "battery auxiliary load")
        cost["battery_wear_usd"] = float(st.wear * discharge.sum())
        cost["capital_and_fixed_om_usd"] += st.capex_ann * scale * power
        if st.fixed is None:
            chosen += st.capex_ann * scale * power
        duration = st.duration
        bat_doc = {"model": st.entry.name, "power_mw": round(power, 6) + 0.0, "energy_mwh": round(power * duration, 6) + 0.0,
                   "duration_h": round(duration, 6), "round_trip_efficiency": st.rte,
                   "reserve": cfg.battery.reserve, "charged_mwh": round(float(charge.sum()), 6),
                   "discharged_mwh": round(float(discharge.sum()), 6),
                   "full_cycles": round(float(discharge.sum()) / (power * duration), 3) if power > 0 else 0.0,
                   "auxiliary_mwh": round(float(aux_p.sum()), 6)}
    sol_doc: dict[str, Any] | None = None
    solar_out = solar_avail = np.zeros(hours)
    if pr.pv:
        pv = pr.pv
        cap = sol.solar_cap
        solar_out = sol.solar
        solar_avail = pv.avail * cap
        data["solar_output"] = (("time",), solar_out, "MW", "solar output used")
        data["solar_available"] = (("time",), solar_avail, "MW", "solar output available (pvlib ModelChain)")
        data["solar_curtailed"] = (("time",), solar_avail - solar_out, "MW", "solar curtailed")
        cost["capital_and_fixed_om_usd"] += pv.capex_ann * scale * cap
        if pv.fixed is None:
            chosen += pv.capex_ann * scale * cap
        cost["variable_om_usd"] += float(pv.vom * solar_out.sum())
        sol_doc = {"model": pv.entry.name, "capacity_mw": round(cap, 6) + 0.0,
                   "dc_capacity_mw": round(cap * pv.entry.si("dc_ac_ratio", ""), 6) + 0.0,
                   "land_ha": round(cap * pv.entry.si("land", "ha/MW"), 3),
                   "energy_mwh": round(float(solar_out.sum()), 6),
                   "curtailed_mwh": round(float((solar_avail - solar_out).sum()), 6),
                   "capacity_factor": round(float(solar_avail.sum()) / (cap * hours), 6) if cap > 0 else 0.0}
    if cfg.allow_unserved:
        data["unserved"] = (("time",), unserved, "MW", "load not served")
    ds = xr.Dataset({k: xr.Variable(dims, v, attrs={"units": u, "description": d}) for k, (dims, v, u, d) in
                     data.items()}, coords={"time": t_idx.astype("datetime64[ns]"), **({"fleet": names} if names
                                                                                      else {})})
    total = float(sum(cost.values()))
    energy = float(load.sum())
    variable = total - cost["capital_and_fixed_om_usd"] - cost["demand_charge_usd"]
    recomputed = w_cost * (variable + chosen) + w_co2 * co2
    summary = {
        "hours": hours,
        "objective": cfg.objective,
        "load_mwh": round(energy, 6),
        "load_peak_mw": round(float(load.max()), 6),
        "grid_import_limit_mw": round(float(cfg.grid.import_limit.m_as("MW")), 6) if cfg.grid else 0.0,
        "grid_peak_mw": round(max(grid_peak, 0.0), 6),
        "energy_mwh": {"grid": round(float(grid.sum()), 6) + 0.0,
                       "turbines": round(float(sum(x.sum() for x in turb_out)), 6),
                       "solar": round(float(solar_out.sum()), 6),
                       "battery_discharge": round(float(discharge.sum()), 6),
                       "battery_charge": round(float(charge.sum()), 6),
                       "battery_auxiliary": round(float(aux_p.sum()), 6),
                       "solar_curtailed": round(float((solar_avail - solar_out).sum()), 6),
                       "unserved": round(float(unserved.sum()), 6)},
        "turbines": fleet_docs,
        "battery": bat_doc,
        "solar": sol_doc,
        "starts": round(float(sum(x.sum() for x in turb_starts)), 3),
        "co2_t": round(co2, 3),
        "co2_kg_per_mwh": round(1e3 * co2 / energy, 3) if energy > 0 else 0.0,
        "nox_t": round(nox, 4),
        "unserved_mwh": round(float(unserved.sum()), 6),
        "cost_usd": {k: round(v, 2) for k, v in cost.items()},
        "total_cost_usd": round(total, 2),
        "lcoe_usd_per_mwh": round(total / energy, 4) if energy > 0 else 0.0,
        "annualised_over_hours": round(scale, 6),
        "discount_rate": pr.rate,
        "solve_time_s": round(solve_s, 3),
        "total_time_s": round(total_s, 3),
    }
    for k, v in list(summary["energy_mwh"].items()):
        summary["energy_mwh"][k] = 0.0 if abs(v) < 5e-7 else v
    ds.attrs.update({"objective": cfg.objective, "lcoe_usd_per_mwh": summary["lcoe_usd_per_mwh"],
                     "co2_t": summary["co2_t"]})
    return SupplyResult(ds, summary, sol.objective, recomputed, sol.network if keep else None)


def supply_for(result: Any, supply: Supply | None = None, **kwargs: Any) -> SupplyResult:
    """The supply of a campus run through its year: ``facility.run(scenario)`` -> its hourly facility power as
    the load, the scenario's ``[supply]`` (or ``supply``) and weather file."""
    scenario = result.scenario
    cfg = supply if supply is not None else getattr(scenario, "supply", None)
    if cfg is None:
        raise ScenarioError("the scenario has no [supply] section; expected one (grid, turbines, battery, solar: see "
                            "README 'Where the power comes from')", source=scenario.source, key="supply")
    if result.hourly is None:
        raise ScenarioError("the campus was run without its year; expected facility.run(scenario, year=True)",
                            source=scenario.source, key="supply")
    load = np.asarray(result.hourly["facility_power"].values, dtype=float)
    src = Path(scenario.source)
    base = src.resolve().parent if src.is_file() else None
    return solve(cfg, load, weather_path=scenario.weather_path, time_index=result.hourly["time"].values, base=base,
                 source=scenario.source, **kwargs)


def supply_table(doc: dict[str, Any]) -> str:
    """A short text report of a supply result (the JSON of :meth:`SupplyResult.to_json`)."""
    e = doc["energy_mwh"]
    lines = [f"{doc.get('scenario', 'supply')}: {doc['hours']:,} h, objective {doc['objective']}",
             f"load {doc['load_mwh']:,.0f} MWh, peak {doc['load_peak_mw']:,.1f} MW",
             f"grid: limit {doc['grid_import_limit_mw']:,.1f} MW, peak import {doc['grid_peak_mw']:,.1f} MW, "
             f"{e['grid']:,.0f} MWh"]
    for t in doc["turbines"]:
        lines.append(f"{t['name']}: {t['units']} x {t['unit_rating_mw']:g} MW ({t['redundancy']}), {t['energy_mwh']:,.0f} "
                     f"MWh, {t['starts']:,.1f} starts, CO2 {t['co2_t']:,.0f} t, NOx {t['nox_t']:,.1f} t")
    if doc["battery"]:
        b = doc["battery"]
        lines.append(f"battery: {b['power_mw']:,.1f} MW / {b['energy_mwh']:,.1f} MWh, {b['discharged_mwh']:,.0f} MWh "
                     f"discharged, {b['full_cycles']:,.1f} full cycles")
    if doc["solar"]:
        s = doc["solar"]
        lines.append(f"solar: {s['capacity_mw']:,.1f} MWac ({s['dc_capacity_mw']:,.1f} MWdc, {s['land_ha']:,.0f} ha), "
                     f"{s['energy_mwh']:,.0f} MWh used, {s['curtailed_mwh']:,.0f} MWh curtailed, "
                     f"capacity factor {s['capacity_factor']:.1%}")
    lines += [f"unserved {doc['unserved_mwh']:,.1f} MWh; CO2 {doc['co2_t']:,.0f} t ({doc['co2_kg_per_mwh']:,.0f} kg/MWh); "
              f"NOx {doc['nox_t']:,.1f} t; starts {doc['starts']:,.1f}",
              f"cost {doc['total_cost_usd']:,.0f} USD ("
              + ", ".join(f"{k.removesuffix('_usd')} {v:,.0f}" for k, v in doc["cost_usd"].items() if v)
              + f"); LCOE {doc['lcoe_usd_per_mwh']:,.2f} USD/MWh",
              f"solved in {doc['solve_time_s']:.2f} s (HiGHS"
              + (f"; capacities chosen on {doc['sizing']['representative_days']} representative days, then the "
                 "year dispatched at them" if doc.get("sizing", {}).get("method") == "representative-days" else "")
              + ")"]
    return "\n".join(lines)


#: Figures of a supply sweep: name -> (unit, description); from the summary of each point.
SWEEP_KPIS: dict[str, tuple[str, str]] = {
    "lcoe_usd_per_mwh": ("USD/MWh", "all costs of the hours over the energy served"),
    "total_cost_usd": ("USD", "annualised capital, fixed O&M, fuel, grid energy and demand, starts, wear, unserved"),
    "co2_t": ("t", "CO2 of grid imports and fuel burned"),
    "nox_t": ("t", "NOx of fuel burned"),
    "starts": ("1", "unit starts (unit-equivalents)"),
    "unserved_mwh": ("MWh", "load not served"),
    "grid_peak_mw": ("MW", "peak grid import"),
    "turbine_units": ("1", "turbines and engines installed, all fleets"),
    "battery_power_mw": ("MW", "battery power rating"),
    "solar_capacity_mw": ("MW", "solar AC capacity"),
}


def _plain_message(msg: str) -> str:
    """A validator's message for a person: without pydantic's "Value error, " and the "@key@" locator that the
    scenario's error reporting reads."""
    import re

    return re.sub(r"^@[^@]*@", "", str(msg).removeprefix("Value error, "))


def _set_path(data: dict[str, Any], key: str, value: Any) -> None:
    import re

    parts: list[str | int] = []
    for name, index in re.findall(r"([A-Za-z_]\w*)|\[(\d+)\]", key):
        parts.append(name if name else int(index))
    if not parts or not isinstance(parts[0], str):
        raise ScenarioError(f"cannot read the key {key!r}; expected e.g. grid.import_limit or turbines[0].count",
                            key="--vary")
    node: Any = data
    for i, part in enumerate(parts[:-1]):
        nxt = node.get(part) if isinstance(node, dict) else (node[part] if isinstance(part, int) and
                                                             part < len(node) else None)
        if nxt is None:
            if isinstance(node, list):  # an index past the list's end
                raise ScenarioError(f"{key!r}: the scenario's supply has {len(node)} item(s) in "
                                    f"{'.'.join(map(str, parts[:i]))}; expected an index from 0 to {len(node) - 1}",
                                    key=f"supply.{key}")
            if isinstance(parts[i + 1], int):
                raise ScenarioError(f"{key!r}: the scenario's supply has no {'.'.join(map(str, parts[:i + 2]))}",
                                    key=f"supply.{key}")
            nxt = {}
            node[part] = nxt
        node = nxt
    if isinstance(node, list):
        raise ScenarioError(f"{key!r} names a list; expected an item of it such as turbines[0].count",
                            key=f"supply.{key}")
    node[parts[-1]] = value


def sweep_supply(result: Any, variations: Mapping[str, list[Any]]) -> Any:
    """Every combination of values of supply keys (``grid.import_limit``, ``battery.power``,
    ``turbines[0].count``, ``solar.capacity``, ``objective``, ...; with or without the ``supply.`` prefix) solved
    on the campus's year (run once). Returns an ``xarray.Dataset`` with one dimension per key and the figures of
    :data:`SWEEP_KPIS` plus ``feasible`` (an infeasible point is NaN; the others run on)."""
    import copy
    import itertools

    import xarray as xr

    scenario = result.scenario
    if scenario.supply is None:
        raise ScenarioError("the scenario has no [supply] section to vary", source=scenario.source, key="supply")
    keys = [k.removeprefix("supply.") for k in variations]
    values = [list(v) for v in variations.values()]
    if not keys or any(not v for v in values):
        raise ScenarioError("nothing to vary; expected KEY=VALUES with at least one value", key="--vary")
    base = scenario.supply.model_dump()
    shape = tuple(len(v) for v in values)
    out = {k: np.full(shape, np.nan) for k in SWEEP_KPIS}
    feasible = np.zeros(shape, dtype=bool)
    for idx in itertools.product(*(range(n) for n in shape)):
        data = copy.deepcopy(base)
        for key, vals, i in zip(keys, values, idx, strict=True):
            _set_path(data, key, vals[i])
        try:
            cfg = Supply(**data)
        except Exception as exc:  # pydantic's ValidationError: name the key, the value and what is wrong
            what = "; ".join(f"{'.'.join(map(str, e['loc']))}: {_plain_message(e['msg'])}" for e in exc.errors()) \
                if hasattr(exc, "errors") else str(exc)
            point = ", ".join(f"{k}={vals[i]!r}" for k, vals, i in zip(keys, values, idx, strict=True))
            raise ScenarioError(" ".join(f"{point}: {what}".split()), source=scenario.source, key="--vary") from None
        try:
            s = supply_for(result, cfg).summary
        except InfeasibleDesign:
            continue
        feasible[idx] = True
        figs = {**{k: s[k] for k in ("lcoe_usd_per_mwh", "total_cost_usd", "co2_t", "nox_t", "starts",
                                     "unserved_mwh", "grid_peak_mw")},
                "turbine_units": sum(t["units"] for t in s["turbines"]),
                "battery_power_mw": (s["battery"] or {}).get("power_mw", 0.0),
                "solar_capacity_mw": (s["solar"] or {}).get("capacity_mw", 0.0)}
        for k, v in figs.items():
            out[k][idx] = v
    coords = {k: [str(v) for v in vals] for k, vals in zip(keys, values, strict=True)}
    ds = xr.Dataset({k: (keys, v, {"units": SWEEP_KPIS[k][0], "description": SWEEP_KPIS[k][1]})
                     for k, v in out.items()}, coords=coords)
    ds["feasible"] = (keys, feasible)
    return ds
