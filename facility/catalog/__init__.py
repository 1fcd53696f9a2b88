"""The hardware catalog: accelerators, modules, nodes, racks, pods and overhead IT, every number with its source.

The catalog is data (``*.toml`` beside this file): each entry has a ``kind`` and fields whose values are
inline tables ``{ value = "700 W", source = "..." }``. Entries compose: a rack ``contains`` ``count`` nodes,
a node ``count`` accelerators (or modules), and power is given or derived from the contents
(``count x contents + extra``). A scenario may override any field of any entry, or add entries, in its
``[catalog.<name>]`` tables.

>>> from facility.catalog import load_catalog
>>> cat = load_catalog()
>>> cat.accelerators_per("h100-lc-64")
64
>>> cat.power_max("h100-lc-64").to("kW")
<Quantity(81.6, 'kilowatt')>
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pint

from facility.bounds import CATALOG as CATALOG_BOUNDS
from facility.bounds import Bound, check_number, check_quantity, is_number
from facility.errors import ScenarioError, did_you_mean, shorten
from facility.units import UnitParseError, parse_delta_t, parse_quantity, parse_temperature
from models.electrical.conductor import MATERIALS
from models.electrical.converter import fit_loss_coefficients
from models.registry import HEAT_REJECTION, STAGES

__all__ = ["KINDS", "LEVEL", "Catalog", "Entry", "Value", "load_catalog"]

_DIR = Path(__file__).parent
_FILES = ("accelerators.toml", "systems.toml", "overheads.toml", "power.toml", "cooling.toml")

COOLING_KINDS = ("cdu", "cold-plate", "dry-cooler", "adiabatic", "cooling-tower", "chiller", "crah", "hydraulic")
KINDS = ("accelerator", "module", "node", "rack", "pod", "overhead", "transformer", "converter", "conductor",
         *COOLING_KINDS, "house-load", "ups-recharge")
POWER_KINDS = ("transformer", "converter", "conductor")
LEVEL = {"accelerator": 0, "module": 1, "node": 2, "rack": 3, "pod": 4}

# field -> (dimension or "count" or "fraction", description with unit)
FIELDS: dict[str, tuple[str, str]] = {
    "power_max": ("[power]", "maximum electric power [W]"),
    "power_typical": ("[power]", "sustained electric power in training [W]"),
    "bf16_dense": ("[computation] / [time]", "peak dense BF16 throughput [FLOPS]"),
    "count": ("count", "number of contained units [-]"),
    "extra_power_max": ("[power]", "power beyond the contained units, at maximum [W]"),
    "extra_power_typical": ("[power]", "power beyond the contained units, typical [W]"),
    "liquid_fraction": ("fraction", "share of heat to liquid [-]"),
    "power_per_accelerator_max": ("[power]", "overhead power per accelerator, maximum [W]"),
    "power_per_accelerator_typical": ("[power]", "overhead power per accelerator, typical [W]"),
    "rack_power_max": ("[power]", "provisioned power of one overhead rack [W]"),
    "core_voltage": ("[electric_potential]", "core supply voltage [V]"),
    "cpu_power": ("[power]", "CPUs of one unit at maximum, behind the voltage regulator [W]"),
    "memory_power": ("[power]", "memory of one unit at maximum, behind the voltage regulator [W]"),
    "switch_power": ("[power]", "switch ASICs (NVLink, PCIe) of one unit at maximum, behind the voltage regulator [W]"),
    "io_power": ("[power]", "I/O dies and other logic of one unit at maximum, behind the voltage regulator [W]"),
    "nic_power": ("[power]", "NICs and DPUs of one unit at maximum, fed beside the voltage regulator [W]"),
    "fan_power": ("[power]", "fans of one unit at maximum, fed beside the voltage regulator [W]"),
    "storage_power": ("[power]", "drives of one unit at maximum, fed beside the voltage regulator [W]"),
    "other_power": ("[power]", "board management and other loads of one unit, fed beside the voltage regulator [W]"),
    "rating": ("[power]", "rating of one unit [W or VA]"),
    "no_load_loss": ("[power]", "no-load (core) loss [W]"),
    "load_loss": ("[power]", "load (winding) loss at rated current [W]"),
    "efficiency_points": ("points", "efficiency against per-unit load, [[x, efficiency], ...] [-]"),
    "ampacity": ("[current]", "current rating of one circuit [A]"),
    "current_density": ("[current] / [length] ** 2", "design current density [A/mm^2]"),
    "length": ("[length]", "route length [m]"),
    "temperature": ("[temperature]", "conductor operating temperature [degC]"),
    "capacity": ("[power]", "heat capacity of one unit at design [W]"),
    "approach": ("delta_t", "approach temperature difference [K]"),
    "pressure_drop": ("[pressure]", "pressure drop at rated flow [Pa]"),
    "resistance": ("[temperature] / [power]", "case-to-coolant thermal resistance [K/W]"),
    "rated_flow": ("[length] ** 3 / [time]", "flow at the rated point [m^3/s]"),
    "case_temperature_max": ("[temperature]", "highest allowed case temperature [degC]"),
    "resistance_fixed": ("[temperature] / [power]", "flow-independent part of the resistance [K/W]"),
    "flow_exponent": ("fraction", "Reynolds exponent of the convective coefficient [-]"),
    "laminar_share": ("fraction", "laminar (linear in flow) share of the rated pressure drop [-]"),
    "cold_plates_in_series": ("count", "cold plates in series per coolant path [-]"),
    "fan_power_ratio": ("fraction", "fan power per heat rejected at design [-]"),
    "pad_effectiveness": ("fraction", "saturation effectiveness of evaporative pads [-]"),
    "cycles": ("ratio", "cycles of concentration [-]"),
    "drift_fraction": ("fraction", "drift as a fraction of circulating flow [-]"),
    "wet_bulb_effectiveness": ("fraction", "wet-bulb effectiveness of an indirect evaporative exchanger [-]"),
    "liquid_gas_ratio": ("ratio", "water-to-air mass flow ratio L/G of a cooling tower [-]"),
    "reference_cop": ("ratio", "COP at the reference conditions of the chiller's curves [-]"),
    "capft": ("coefficients6", "capacity-temperature biquadratic of leaving water and condenser [degC]"),
    "eirft": ("coefficients6", "EIR-temperature biquadratic of leaving water and condenser [degC]"),
    "eirfplr": ("coefficients3", "EIR-part-load quadratic of the part-load ratio [-]"),
    "min_part_load": ("fraction", "minimum unloading ratio [-]"),
    "condenser_fan_power_ratio": ("fraction", "condenser fan power per reference capacity [-]"),
    "leaving_min": ("[temperature]", "lowest leaving chilled-water temperature [degC]"),
    "leaving_max": ("[temperature]", "highest leaving chilled-water temperature [degC]"),
    "condenser_min": ("[temperature]", "lowest entering condenser water / air temperature [degC]"),
    "condenser_max": ("[temperature]", "highest entering condenser water / air temperature of the curves' data [degC]"),
    "condenser_limit": ("[temperature]", "the compressor's highest entering condenser water / air temperature (lift "
                        "limit; the curves are extrapolated above condenser_max up to it) [degC]"),
    "air_delta_t": ("delta_t", "air temperature rise [K]"),
    "fan_pressure": ("[pressure]", "fan total pressure [Pa]"),
    "fan_efficiency": ("fraction", "fan x motor x drive efficiency [-]"),
    "coil_approach": ("delta_t", "supply air over entering chilled water [K]"),
    "power_per_rack": ("[power]", "house load per rack, compute and overhead [W]"),
    "fraction_of_it": ("fraction", "house load as a fraction of the design IT power [-]"),
    "charger_fraction": ("fraction", "UPS charger input at its current limit per W of UPS load [-]"),
}
_COMPONENTS = ("cpu_power", "memory_power", "switch_power", "io_power", "nic_power", "fan_power", "storage_power",
               "other_power")
TEXT_FIELDS = ("kind", "vendor", "description", "contains", "material", "condenser", "placement", "status")
#: ``status`` of an accelerator or system: shipping (default) or announced (figures from an announcement)
STATUSES = ("shipping", "announced")
REQUIRED = {
    "accelerator": ("power_max", "power_typical", "bf16_dense", "core_voltage"),
    "module": ("contains", "count"),
    "node": ("contains", "count"),
    "rack": ("contains", "count"),
    "pod": ("contains", "count"),
    "overhead": ("power_per_accelerator_max", "power_per_accelerator_typical", "rack_power_max",
                 "liquid_fraction"),
    "transformer": ("rating", "no_load_loss", "load_loss"),
    "converter": ("rating", "efficiency_points"),
    "conductor": ("material", "ampacity", "current_density", "length", "temperature"),
    "cdu": ("capacity", "approach", "pressure_drop", "placement"),
    "cold-plate": ("resistance", "rated_flow", "resistance_fixed", "flow_exponent", "pressure_drop", "laminar_share",
                   "case_temperature_max"),
    "dry-cooler": ("capacity", "approach", "fan_power_ratio", "air_delta_t"),
    "adiabatic": ("capacity", "approach", "fan_power_ratio", "pad_effectiveness", "air_delta_t"),
    "cooling-tower": ("capacity", "approach", "fan_power_ratio", "cycles", "drift_fraction", "liquid_gas_ratio"),
    "chiller": ("capacity", "reference_cop", "capft", "eirft", "eirfplr", "min_part_load", "leaving_min",
                "leaving_max", "condenser_min", "condenser_max", "condenser_fan_power_ratio", "condenser"),
    "crah": ("capacity", "air_delta_t", "fan_pressure", "fan_efficiency", "coil_approach"),
    "hydraulic": ("pressure_drop",),  # a loop component (facility.loops): pressure drop at design flow
    "house-load": (),  # one of power_per_rack, fraction_of_it (facility.house)
    "ups-recharge": ("charger_fraction",),  # facility.house.ups_recharge
}
ALLOWED = {
    "accelerator": {"power_max", "power_typical", "bf16_dense", "core_voltage"},
    "transformer": {"rating", "no_load_loss", "load_loss"},
    "converter": {"rating", "efficiency_points"},
    "conductor": {"ampacity", "current_density", "length", "temperature"},
    **{k: set(v) - set(TEXT_FIELDS) for k, v in REQUIRED.items() if k in COOLING_KINDS},
    "overhead": {"power_per_accelerator_max", "power_per_accelerator_typical", "rack_power_max",
                 "liquid_fraction"},
    "house-load": {"power_per_rack", "fraction_of_it"},
    "ups-recharge": {"charger_fraction"},
}
ALLOWED["chiller"] = ALLOWED["chiller"] | {"condenser_limit"}
ALLOWED["hydraulic"] = {"pressure_drop", "cold_plates_in_series"}  # cold plates: facility.loops
for _k in ("module", "node", "rack", "pod"):
    ALLOWED[_k] = {"count", "power_max", "power_typical", "extra_power_max", "extra_power_typical",
                   "liquid_fraction", "cpu_power", "memory_power", "switch_power", "io_power", "nic_power", "fan_power",
                   "storage_power", "other_power"}


def all_kinds() -> tuple[str, ...]:
    """Every catalog kind: the built-in ones and any kind registered in :mod:`models.registry` since (a new
    heat-rejection device or power-stage kind is a registry entry, nothing here)."""
    extra = [k for k in (*HEAT_REJECTION, *STAGES) if k not in KINDS]
    return (*KINDS, *extra)


def required_fields(kind: str) -> tuple[str, ...]:
    """Fields an entry of ``kind`` needs: the built-in table, else the registered model's ``fields``."""
    if kind in REQUIRED:
        return REQUIRED[kind]
    model = HEAT_REJECTION.get(kind) or STAGES.get(kind)
    return tuple(f for f in model.fields if f in FIELDS or f in TEXT_FIELDS) if model else ()


@dataclass(frozen=True)
class Value:
    """A catalog number: a Quantity (or a plain count / fraction) and where it comes from."""

    value: Any
    source: str


@dataclass(frozen=True)
class Entry:
    """One catalog entry."""

    name: str
    kind: str
    description: str = ""
    vendor: str = ""
    contains: str | None = None
    values: Mapping[str, Value] = field(default_factory=dict)
    material: str = ""
    condenser: str = ""
    placement: str = ""
    status: str = ""
    nameplate: bool = False  # a scenario set its power_max without component loads: the rack input is that figure

    def get(self, name: str) -> Any:
        v = self.values.get(name)
        return None if v is None else v.value


def _suggest(word: str, options: list[str] | tuple[str, ...] | set[str]) -> str:
    return did_you_mean(word, options)


def _parse_value(fname: str, raw: Any, default_source: str | None, err) -> Value:
    dim, desc = FIELDS[fname]
    if isinstance(raw, Mapping):
        unknown = set(raw) - {"value", "source"}
        if unknown or "value" not in raw:
            raise err(f"expected {{ value = ..., source = \"...\" }} or a plain value; got keys {sorted(raw)}")
        value, source = raw["value"], raw.get("source")
        if not isinstance(source, str) or not source.strip():
            if default_source is None:
                raise err("every catalog number needs a non-empty 'source'")
            source = default_source
    else:
        if default_source is None:
            raise err("catalog numbers are written { value = ..., source = \"...\" }")
        value, source = raw, default_source
    bound = CATALOG_BOUNDS.get(fname)
    if dim == "count":
        if not is_number(value) or not math.isfinite(float(value)) or value != int(value) or value < 1:
            raise err(f"got {shorten(value)}; expected a whole number >= 1 ({desc})")
        return Value(int(_within(value, bound, err, desc)), source)
    if dim == "points":
        ok = isinstance(value, list | tuple) and len(value) >= 3 and all(
            isinstance(p, list | tuple) and len(p) == 2 and all(
                is_number(v) and math.isfinite(float(v)) for v in p) for p in value)
        if not ok or not all(0 < p[0] <= 1.5 and 0 < p[1] < 1 for p in value) or any(
                b[0] <= a[0] for a, b in itertools.pairwise(value)):
            raise err(f"got {shorten(value)}; expected at least three [load fraction, efficiency] pairs with load "
                      f"fractions increasing in (0, 1.5] and efficiencies in (0, 1) ({desc})")
        return Value(tuple((float(x), float(e)) for x, e in value), source)
    if dim.startswith("coefficients"):
        n = int(dim.removeprefix("coefficients"))
        if not (isinstance(value, list | tuple) and len(value) == n
                and all(is_number(v) and math.isfinite(float(v)) for v in value)):
            raise err(f"got {shorten(value)}; expected a list of {n} finite numbers ({desc})")
        return Value(tuple(float(v) for v in value), source)
    if dim in ("ratio", "fraction"):
        if not is_number(value):
            raise err(f"got {shorten(value)}; expected a number ({desc})")
        if bound is None:
            bound = Bound(0, 1, "", "a fraction") if dim == "fraction" else Bound(1, 100, "", "a ratio", True, True)
        return Value(float(_within(value, bound, err, desc)), source)
    if dim == "delta_t":
        try:
            q = parse_delta_t(value, bound.low if bound else 0.0, bound.high if bound else 60.0,
                              bound.low_open if bound else True)
        except UnitParseError as exc:
            raise err(f"{exc} ({desc}: {bound.reason if bound else ''})") from None
        return Value(q, source)
    try:
        q = parse_temperature(value) if dim == "[temperature]" else parse_quantity(value, dim)
    except UnitParseError as exc:
        raise err(f"{exc} ({desc})") from None
    if bound is not None:
        try:
            check_quantity(q, bound, value)
        except ValueError as exc:
            raise err(f"{exc}; {desc}") from None
    elif q.magnitude < 0 or (q.magnitude == 0 and not fname.startswith("extra_") and fname not in _COMPONENTS):
        raise err(f"got {shorten(value)}; expected a positive value ({desc})")
    return Value(q, source)


def _within(value: Any, bound: Bound | None, err, desc: str) -> Any:
    if bound is not None:
        try:
            check_number(value, bound, value)
        except ValueError as exc:
            raise err(f"{exc}; {desc}") from None
    return value


def parse_entry(name: str, raw: Mapping[str, Any], *, base: Entry | None = None, where: str = "",
                key_prefix: str = "", default_source: str | None = None) -> Entry:
    """Validate one entry (``raw``), optionally as an override of ``base``; raise ScenarioError on bad data."""

    def err_at(key: str):
        return lambda msg: ScenarioError(msg, source=where or None, key=f"{key_prefix}{name}.{key}".lstrip("."))

    if not isinstance(raw, Mapping):
        raise ScenarioError(f"expected a table of fields; got {raw!r}", source=where or None,
                            key=f"{key_prefix}{name}".lstrip("."))
    kind = raw.get("kind", base.kind if base else None)
    kinds = all_kinds()
    if kind not in kinds:
        raise err_at("kind")(f"got {shorten(kind)}; expected one of {', '.join(kinds)}")
    if base is not None and kind != base.kind:
        raise err_at("kind")(f"cannot change the kind of {name!r} from {base.kind!r} to {kind!r}")
    allowed = ALLOWED.get(kind) or set(required_fields(kind)) - set(TEXT_FIELDS)
    values: dict[str, Value] = dict(base.values) if base else {}
    text = {k: getattr(base, k) for k in ("description", "vendor", "contains", "material", "condenser", "placement",
                                          "status")} if base else {}
    for key, val in raw.items():
        if key in TEXT_FIELDS:
            if key == "kind":
                continue
            if key == "contains" and (kind not in LEVEL or kind == "accelerator"):
                raise err_at(key)(f"a {kind} contains nothing")
            if key == "material" and kind != "conductor":
                raise err_at(key)(f"only a conductor has a material; this is a {kind}")
            if key == "condenser" and kind != "chiller":
                raise err_at(key)(f"only a chiller has a condenser; this is a {kind}")
            if not isinstance(val, str) or len(val) > 10_000:
                raise err_at(key)(f"got {shorten(val)}; expected a string of at most 10,000 characters")
            if key == "condenser" and val not in ("water", "air"):
                raise err_at(key)(f"got {shorten(val)}; expected 'water' or 'air'")
            if key == "status" and (kind not in LEVEL or val not in STATUSES):
                raise err_at(key)(f"got {shorten(val)} on a {kind}; an accelerator's or system's status is one of "
                                  f"{', '.join(STATUSES)}")
            if key == "placement" and (kind != "cdu" or val not in ("in-rack", "in-row")):
                raise err_at(key)(f"got {shorten(val)} on a {kind}; a cdu's placement is 'in-rack' or 'in-row'")
            if key == "material" and val not in MATERIALS:
                raise err_at(key)(f"got {val!r}; expected one of {', '.join(sorted(MATERIALS))}")
            text[key] = val
        elif key in allowed:
            values[key] = _parse_value(key, val, default_source, err_at(key))
        else:
            options = set(allowed) | set(TEXT_FIELDS)
            raise err_at(key)(f"unknown field for a {kind}; {_suggest(key, options)}"
                              f"expected one of {', '.join(sorted(options))}")
    required = required_fields(kind)
    for req in required:
        if req not in values and not text.get(req):
            raise err_at(req)(f"missing; a {kind} needs {', '.join(required)}")
    if kind == "transformer":
        rating, p0, pk = (values[k].value.m_as("W") for k in ("rating", "no_load_loss", "load_loss"))
        if p0 + pk >= 0.5 * rating:
            raise err_at("load_loss")(f"no-load plus load loss {(p0 + pk) / 1e3:,.4g} kW is half the rating "
                                      f"{rating / 1e3:,.4g} kVA or more; expected losses of a few percent of the "
                                      "rating (DOE 10 CFR 431.196 efficiencies are above 98 %)")
    return Entry(name=name, kind=kind, description=text.get("description", "") or "",
                 vendor=text.get("vendor", "") or "", contains=text.get("contains"), values=values,
                 material=text.get("material", "") or "", condenser=text.get("condenser", "") or "",
                 placement=text.get("placement", "") or "", status=text.get("status", "") or "")


class Catalog:
    """Catalog entries by name, with the derived figures of each (accelerator count, power, heat split).

    Use :func:`load_catalog` for the bundled catalog and :meth:`with_overrides` for a scenario's changes.
    """

    def __init__(self, entries: Mapping[str, Entry]):
        self.entries = dict(entries)
        self._check_tree()
        self._si: dict[str, dict[str, Any]] = {}

    def si(self, name: str) -> dict[str, Any]:
        """An entry's values as SI magnitudes (W, K, Pa, m3/s, ...; plain numbers as they are), its text fields
        (``material``, ``condenser``, ``placement``) and, for an entry with efficiency points, ``loss_per_unit``
        = the fitted (a, b, c). Compiled once per entry of this catalog: the sizing's inner loops read numbers,
        not Quantities."""
        out = self._si.get(name)
        if out is None:
            e = self.entries[name]
            out = {k: (v.value.to_base_units().m if isinstance(v.value, pint.Quantity) else v.value)
                   for k, v in e.values.items() if k != "efficiency_points"}
            out.update(material=e.material, condenser=e.condenser, placement=e.placement)
            if "efficiency_points" in e.values:
                out["loss_per_unit"] = self.loss_coefficients(name)
            self._si[name] = out
        return out

    # ------------------------------------------------------------------ structure
    def _check_tree(self) -> None:
        for e in self.entries.values():
            if e.kind in LEVEL and e.kind != "accelerator":
                child = self.entries.get(e.contains or "")
                if child is None:
                    raise ScenarioError(f"{e.kind} {e.name!r} contains unknown entry {e.contains!r}; "
                                        f"{_suggest(e.contains or '', self.entries)}", key=f"{e.name}.contains")
                if child.kind not in LEVEL or LEVEL[child.kind] >= LEVEL[e.kind]:
                    raise ScenarioError(f"a {e.kind} cannot contain the {child.kind} {child.name!r} "
                                        "(order: accelerator < module < node < rack < pod)",
                                        key=f"{e.name}.contains")
        for e in self.entries.values():  # every figure resolves
            if e.kind in LEVEL:
                self.power_max(e.name), self.power_typical(e.name), self.liquid_fraction(e.name)

    def __contains__(self, name: object) -> bool:
        return name in self.entries

    def __getitem__(self, name: str) -> Entry:
        return self.entries[name]

    def names(self, *kinds: str) -> list[str]:
        return sorted(n for n, e in self.entries.items() if not kinds or e.kind in kinds)

    def suggest(self, name: str, *kinds: str) -> str:
        return _suggest(name, self.names(*kinds))

    def with_overrides(self, overrides: Mapping[str, Any], *, where: str = "") -> Catalog:
        """A new catalog with a scenario's ``[catalog.<name>]`` tables applied (fields replaced or entries added)."""
        entries = dict(self.entries)
        for name, raw in overrides.items():
            entries[name] = parse_entry(name, raw, base=self.entries.get(name), where=where, key_prefix="catalog.",
                                        default_source=f"scenario override ({where or 'in code'})")
            if (isinstance(raw, Mapping) and "power_max" in raw and not any(k in raw for k in _COMPONENTS)
                    and entries[name].kind in ("module", "node", "rack", "pod")):
                # a power_max given without component loads is the rack's nameplate (facility.rack_power)
                entries[name] = dataclasses.replace(entries[name], nameplate=True)
        try:
            return Catalog(entries)
        except ScenarioError as exc:
            raise ScenarioError(exc.message, source=where or None, key=f"catalog.{exc.key}") from None

    # ------------------------------------------------------------------ derived figures
    def chain(self, name: str) -> list[Entry]:
        """The entry and everything it contains, outermost first (``pod, rack, node, [module,] accelerator``)."""
        out = [self.entries[name]]
        while out[-1].contains:
            out.append(self.entries[out[-1].contains])
        return out

    def accelerator(self, name: str) -> Entry:
        return self.chain(name)[-1]

    def accelerators_per(self, name: str) -> int:
        """Accelerators in one unit of ``name``."""
        return math.prod(e.get("count") for e in self.chain(name)[:-1])

    def count_of(self, name: str, kind: str) -> int:
        """How many units of the given ``kind`` one ``name`` contains (1 for itself, 0 if none)."""
        n = 1
        for e in self.chain(name):
            if e.kind == kind:
                return n
            if e.contains:
                n *= e.get("count")
        return 0

    def _power(self, name: str, which: str) -> pint.Quantity:
        e = self.entries[name]
        explicit = e.get(f"power_{which}")
        if explicit is not None:
            return explicit
        if e.kind == "accelerator":  # REQUIRED makes this unreachable for valid entries
            raise ScenarioError(f"accelerator {name!r} has no power_{which}", key=f"{name}.power_{which}")
        extra = e.get(f"extra_power_{which}")
        total = e.get("count") * self._power(e.contains, which)
        return (total + extra if extra is not None else total).to("W")

    def power_max(self, name: str) -> pint.Quantity:
        """Maximum electric power of one unit [W] (given, or derived from its contents)."""
        return self._power(name, "max")

    def power_typical(self, name: str) -> pint.Quantity:
        """Sustained electric power of one unit in training [W] (given, or derived from its contents)."""
        p = self._power(name, "typical")
        if p > self.power_max(name):
            raise ScenarioError(f"typical power {p.to('kW'):.4g~P} exceeds maximum power "
                                f"{self.power_max(name).to('kW'):.4g~P}", key=f"{name}.power_typical")
        return p

    def bf16_dense(self, name: str) -> pint.Quantity:
        """Peak dense BF16 throughput of one unit [FLOPS]."""
        return (self.accelerators_per(name) * self.accelerator(name).get("bf16_dense")).to("FLOPS")

    def liquid_fraction(self, name: str) -> float:
        """Share of the unit's heat that leaves through liquid [-]: its own value or that of its contents."""
        for e in self.chain(name):
            lf = e.get("liquid_fraction")
            if lf is not None:
                return lf
        if self.entries[name].kind in ("accelerator", "module"):
            return float("nan")
        raise ScenarioError(f"{name!r} has no liquid_fraction, nor has anything it contains",
                            key=f"{name}.liquid_fraction")

    def loss_coefficients(self, name: str) -> tuple[float, float, float]:
        """Per-unit loss coefficients (a, b, c) of a converter, fitted to its efficiency points (once per entry)."""
        pts = self.entries[name].get("efficiency_points")
        return _fit(pts)

    def sources(self, name: str) -> dict[str, str]:
        return {k: v.source for k, v in self.entries[name].values.items()}

    # ------------------------------------------------------------------ listing
    def describe(self, name: str) -> dict[str, Any]:
        """Key figures of one entry as plain JSON-able values with units in the key names."""
        e = self.entries[name]
        d: dict[str, Any] = {"name": name, "kind": e.kind, "description": e.description}
        if e.vendor:
            d["vendor"] = e.vendor
        if e.kind in LEVEL:
            acc = self.accelerator(name)
            d["accelerator"] = acc.name
            d["accelerators"] = self.accelerators_per(name)
            if e.contains:
                d["contains"] = {"name": e.contains, "count": e.get("count")}
            d["power_max_kw"] = round(self.power_max(name).m_as("kW"), 6)
            d["power_typical_kw"] = round(self.power_typical(name).m_as("kW"), 6)
            d["bf16_dense_tflops"] = round(self.bf16_dense(name).m_as("TFLOPS"), 6)
            lf = self.liquid_fraction(name)
            if not math.isnan(lf):
                d["liquid_fraction"] = lf
            d["status"] = next((x.status for x in self.chain(name) if x.status), "shipping")
            comps = {k: e.get(k).m_as("W") for k in _COMPONENTS if e.get(k) is not None}
            if comps:
                d["component_loads_w"] = comps
        elif e.kind == "transformer":
            from models.electrical.transformer import doe_efficiency, peak_efficiency_index
            r, p0, pk = e.get("rating"), e.get("no_load_loss"), e.get("load_loss")
            d["rating_kva"] = r.m_as("kVA")
            d["no_load_loss_kw"] = p0.m_as("kW")
            d["load_loss_kw"] = pk.m_as("kW")
            d["efficiency_at_50pct"] = round(doe_efficiency(r, p0, pk, 0.5), 6)
            d["peak_efficiency_index"] = round(peak_efficiency_index(r, p0, pk), 6)
        elif e.kind == "converter":
            d["rating_kw"] = e.get("rating").m_as("kW")
            d["efficiency_points"] = [list(p) for p in e.get("efficiency_points")]
            d["loss_coefficients_pu"] = [round(c, 8) for c in self.loss_coefficients(name)]
        elif e.kind == "conductor":
            d["material"] = e.material
            d["ampacity_a"] = e.get("ampacity").m_as("A")
            d["current_density_a_per_mm2"] = e.get("current_density").m_as("A/mm^2")
            d["length_m"] = e.get("length").m_as("m")
            d["temperature_degc"] = e.get("temperature").m_as("degC")
        elif e.kind in COOLING_KINDS or e.kind in HEAT_REJECTION or e.kind in ("house-load", "ups-recharge"):
            for k, v in e.values.items():
                q = v.value
                d[k] = q if not hasattr(q, "units") else f"{q:~P}"
            for k in ("condenser", "placement"):
                if getattr(e, k):
                    d[k] = getattr(e, k)
        else:
            d["power_per_accelerator_max_w"] = e.get("power_per_accelerator_max").m_as("W")
            d["power_per_accelerator_typical_w"] = e.get("power_per_accelerator_typical").m_as("W")
            d["rack_power_max_kw"] = e.get("rack_power_max").m_as("kW")
            d["liquid_fraction"] = e.get("liquid_fraction")
        d["sources"] = self.sources(name)
        return d


@cache
def _fit(points: tuple[tuple[float, float], ...]) -> tuple[float, float, float]:
    return fit_loss_coefficients([p[0] for p in points], [p[1] for p in points])


@cache
def load_catalog() -> Catalog:
    """The bundled catalog (read once, then cached; treat it as read-only)."""
    entries: dict[str, Entry] = {}
    for fname in _FILES:
        path = _DIR / fname
        raw = tomllib.loads(path.read_text())
        for name, data in raw.items():
            if name in entries:
                raise ScenarioError(f"duplicate catalog entry {name!r}", source=str(path), key=name)
            entries[name] = parse_entry(name, data, where=str(path))
    return Catalog(entries)


