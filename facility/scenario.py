"""Scenario files: the TOML schema (pydantic), the loader and its errors.

A scenario is written in TOML with units spelled out (``"700 W"``, ``"34.5 kV"``, ``"32 degC"``). It is
validated in full before anything runs: unknown keys are refused with a suggestion, every error names the
file, the key path, the bad value and what is expected (:class:`facility.errors.ScenarioError`).

>>> from facility import Scenario
>>> s = Scenario(name="demo", site={"weather": "tampa", "grid_voltage": "161 kV"},
...              compute={"deployments": [{"system": "h100-lc-64", "accelerators": 100000}]})
>>> s.site.grid_voltage
<Quantity(161, 'kilovolt')>
"""

from __future__ import annotations

import math
import re
import tomllib
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Any

import pint
from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    PlainSerializer,
    PlainValidator,
    PrivateAttr,
    ValidationError,
    model_validator,
)

import facility.loops as _loops
from facility.architectures import architecture_stages, architectures
from facility.bounds import Bound, check_number, check_quantity, is_number, scenario_bound
from facility.catalog import Catalog, load_catalog
from facility.errors import ScenarioError, did_you_mean, format_key_path, shorten
from facility.inputs import COUNT_KEYS
from facility.outputs import RESULT_KEYS
from facility.plants import Plant, parse_plant, plant_kinds
from facility.schema import StrictModel
from facility.sites import MAX_PATH, resolve_weather
from facility.supply import Supply
from facility.swings import Swings
from facility.units import Q_, parse_delta_t, parse_quantity, parse_temperature, quantity_text

__all__ = [
    "ARCHITECTURES",
    "ASHRAE_LIQUID_CLASSES",
    "HEAT_REJECTION",
    "Compute",
    "Cooling",
    "Deployment",
    "Halls",
    "Power",
    "Scenario",
    "Site",
    "load_scenario",
    "parse_scenario_text",
]

ARCHITECTURES = tuple(architectures())
HEAT_REJECTION = plant_kinds()
#: A heat-rejection plant: ``"dry-cooler+chiller"`` or ``{ economiser = "dry-cooler", trim = "chiller" }``, parsed
#: once into a :class:`facility.plants.Plant` (written back as its text).
PlantValue = Annotated[Plant, PlainValidator(parse_plant), PlainSerializer(str, return_type=str)]
#: ASHRAE TC 9.9, "Liquid Cooling Guidelines for Datacom Equipment Centers", 2nd ed. (2014) and the 2021
#: update: facility water supply temperature upper limit of each class [degC]. W+ is "above 45 degC".
ASHRAE_LIQUID_CLASSES = {"W17": 17.0, "W27": 27.0, "W32": 32.0, "W40": 40.0, "W45": 45.0}


# ---------------------------------------------------------------------------------------------- field types
#: Longest name, label or catalog reference [characters].
MAX_TEXT = 200
#: Longest description [characters].
MAX_DESCRIPTION = 10_000


def _bound(key: str) -> Bound:
    b = scenario_bound(key)
    assert b is not None, key
    return b


def _quantity(dimension: str, key: str, *, real_power: bool = False):
    """A quantity of ``dimension`` inside the range of ``key`` in :data:`facility.bounds.SCENARIO`."""
    bound = _bound(key)

    def check(value: Any) -> pint.Quantity:
        q = parse_quantity(value, dimension, real_power=real_power)
        check_quantity(q, bound, value)
        return q
    return BeforeValidator(check)


def _count(key: str):
    """A whole number (Python or numpy; a float with no fraction) inside the range of ``key``."""
    bound = _bound(key)

    def check(value: Any) -> int:
        if (not is_number(value) or not math.isfinite(float(value)) or float(value) != math.floor(float(value))
                or value < 1):
            raise ValueError(f"got {shorten(value)}; expected a whole number greater than 0 (at most "
                             f"{bound.high:,.0f}: {bound.reason})")
        check_number(float(value), bound, value)
        return int(value)
    return BeforeValidator(check)


def _temperature_or_class(value: Any) -> pint.Quantity:
    if isinstance(value, str) and value.strip().upper() in ASHRAE_LIQUID_CLASSES:
        return Q_(ASHRAE_LIQUID_CLASSES[value.strip().upper()], "degC")
    if isinstance(value, str) and value.strip().upper() == "W+":
        raise ValueError("'W+' (above 45 degC) names no single temperature; write the supply temperature, "
                         "e.g. \"50 degC\"")
    q = parse_temperature(value)
    check_quantity(q, _bound("cooling.tcs_supply"), value)
    return q


def _temperature(key: str):
    bound = _bound(key)

    def check(value: Any) -> pint.Quantity:
        q = parse_temperature(value)
        check_quantity(q, bound, value)
        return q
    return BeforeValidator(check)


def _delta(key: str):
    bound = _bound(key)

    def check(value: Any) -> pint.Quantity:
        return parse_delta_t(value, bound.low, bound.high, bound.low_open)
    return BeforeValidator(check)


def _number(key: str):
    """A plain number (Python or numpy, not a bool) inside the range of ``key``."""
    bound = _bound(key)

    def check(value: Any) -> float:
        if not is_number(value):
            raise ValueError(f"got {shorten(value)}; expected a number {bound.text()}")
        return check_number(value, bound, value)
    return BeforeValidator(check)


def _one_of(options: tuple[str, ...]):
    def check(value: Any) -> str:
        if not isinstance(value, str) or value not in options:
            raise ValueError(f"got {shorten(value)}; {did_you_mean(value, options)}expected one of {', '.join(options)}")
        return value
    return BeforeValidator(check)


def _text(limit: int = MAX_TEXT):
    """A string of at most ``limit`` characters (a name, a label, a catalog name)."""
    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError(f"got {shorten(value)}; expected a string")
        if len(value) > limit:
            raise ValueError(f"got a string of {len(value):,} characters; expected at most {limit:,}")
        return value
    return BeforeValidator(check)


def _resolve(base: Path | None, file: str) -> Path:
    p = Path(file).expanduser()
    return p if p.is_absolute() or base is None else base / p


Text = Annotated[str, _text()]
Description = Annotated[str, _text(MAX_DESCRIPTION)]
Path_ = Annotated[str, _text(MAX_PATH)]
Flops = Annotated[Any, _quantity("[computation] / [time]", "compute.deployments[].compute_target")]
GridVoltage = Annotated[Any, _quantity("[electric_potential]", "site.grid_voltage")]
Accelerators = Annotated[int, _count("compute.deployments[].accelerators")] | None
Nodes = Annotated[int, _count("compute.deployments[].nodes")] | None
Racks = Annotated[int, _count("compute.deployments[].racks")] | None
Pods = Annotated[int, _count("compute.deployments[].pods")] | None
HallCount = Annotated[int, _count("compute.halls.count")] | None
RacksPerHall = Annotated[int, _count("compute.halls.racks_per_hall")] | None
HallCapacity = Annotated[Any, _quantity("[power]", "compute.halls.it_capacity", real_power=True)]
SupplyTemperature = Annotated[Any, BeforeValidator(_temperature_or_class)]


_Strict = StrictModel


# ---------------------------------------------------------------------------------------------- sections
class Site(_Strict):
    """Where the campus is: its weather and its grid connection."""

    weather: Path_ = Field(description="A bundled site name (sterling-va, chicago-il, tampa-fl, golden-co, "
                                     "san-francisco-ca, or an alias) or a path to an EPW / TMY3 file.")
    grid_voltage: GridVoltage = Field(description="Utility voltage at the point of interconnection. [V]")
    description: Description | None = None


class Deployment(_Strict):
    """One block of identical racks: a catalog rack (or pod) and how many, by one of the counts."""

    system: Text = Field(description="Catalog rack or pod name, e.g. 'h100-lc-64', 'gb200-nvl72', 'dojo-cabinet'.")
    name: Text | None = Field(None, description="A label for reports.")
    accelerators: Accelerators = Field(None, description="Number of accelerators. [-]")
    nodes: Nodes = Field(None, description="Number of nodes (servers, trays). [-]")
    racks: Racks = Field(None, description="Number of racks. [-]")
    pods: Pods = Field(None, description="Number of pods (for a pod system such as dojo-exapod). [-]")
    compute_target: Flops | None = Field(None, description="Peak dense BF16 compute to install. [FLOPS]")

    @model_validator(mode="after")
    def _one_count(self) -> Deployment:
        given = [k for k in COUNT_KEYS if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of accelerators, nodes, racks, pods or compute_target; got "
                             + (", ".join(given) if given else "none"))
        return self


class Halls(_Strict):
    """How the racks are grouped into data halls (pods of the building): one of the three."""

    count: HallCount = Field(None, description="Number of halls; racks are spread evenly. [-]")
    racks_per_hall: RacksPerHall = Field(None, description="Capacity of a hall in racks. [-]")
    it_capacity: HallCapacity | None = Field(None, description="IT capacity of a hall at design. [W]")

    @model_validator(mode="after")
    def _one(self) -> Halls:
        given = [k for k in ("count", "racks_per_hall", "it_capacity") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of count, racks_per_hall or it_capacity; got "
                             + (", ".join(given) if given else "none"))
        return self


class Compute(_Strict):
    """The compute plan."""

    deployments: list[Deployment] = Field(min_length=1, description="One or more deployments.")
    overheads: list[Text] = Field(default_factory=list,
                                 description="Overhead IT by ratio, catalog names: network, storage, management.")
    halls: Halls | None = Field(None, description="Grouping into halls; absent: one hall.")


def _scheme(value: Any) -> str:
    from facility.redundancy import parse_scheme
    if not isinstance(value, str):
        raise ValueError(f"got {value!r}; expected a redundancy scheme string")
    parse_scheme(value)
    return value


def _voltage_text(value: Any) -> str:
    q = parse_quantity(value, "[electric_potential]")
    check_quantity(q, _bound("power.stages[].voltage_out"), value)
    return value.strip() if isinstance(value, str) else quantity_text(q)


class StageOverride(_Strict):
    """Changes to one stage of the architecture (by its id)."""

    equipment: Text | None = Field(None, description="Catalog equipment of the same kind.")
    redundancy: Annotated[str | None, BeforeValidator(lambda v: v if v is None else _scheme(v))] = Field(
        None, description="N, N+1, N+2, 2N, 2(N+1), xN/y or 'catcher y+1'.")
    voltage_out: Annotated[str | None, BeforeValidator(lambda v: v if v is None else _voltage_text(v))] = Field(
        None, description="Output voltage of the stage. [V]")


class Power(_Strict):
    """The power chain."""

    architecture: Annotated[str, _one_of(ARCHITECTURES)] = Field(
        "ac-480v", description="Power architecture: " + " | ".join(ARCHITECTURES))
    mv_voltage: Annotated[Any, _quantity("[electric_potential]", "power.mv_voltage")] = Field(
        default_factory=lambda: Q_(34.5, "kV"),
        description="Medium voltage of the campus distribution. [V] Default 34.5 kV (engineering assumption: "
                    "the common North American MV level for large campuses; 13.8 kV is the other).")
    stages: dict[str, StageOverride] = Field(default_factory=dict,
                                             description="Overrides of stages by id (see `facility architectures`).")


Scheme = Annotated[str, BeforeValidator(lambda v: _scheme(v))]
DESIGN_BASES = ("extreme-n20", "extreme-n5", "extreme-n10", "extreme-n50", "ashrae-0.4%", "ashrae-1%", "ashrae-2%",
                "weather-max")


class Cooling(_Strict):
    """The cooling chain. Every default is an engineering assumption stated in its description."""

    tcs_supply: SupplyTemperature = Field(
        default_factory=lambda: Q_(32.0, "degC"),
        description="Technology cooling loop supply temperature, or an ASHRAE liquid class W17..W45. [degC] "
                    "Default 32 degC (ASHRAE W32: engineering assumption for current direct-to-chip designs).")
    heat_rejection: PlantValue = Field(
        default_factory=lambda: Plant("dry-cooler", "chiller"),
        description="Heat rejection plant: " + ", ".join(HEAT_REJECTION) + ", joined by '+' (e.g. 'dry-cooler+chiller'), "
                    "or { economiser = \"dry-cooler\", trim = \"chiller\" }.")
    air_heat_rejection: PlantValue = Field(default_factory=lambda: Plant("dry-cooler", "chiller"),
                                    description="Plant of the air side (CRAH chilled water), same choices. Default "
                                                "dry-cooler+chiller: a 21 degC chilled-water loop needs a chiller in "
                                                "summer almost everywhere.")
    tcs_coolant: Text = Field("pg25", description="Technology loop coolant: water, pg25, eg25 (OCP: PG25 is common).")
    tcs_delta_t: Annotated[Any, _delta("cooling.tcs_delta_t")] = Field(
        default_factory=lambda: Q_(10, "K"),
        description="Technology loop temperature rise. [K] Default 10 K (OCP ~1.5 L/min/kW).")
    tcs_pressure_drop: Annotated[Any, _quantity("[pressure]", "cooling.tcs_pressure_drop")] | None = Field(
        None, description="Cold plates, rack manifolds and hoses at design flow, CDU excluded, as one figure. [Pa] "
                          "Default: the sum of tcs_components (facility.loops).")
    tcs_components: list[Text] | None = Field(
        None, description="Catalog loop components (kind 'hydraulic') of the technology loop besides its CDU; their "
                          "pressure drops add up to its pump head. Default: " + ", ".join(_loops.TCS_COMPONENTS)
                          + " (an in-rack CDU: without " + ", ".join(_loops.IN_ROW_ONLY) + ").")
    cdu: Text = Field("cdu-in-row-2000kw", description="Catalog CDU.")
    cdu_redundancy: Scheme = Field("N+1", description="CDU redundancy (in-row CDUs).")
    cold_plate: Text = Field("cold-plate-gpu", description="Catalog cold plate for the case-temperature check.")
    facility_coolant: Text = Field("water", description="Facility water loop coolant.")
    facility_delta_t: Annotated[Any, _delta("cooling.facility_delta_t")] = Field(
        default_factory=lambda: Q_(10, "K"), description="Facility water temperature rise. [K] Default 10 K.")
    facility_pressure_drop: Annotated[Any, _quantity("[pressure]", "cooling.facility_pressure_drop")] | None = Field(
        None, description="Components of the facility and chilled-water loops (coolers, valves, strainers) at "
                          "design, mains excluded, as one figure. [Pa] Default: the sum of facility_components / "
                          "chw_components and the plant's coil and evaporator (facility.loops).")
    facility_components: list[Text] = Field(
        default_factory=lambda: list(_loops.FACILITY_COMPONENTS),
        description="Catalog loop components of the facility-water loop besides its plant and mains.")
    chw_components: list[Text] = Field(
        default_factory=lambda: list(_loops.CHW_COMPONENTS),
        description="Catalog loop components of the air side's chilled-water loop besides its plant and mains.")
    pipe_length: Annotated[Any, _quantity("[length]", "cooling.pipe_length")] = Field(
        default_factory=lambda: Q_(600, "m"),
        description="Equivalent length of the facility mains (supply + return, fittings included). [m] Default 600 m.")
    pipe_velocity: Annotated[Any, _quantity("[length] / [time]", "cooling.pipe_velocity")] = Field(
        default_factory=lambda: Q_(2.5, "m/s"), description="Design velocity in the mains. [m/s] Default 2.5 m/s.")
    pipe_friction_rate: Annotated[Any, _quantity("[pressure] / [length]", "cooling.pipe_friction_rate")] = Field(
        default_factory=lambda: Q_(400, "Pa/m"),
        description="Highest friction rate in the mains at design flow (small mains are sized by it, large ones by "
                    "the velocity). [Pa/m] Default 400 Pa/m, the top of ASHRAE Handbook — Fundamentals (2017) "
                    "Ch. 22's 100-400 Pa/m practice for water piping.")
    pump_efficiency: Annotated[float, _number("cooling.pump_efficiency")] = Field(
        0.65, description="Wire-to-water efficiency of pumps. [-] Default 0.65 (pump 0.75 x motor 0.95 x VFD 0.97, "
                          "ASHRAE HVAC Systems and Equipment Ch. 44 ranges).")
    air_supply: Annotated[Any, _temperature("cooling.air_supply")] = Field(
        default_factory=lambda: Q_(25, "degC"),
        description="Supply air of the CRAH / fan walls. [degC] Default 25 degC (ASHRAE TC 9.9 recommended 18-27).")
    chw_delta_t: Annotated[Any, _delta("cooling.chw_delta_t")] = Field(default_factory=lambda: Q_(8, "K"),
                                description="Chilled water rise of the air-side loop. [K] Default 8 K.")
    crah: Text = Field("crah-fan-wall-500kw", description="Catalog CRAH / fan wall.")
    crah_redundancy: Scheme = Field("N+1", description="CRAH redundancy.")
    equipment: dict[str, Text] = Field(default_factory=dict,
                                      description="Catalog equipment per heat-rejection type, e.g. "
                                                  "{ chiller = \"chiller-water-cooled\" }.")
    heat_rejection_redundancy: Scheme = Field("N+1", description="Redundancy of coolers and towers.")
    chiller_redundancy: Scheme = Field("N+1", description="Chiller redundancy.")
    design_basis: Annotated[str, _one_of(DESIGN_BASES)] = Field(
        "extreme-n20", description="Design weather: " + " | ".join(DESIGN_BASES) + " (extreme-nN: the ASHRAE N-year "
        "return-period extreme dry bulb and extreme maximum wet bulb of the site's .stat, the basis Uptime Tier "
        "Standard: Topology 3.1 and ASHRAE TC 9.9 hold data centers to; ashrae-x%: the annual cooling conditions of "
        "the site's .ddy file; weather-max: the hottest hours of the weather file).")
    house_load_fraction: Annotated[float, _number("cooling.house_load_fraction")] | None = Field(
        None, description="House loads (lighting, offices, controls) as one fraction of design IT power instead of "
                          "the itemised house_loads. [-] Default: unset (the items).")
    ups_recharge_at_design: bool = Field(
        False, description="Add the recharge of the UPS batteries after a ride-through (catalog ups-battery-recharge: "
                           "the charger at its current limit, a share of the load of the power chain's 'ups' stages) "
                           "to the facility power at design. Default false: after an outage the batteries recharge "
                           "from the generators, and the ATS returns to the utility only after its retransfer delay "
                           "(README, 'House loads').")
    house_loads: list[Text] | None = Field(
        None, description="Catalog house loads (kind 'house-load': lighting, offices, security, controls, generator "
                          "heaters), each per rack or as a fraction of design IT power (facility.house). Default: "
                          "every house-load entry of the catalog.")


PROFILES = ("constant", "training", "inference", "csv")


class Load(_Strict):
    """The IT load over the year, as a fraction of the design IT power (every rack at its maximum)."""

    profile: Annotated[str, _one_of(PROFILES)] = Field("constant", description="constant | training | inference | csv")
    level: Annotated[float | None, BeforeValidator(lambda v: v if v is None else _number("load.level").func(v))] = \
        Field(None, description="Mean fraction of design IT power. [-] Default: the plan's typical / design power.")
    checkpoint_interval: Annotated[Any, _quantity("[time]", "load.checkpoint_interval")] = Field(
        default_factory=lambda: Q_(4, "h"),
        description="training: one hour in this many carries the checkpoint/restart dip. [h] Default 4 h.")
    checkpoint_depth: Annotated[float, _number("load.checkpoint_depth")] = Field(
        0.25, description="training: fraction by which the dip hour's mean load falls. [-] Default 0.25 (a "
                          "~15-minute checkpoint at idle in that hour; engineering assumption).")
    daily_amplitude: Annotated[float, _number("load.daily_amplitude")] = Field(
        0.3, description="inference: half the peak-to-trough swing of the daily cycle, relative to level. [-]")
    peak_hour: Annotated[float, _number("load.peak_hour")] = Field(15.0, description="inference: hour of the daily peak.")
    file: Path_ | None = Field(None, description="csv: 8,760 rows; a column it_power_mw (or _kw, _w) or it_fraction.")

    @model_validator(mode="after")
    def _csv_needs_file(self) -> Load:
        if self.profile == "csv" and not self.file:
            raise ValueError("profile 'csv' needs file = \"path/to/load.csv\"")
        return self


def _band(value: Any) -> tuple[float, float]:
    if (not isinstance(value, list | tuple) or len(value) != 2
            or any(isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x) for x in value)):
        raise ValueError(f"got {value!r}; expected a band [low, high] of two numbers")
    if value[0] > value[1]:
        raise ValueError(f"got {list(value)!r}; expected low <= high")
    return float(value[0]), float(value[1])


Band = Annotated[tuple[float, float], BeforeValidator(_band)]


class Scenario(_Strict):
    """A campus scenario: site, compute plan, power and cooling choices, catalog overrides, expectation bands.

    Build one from a file with :func:`load_scenario` or in code with keyword arguments; values with
    dimensions are strings with units or pint Quantities. Invalid input raises ``ScenarioError``.
    """

    name: Text = Field(min_length=1, description="Scenario name.")
    description: Description | None = None
    site: Site
    compute: Compute
    power: Power = Field(default_factory=Power)
    cooling: Cooling = Field(default_factory=Cooling)
    load: Load = Field(default_factory=Load)
    supply: Supply | None = Field(None, description="Where the power comes from (facility.supply); optional.")
    catalog: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Overrides of catalog entries (or new entries) by name.")
    expect: dict[str, Band] = Field(default_factory=dict,
                                    description="Bands [low, high] that results must fall in (facility check).")
    swings: Swings | None = Field(None, description="Sub-second training swings and grid limits (facility swings).")

    _source: str = PrivateAttr(default="<Scenario(...)>")
    _base: Path | None = PrivateAttr(default=None)
    _catalog: Catalog | None = PrivateAttr(default=None)

    def __init__(self, /, **data: Any) -> None:
        source, base = _CONTEXT.get()
        try:
            BaseModel.__init__(self, **data)
        except ValidationError as exc:
            raise _to_scenario_error(exc, source) from None
        self._source = source
        self._base = base
        self._catalog = _check_semantics(self, source, base)

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "<Scenario(...)>",
                  base: Path | None = None) -> Scenario:
        """Validate a scenario given as nested dicts (as read from TOML).

        ``source`` names it in error messages; ``base`` is the folder relative weather paths start from.
        """
        if not isinstance(data, dict):
            raise ScenarioError(f"expected a table of sections; got {type(data).__name__}", source=source)
        if _depth(data, MAX_DEPTH) > MAX_DEPTH:
            raise ScenarioError(f"tables or lists are nested more than {MAX_DEPTH} levels deep; expected the "
                                "sections of a scenario (see scenarios/default.toml)", source=source)
        token = _CONTEXT.set((source, base))
        try:
            return cls(**data)
        finally:
            _CONTEXT.reset(token)

    @classmethod
    def model_validate(cls, obj: Any, **_: Any) -> Scenario:  # type: ignore[override]
        """As :meth:`from_dict` (pydantic's own would skip the checks across sections)."""
        if isinstance(obj, Scenario):
            return obj
        return cls.from_dict(obj)

    @classmethod
    def model_validate_json(cls, json_data: str | bytes, **_: Any) -> Scenario:  # type: ignore[override]
        """A scenario from JSON text, as :meth:`from_dict`."""
        import json

        try:
            data = json.loads(json_data)
        except (ValueError, RecursionError) as exc:
            raise ScenarioError(f"not valid JSON: {shorten(str(exc), 200)}", source="<json>") from None
        return cls.from_dict(data, source="<json>")

    @property
    def source(self) -> str:
        """The file the scenario came from (or ``<Scenario(...)>``)."""
        return self._source

    @property
    def hardware(self) -> Catalog:
        """The catalog with this scenario's overrides applied."""
        assert self._catalog is not None
        return self._catalog

    @property
    def load_file(self) -> Path | None:
        """The load CSV of ``load.file`` (relative to the scenario's folder), if any."""
        return None if self.load.file is None else _resolve(self._base, self.load.file)

    @property
    def weather_path(self) -> Path:
        """The weather file of ``site.weather``."""
        return resolve_weather(self.site.weather, self._base)[1]


# ---------------------------------------------------------------------------------------------- checks
_CONTEXT: ContextVar[tuple[str, Path | None]] = ContextVar("scenario_source", default=("<Scenario(...)>", None))
_MARK = re.compile(r"^@(?P<key>[^@]*)@")


_TYPE_NAMES = {"string_type": "a string", "int_type": "a whole number", "dict_type": "a table",
               "list_type": "a list", "float_type": "a number", "model_type": "a table", "tuple_type": "a list",
               "int_from_float": "a whole number", "int_parsing": "a whole number", "float_parsing": "a number",
               "model_attributes_type": "a table"}


def _to_scenario_error(exc: ValidationError, source: str) -> ScenarioError:
    problems: list[tuple[str, str]] = []
    for e in exc.errors(include_url=False):
        loc = [p for p in e["loc"] if not (isinstance(p, str) and (p.startswith("function-") or p in
                                                                   ("tagged-union", "is-instance")))]
        msg = str(e.get("msg", ""))
        for prefix in ("Value error, ", "Assertion failed, "):
            if msg.startswith(prefix):
                msg = msg[len(prefix):]
        m = _MARK.match(msg)
        if m:
            loc = [*loc, m["key"]]
            msg = msg[m.end():]
        if e["type"] == "missing":
            msg = "missing; this key is required"
        elif e["type"] in _TYPE_NAMES:
            msg = f"got {shorten(e.get('input'))}; expected {_TYPE_NAMES[e['type']]}"
        elif e["type"] == "too_short":
            msg = "must not be empty"
        problems.append((format_key_path(loc), msg))
    key, msg = problems[0]
    return ScenarioError(msg, source=source, key=key or None, problems=problems)


def _check_semantics(s: Scenario, source: str, base: Path | None) -> Catalog:
    """Checks that need the catalog or the file system: system names, overheads, weather, result keys."""

    def fail(key: str, msg: str) -> ScenarioError:
        return ScenarioError(msg, source=source, key=key)

    try:
        resolve_weather(s.site.weather, base)
    except (ValueError, OSError) as exc:
        raise fail("site.weather", str(exc)) from None
    catalog = load_catalog().with_overrides(s.catalog, where=source) if s.catalog else load_catalog()
    for i, d in enumerate(s.compute.deployments):
        key = f"compute.deployments[{i}]"
        if d.system not in catalog:
            raise fail(f"{key}.system", f"unknown system {d.system!r}; {catalog.suggest(d.system, 'rack', 'pod')}"
                       f"expected a rack or pod of the catalog: {', '.join(catalog.names('rack', 'pod'))} "
                       "(see `facility catalog`)")
        kind = catalog[d.system].kind
        if kind not in ("rack", "pod"):
            holders = [n for n in catalog.names("rack", "pod") if d.system in (e.name for e in catalog.chain(n))]
            raise fail(f"{key}.system", f"{d.system!r} is a {kind}; a deployment names a rack or pod"
                       + (f" (racks that hold it: {', '.join(holders)})" if holders else ""))
        if d.pods is not None and kind != "pod":
            raise fail(f"{key}.pods", f"{d.system!r} is a rack, not a pod; count it by racks, nodes or accelerators")
        if d.nodes is not None and catalog.count_of(d.system, "node") == 0:
            raise fail(f"{key}.nodes", f"{d.system!r} has no node level; count it by racks or accelerators")
    for i, name in enumerate(s.compute.overheads):
        if name not in catalog or catalog[name].kind != "overhead":
            raise fail(f"compute.overheads[{i}]", f"unknown overhead {name!r}; {catalog.suggest(name, 'overhead')}"
                       f"expected one of {', '.join(catalog.names('overhead'))}")
    if len(set(s.compute.overheads)) != len(s.compute.overheads):
        raise fail("compute.overheads", "an overhead is listed twice")
    if s.site.grid_voltage <= s.power.mv_voltage:
        raise fail("site.grid_voltage", f"{s.site.grid_voltage:~P} is not above the MV level "
                   f"{s.power.mv_voltage:~P} (power.mv_voltage); expected the transmission voltage at the point "
                   "of interconnection, e.g. 161 kV or 345 kV")
    stages, mech, _ = architecture_stages(s.power.architecture)
    by_id = {st.id: st for st in [*stages, *mech]}
    for sid, o in s.power.stages.items():
        key = f"power.stages.{sid}"
        if sid not in by_id:
            hint = did_you_mean(sid, sorted(by_id))
            raise fail(key, f"no stage {sid!r} in architecture {s.power.architecture!r}; {hint}expected one of "
                       f"{', '.join(by_id)}")
        if o.equipment is not None:
            want = catalog[by_id[sid].equipment].kind
            if o.equipment not in catalog or catalog[o.equipment].kind != want:
                raise fail(f"{key}.equipment", f"got {o.equipment!r}; expected a {want} of the catalog: "
                           f"{', '.join(catalog.names(want))}")
    _check_cooling(s, catalog, fail)
    if s.load.profile == "csv":
        _check_load_file(_resolve(base, s.load.file), s.load.file, fail)
    for key in s.expect:
        if key not in RESULT_KEYS:
            hint = did_you_mean(key, sorted(RESULT_KEYS))
            raise fail(f"expect.{key}",
                       f"unknown result {key!r}; {hint}expected one of {', '.join(sorted(RESULT_KEYS))}")
    return catalog


#: Largest load CSV read [bytes]: 8,760 rows of a few columns are ~0.2 MB.
MAX_LOAD_FILE_BYTES = 20_000_000


def _check_load_file(path: Path, text: str, fail) -> None:
    """The load CSV exists, is a regular file (not a folder, not a device such as /dev/zero) and is not huge."""
    try:
        if path.is_dir():
            raise fail("load.file", f"{shorten(text)} is a folder; expected a CSV of 8,760 hourly IT loads")
        if not path.exists():
            raise fail("load.file", f"{shorten(text)} does not exist; expected a CSV of 8,760 hourly IT loads")
        if not path.is_file():
            raise fail("load.file", f"{shorten(text)} is not a regular file (a device or a pipe); expected a CSV of "
                       "8,760 hourly IT loads")
        size = path.stat().st_size
    except (OSError, ValueError) as exc:  # a name too long, a NUL in it
        raise fail("load.file", f"cannot look up {shorten(text)} ({getattr(exc, 'strerror', None) or exc}); expected "
                   "a CSV of 8,760 hourly IT loads") from None
    if size > MAX_LOAD_FILE_BYTES:
        raise fail("load.file", f"{shorten(text)} is {size:,} bytes; expected a CSV of 8,760 hourly IT loads of at "
                   f"most {MAX_LOAD_FILE_BYTES:,} bytes")


def _check_cooling(s: Scenario, catalog: Catalog, fail) -> None:
    from models.thermal.coolant import freezing_point

    c = s.cooling
    for key in ("tcs_coolant", "facility_coolant"):
        try:
            freezing_point(getattr(c, key))
        except ValueError as exc:
            raise fail(f"cooling.{key}", str(exc)) from None
    t_freeze = freezing_point(c.tcs_coolant) - 273.15
    if c.tcs_supply.m_as("degC") < t_freeze + 2.0:
        raise fail("cooling.tcs_supply", f"{c.tcs_supply:~P} is below the freezing point of {c.tcs_coolant} "
                   f"({t_freeze:.1f} degC) plus a 2 K margin; expected a warmer supply or another coolant")
    wanted = {"cdu": "cdu", "cold_plate": "cold-plate", "crah": "crah"}
    for key, kind in wanted.items():
        name = getattr(c, key)
        if name not in catalog or catalog[name].kind != kind:
            raise fail(f"cooling.{key}", f"got {name!r}; expected a {kind} of the catalog: "
                       f"{', '.join(catalog.names(kind))}")
    types = c.heat_rejection.parts + c.air_heat_rejection.parts
    for typ, name in c.equipment.items():
        if typ not in types:
            raise fail(f"cooling.equipment.{typ}", f"{typ!r} is not part of the plants '{c.heat_rejection}' / "
                       f"'{c.air_heat_rejection}'")
        if name not in catalog or catalog[name].kind != typ:
            raise fail(f"cooling.equipment.{typ}", f"got {name!r}; expected a {typ} of the catalog: "
                       f"{', '.join(catalog.names(typ))}")


#: Largest scenario file read [bytes]: the bundled scenarios are 1-4 kB; 1 MB holds thousands of catalog overrides.
#: Checked before the file is parsed (CLI, library and explorer alike).
MAX_SCENARIO_BYTES = 1_000_000
#: Deepest nesting of tables and lists in a scenario [-]: the schema's deepest key is 4 levels
#: (``catalog.<name>.efficiency_points[i][j]``); 32 leaves room for any mistake to be reported as one.
MAX_DEPTH = 32


def _depth(data: Any, limit: int) -> int:
    """Nesting depth of tables and lists, counted without recursion, stopping above ``limit``."""
    deepest = 0
    stack = [(data, 0)]
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        if deepest > limit:
            return deepest
        if isinstance(node, dict):
            stack += [(v, d + 1) for v in node.values()]
        elif isinstance(node, list | tuple):
            stack += [(v, d + 1) for v in node]
    return deepest


def parse_scenario_text(text: str | bytes, source: str = "<text>", base: Path | None = None) -> Scenario:
    """Validate a scenario given as TOML text (an upload, a paste); the same checks as :func:`load_scenario`.

    The text is refused before parsing when it is over :data:`MAX_SCENARIO_BYTES`; a UTF-8 byte-order mark is
    allowed; tables and lists nested deeper than :data:`MAX_DEPTH` are refused.
    """
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_SCENARIO_BYTES:
        raise ScenarioError(f"the scenario is {size:,} bytes; expected at most {MAX_SCENARIO_BYTES:,} bytes (a "
                            "scenario file is a few kB)", source=source)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ScenarioError(f"not UTF-8 text (byte {exc.start}); expected a TOML file in UTF-8",
                                source=source) from None
    text = text.removeprefix("\ufeff")  # a byte-order mark written by some editors
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"not valid TOML: {exc}", source=source) from None
    except RecursionError:
        raise ScenarioError(f"not valid TOML: nested too deeply; expected at most {MAX_DEPTH} levels",
                            source=source) from None
    return Scenario.from_dict(data, source=source, base=base)


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file.

    Parameters
    ----------
    path
        Path to a TOML scenario file.

    Raises
    ------
    ScenarioError
        The file is missing, unreadable, not a regular file or larger than :data:`MAX_SCENARIO_BYTES`, is not
        valid TOML (the message gives line and column), or does not fit the schema (the message names the key
        path, the bad value and what is expected).
    """
    if not isinstance(path, str | Path):
        raise ScenarioError(f"got {type(path).__name__} {shorten(path)}; expected the path of a scenario .toml file",
                            source="load_scenario")
    where = str(path)
    if "\x00" in where or len(where) > MAX_PATH:
        raise ScenarioError(f"got {shorten(where)}; expected the path of a scenario .toml file (at most "
                            f"{MAX_PATH:,} characters, no NUL)", source="load_scenario")
    p = Path(path)
    try:
        if not p.exists():
            raise ScenarioError("file not found; expected a path to a scenario .toml file", source=where)
        if p.is_dir():
            raise ScenarioError("is a folder; expected a scenario .toml file", source=where)
        if not p.is_file():
            raise ScenarioError("is not a regular file (a device or a pipe); expected a scenario .toml file",
                                source=where)
        size = p.stat().st_size
        if size > MAX_SCENARIO_BYTES:
            raise ScenarioError(f"the file is {size:,} bytes; expected at most {MAX_SCENARIO_BYTES:,} bytes (a "
                                "scenario file is a few kB)", source=where)
        with p.open("rb") as fh:
            raw = fh.read(MAX_SCENARIO_BYTES + 1)
    except OSError as exc:
        raise ScenarioError(f"cannot read the file ({exc.__class__.__name__}: {exc.strerror or exc})",
                            source=shorten(where, 300)) from None
    return parse_scenario_text(raw, where, p.resolve().parent)


def _plain(value: Any) -> Any:
    if isinstance(value, pint.Quantity):
        return quantity_text(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain TOML-ready data (quantities as strings with their units); loads back to the same
    scenario with :meth:`Scenario.from_dict`."""
    return _plain(scenario.model_dump(exclude_none=True))


def scenario_to_toml(scenario: Scenario) -> str:
    """The scenario as TOML text (see :func:`scenario_to_dict`)."""
    import tomli_w

    return tomli_w.dumps(scenario_to_dict(scenario))
