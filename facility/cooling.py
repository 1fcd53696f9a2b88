"""The cooling chain at the design point: liquid and air loops, CDUs, heat rejection with economiser and trim
chiller, pumps, fans, compressors and water.

Heat paths (every watt that enters leaves; tested to round-off):

* IT heat to liquid -> cold plates -> technology loop (TCS) -> CDU -> facility water (FW) -> plant.
* IT heat to air + the losses of indoor electrical rooms (UPS, switchboards, busways, LV distribution) ->
  CRAH / fan walls -> chilled water (CHW) -> plant. Transformers stand outdoors: their losses go to the air.
* Pump work ends in the water, CRAH fan work in the air: both are carried to the plant. Compressor work is
  rejected with the heat it moves.
* Plant, for each water loop: the economiser device (dry cooler, adiabatic cooler or cooling tower) cools the
  return as far as the design weather allows; a chiller, if the plant has one, trims the rest in series
  (ASHRAE Handbook — HVAC Applications 2019, Ch. 20 "Data Centers", water-side economiser with series chiller).
  A loop whose supply the economiser cannot reach with no chiller allowed is an :class:`InfeasibleDesign`.

Constants that are not in the catalog or the scenario are stated here with their reasoning.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pint

import facility.loops as _loops
from facility.batch import as_float, ratio_or, squeeze
from facility.compiled import quantity as Q_  # (Q_(value, unit) with the unit parsed once)
from facility.compiled import si
from facility.design_conditions import DesignConditions
from facility.errors import InfeasibleDesign, ScenarioError
from facility.inputs import DesignInputs, compile_inputs
from facility.plan import ItLoad
from facility.power import PowerDesign
from facility.redundancy import size_units
from facility.scenario import Scenario
from models.registry import HEAT_REJECTION, heat_rejection_model
from models.thermal.air import air_density, airflow
from models.thermal.chiller import capacity as chiller_capacity
from models.thermal.chiller import condenser_limit as chiller_condenser_limit
from models.thermal.chiller import envelope as chiller_envelope
from models.thermal.cold_plate import case_temperature, cold_plate_resistance
from models.thermal.coolant import fluid_name, freezing_point, properties
from models.thermal.heat_exchanger import glycol_approach_factor, ntu_counterflow
from models.thermal.heat_rejection import COIL_AIR_APPROACH
from models.thermal.hydraulics import pipe_diameter
from models.thermal.plant import (
    CONDENSER_PRESSURE,
    CONDENSER_RANGE,
    CONDENSER_WATER_CP,
    CONDENSER_WATER_DENSITY,
    PIPE_ROUGHNESS,
    WATER_DENSITY,
    LoopSpec,
    PlantSpec,
    condenser_water,
    operate_loop,
    operate_plant,
)

__all__ = ["LoopResult", "PlantResult", "CoolingEquipment", "CoolingDesign", "design_cooling", "LiquidSide", "AirSpec",
           "air_spec", "design_liquid_side", "coupling_cooling_power",
           "DEFAULT_EQUIPMENT", "chiller_name", "condenser_water", "freeze_warning",
           # the plant's constants, with its physics in models.thermal.plant (re-exported for existing callers)
           "CONDENSER_RANGE", "CONDENSER_PRESSURE", "CONDENSER_WATER_CP", "CONDENSER_WATER_DENSITY",
           "COIL_AIR_APPROACH", "WATER_DENSITY", "PIPE_ROUGHNESS"]

_plate_resistance, _case_temperature_kernel = cold_plate_resistance.kernel, case_temperature.kernel
#: Default catalog equipment per heat-rejection type (the chiller depends on the plant: see chiller_name), from
#: the component registry (models.registry).
DEFAULT_EQUIPMENT = {k: m.default_equipment for k, m in HEAT_REJECTION.items()}


@dataclass(frozen=True)
class LoopResult:
    """One fluid loop at design: heat carried [W], temperatures [K], flows, pressure drop [Pa], pump power [W]."""

    name: str
    coolant: str
    heat: pint.Quantity
    supply: pint.Quantity
    return_: pint.Quantity
    mass_flow: pint.Quantity
    volume_flow: pint.Quantity
    pressure_drop: pint.Quantity
    pump_power: pint.Quantity
    pipe_diameter: pint.Quantity | None
    #: Short name of the loop: ``tcs`` (technology loop), ``fw`` (facility water), ``chw`` (chilled water).
    key: str = ""
    #: The sized loop in SI numbers, operated at any heat by :func:`models.thermal.plant.operate_loop`.
    spec: LoopSpec | None = None
    #: Its components with their pressure drop at design flow, ``((name, Pa), ...)`` (:mod:`facility.loops`).
    components: tuple = ()


@dataclass(frozen=True)
class PlantResult:
    """The heat-rejection plant serving one loop at design."""

    loop: str
    economiser: str | None
    economiser_leaving: pint.Quantity | None
    free_cooling_fraction: float
    economiser_heat: pint.Quantity
    chiller_heat: pint.Quantity
    chiller_cop: float | None
    compressor_power: pint.Quantity
    fan_power: pint.Quantity
    condenser_pump_power: pint.Quantity
    heat_rejected: pint.Quantity
    water: pint.Quantity
    #: Short name of the loop served (``fw`` or ``chw``).
    loop_key: str = ""
    #: The sized plant in SI numbers, operated at any weather by :func:`models.thermal.plant.operate_plant`.
    spec: PlantSpec | None = None


@dataclass(frozen=True)
class CoolingEquipment:
    """A line of the cooling equipment list."""

    kind: str
    model: str
    serves: str
    units_required: int
    units_installed: int
    unit_capacity: pint.Quantity
    load: pint.Quantity
    loading_normal: float
    loading_failed: float
    #: Groups sized each with its own redundancy (halls: N+1 per hall), ``units_*`` summed over them.
    groups: int = 1


@dataclass(frozen=True)
class CoolingDesign:
    """The sized cooling chain. Powers and heats [W], water drawn [m³/s], temperatures [K] as Quantities."""

    conditions: DesignConditions
    loops: tuple[LoopResult, ...]
    plants: tuple[PlantResult, ...]
    equipment: tuple[CoolingEquipment, ...]
    heat_to_liquid: pint.Quantity
    heat_to_air: pint.Quantity
    heat_electrical_rooms: pint.Quantity
    pump_power: pint.Quantity
    crah_fan_power: pint.Quantity
    heat_rejection_fan_power: pint.Quantity
    compressor_power: pint.Quantity
    cooling_power: pint.Quantity
    heat_rejected: pint.Quantity
    water: pint.Quantity
    case_temperature: pint.Quantity | None
    case_temperature_max: pint.Quantity | None
    airflow: pint.Quantity
    cdu_effectiveness: float | None = None
    cdu_ntu: float | None = None
    #: For a batch of design points (arrays): which points are infeasible. One point raises instead.
    infeasible: bool | np.ndarray = False
    #: What a planner must add to the design (freeze protection of outdoor coils: :func:`freeze_warning`).
    warnings: tuple[str, ...] = ()

    def loop(self, key: str) -> LoopResult | None:
        """The loop named ``key`` (``tcs``, ``fw`` or ``chw``), or None if the design has none."""
        return next((lp for lp in self.loops if lp.key == key), None)

    def plant(self, key: str) -> PlantResult | None:
        """The plant serving the loop named ``key`` (``fw`` or ``chw``), or None."""
        return next((p for p in self.plants if p.loop_key == key), None)

    @property
    def tcs(self) -> LoopResult:
        """The technology cooling loop."""
        return self.loop("tcs")

    @property
    def fw(self) -> LoopResult:
        """The facility-water loop."""
        return self.loop("fw")

    @property
    def chw(self) -> LoopResult | None:
        """The air side's chilled-water loop (None without heat to air)."""
        return self.loop("chw")

    @property
    def heat_in(self) -> pint.Quantity:
        """Heat that enters the cooling system, work included: IT and room heat + pumps + CRAH fans + compressors."""
        return (self.heat_to_liquid + self.heat_to_air + self.heat_electrical_rooms + self.pump_power
                + self.crah_fan_power + self.compressor_power)


def _equip(kind: str, model: str, serves: str, load: float, capacity: float, scheme: str,
           unit: str = "W", halls: tuple = (1, 1.0)) -> CoolingEquipment:
    """Units of ``capacity`` for ``load`` under ``scheme``, sized per hall (issue #13 item 7: the redundancy sits
    where the failure happens, N+1 in each hall, not one spare pooled over the campus): ``halls = (count, share of
    the load in the fullest hall)``; each hall gets the units of the fullest one
    (:func:`facility.redundancy.size_units`), the counts are summed over the halls."""
    n, share = halls
    r = size_units(load * share, capacity, scheme)
    return CoolingEquipment(kind, model, serves, r.units_required * n, r.units_installed * n, Q_(capacity, unit),
                            Q_(load, unit), r.loading_normal, r.loading_failed, int(np.max(n)))


def hall_split(load: ItLoad) -> tuple:
    """``(halls, share of the campus load in its fullest hall)`` of an IT load: racks spread evenly, the fullest
    hall holds ``racks_per_hall`` of the ``racks``."""
    halls = np.asarray(load.halls)
    share = np.asarray(load.racks_per_hall, dtype=float) / np.maximum(np.asarray(load.racks, dtype=float), 1.0)
    share = np.where(halls > 1, np.minimum(share, 1.0), 1.0)
    return squeeze(halls), squeeze(share)


def _infeasible(mask, message):
    """The points of a batch that fail a check (``mask``, returned); one design point that fails raises
    ``InfeasibleDesign(message())`` instead (its mask is then always False)."""
    if np.ndim(mask) == 0:
        if mask:
            raise InfeasibleDesign(message())
        return False
    return np.asarray(mask, dtype=bool)


def _loop_sizing(coolant: str, heat, supply, delta_t, dp_components: float, pipe_length: float, velocity: float,
                 eta: float, with_pipe: bool, props: dict | None = None,
                 friction_rate: float = 400.0) -> tuple[LoopSpec, Any]:
    """Size a loop in SI numbers (coolant at its mean temperature, main pipe within ``velocity`` [m/s] and
    ``friction_rate`` [Pa/m] at the design flow: :func:`models.thermal.hydraulics.pipe_diameter`) and operate it at
    its design heat with :func:`models.thermal.plant.operate_loop`: ``(spec, state)``. ``props``: the coolant's
    properties at the mean temperature when already known."""
    if props is None:
        props = properties(coolant, supply + delta_t / 2.0)
    rho, cp, mu = as_float(props["density"]), as_float(props["cp"]), as_float(props["viscosity"])
    v = heat / (cp * delta_t) / rho
    diameter = None
    if with_pipe and np.any(v > 0):
        diameter = as_float(pipe_diameter(v, velocity, friction_rate, rho, mu, PIPE_ROUGHNESS))
    spec = LoopSpec(rho=rho, cp=cp, mu=mu, delta_t=delta_t, dp_components=dp_components, flow_design=v,
                    diameter=diameter, pipe_length=pipe_length, pump_efficiency=eta)
    return spec, operate_loop(spec, heat)


def _loop_result(key: str, name: str, coolant: str, heat, supply, delta_t, spec: LoopSpec, op,
                 components: tuple = ()) -> LoopResult:
    """The Quantities of a sized loop."""
    return LoopResult(name, coolant, Q_(heat, "W"), Q_(supply, "K"), Q_(supply + delta_t, "K"),
                      Q_(as_float(op.mass_flow), "kg/s"), Q_(as_float(op.volume_flow), "m^3/s"),
                      Q_(as_float(op.pressure_drop), "Pa"), Q_(as_float(op.pump_power), "W"),
                      Q_(spec.diameter, "m") if spec.diameter is not None else None, key, spec, components)


def _loop(key: str, name: str, coolant: str, heat, supply, delta_t, components: tuple,
          pipe_length: float, velocity: float, eta: float, with_pipe: bool, friction_rate: float = 400.0) -> LoopResult:
    """Size a loop (:func:`_loop_sizing`) for the summed pressure drop of its ``components`` and give its result."""
    spec, op = _loop_sizing(coolant, heat, supply, delta_t, _loops.total(components), pipe_length, velocity, eta,
                            with_pipe, None, friction_rate)
    return _loop_result(key, name, coolant, heat, supply, delta_t, spec, op, components)


def chiller_name(s: Scenario, economiser: str | None) -> str:
    """The catalog chiller of a plant: the scenario's choice, else water-cooled with a device that circulates
    condenser water (a tower: registry attribute ``condenser_water``), air-cooled otherwise."""
    if "chiller" in s.cooling.equipment:
        return s.cooling.equipment["chiller"]
    wet = economiser is not None and heat_rejection_model(economiser).condenser_water
    return "chiller-water-cooled" if wet else "chiller-air-cooled"


def _plant_spec(s: Scenario, inp: DesignInputs, plant, coolant: str | None = None, t_mean=None,
                air: tuple | None = None) -> tuple[PlantSpec, str, str]:
    """Compile the plant ``plant`` (economiser and trim) of a loop to a :class:`~models.thermal.plant.PlantSpec`
    (SI numbers; ``device_size`` None: sized at the design point): ``(spec, economiser entry, chiller entry)``.

    ``coolant`` of the loop the plant serves (``None``: water) at its mean temperature ``t_mean`` [K]: a
    closed-circuit cooler's (registry ``air_inlet``) water-rated approach grows by
    :func:`models.thermal.heat_exchanger.glycol_approach_factor` for a glycol mixture (freeze protection:
    :func:`freeze_warning`). ``air``: the hall's (supply, return) air [K] for the air side's plant, where an
    air-side device (registry ``medium = "air"``) may serve."""
    c, cat = s.cooling, s.hardware
    econ, has_chiller = plant.economiser, plant.trim == "chiller"
    dev = heat_rejection_model(econ) if econ else None
    if dev is not None and dev.medium == "air" and air is None:
        raise ScenarioError(f"{econ!r} cools a hall's air, not the facility water; expected it in "
                            "cooling.air_heat_rejection, and a water-side device here (e.g. 'dry-cooler+chiller')",
                            source=s.source, key="cooling.heat_rejection")
    e_name = c.equipment.get(econ, dev.default_equipment) if dev else ""
    params = {f: cat.si(e_name)[f] for f in dev.fields} if dev else {}
    if dev is not None and dev.air_inlet is not None and coolant is not None:
        if fluid_name(coolant) != fluid_name("water"):
            w, g = properties("water", t_mean), properties(coolant, t_mean)
            params["approach"] = params["approach"] * glycol_approach_factor(
                w["cp"], w["viscosity"], w["conductivity"], g["cp"], g["viscosity"], g["conductivity"])
    ch = None
    ch_name = ""
    if has_chiller:
        ch_name = chiller_name(s, econ)
        ch = cat[ch_name]
        if ch.condenser == "water" and dev is not None and dev.medium == "air":
            raise ScenarioError(f"the water-cooled chiller {ch_name!r} cannot reject to the air-side device {econ!r}; "
                                "expected an air-cooled chiller (cooling.equipment.chiller)", source=s.source,
                                key="cooling.equipment.chiller")
        if ch.condenser == "water" and dev is None:
            raise ScenarioError(f"the water-cooled chiller {ch_name!r} needs a cooling tower or cooler to reject to; "
                                "expected an air-cooled chiller or a plant with a tower", source=s.source,
                                key="cooling.equipment.chiller")
    chs = cat.si(ch_name) if ch is not None else {}
    spec = PlantSpec(device=dev, params=params, device_size=None, chiller=has_chiller,
                     water_cooled=bool(ch is not None and ch.condenser == "water"),
                     chiller_params=chs, chiller_capacity=chs.get("capacity"), pump_efficiency=inp.pump_efficiency,
                     air_supply=air[0] if air else None, air_return=air[1] if air else None)
    return spec, e_name, ch_name


def freeze_warning(s: Scenario, economiser: str | None, coolant: str, loop: str,
                   remedy: str = "cooling.facility_coolant = \"pg25\" or \"eg25\", whose approach the model "
                                 "derates, or a drain-down / heat-traced design") -> str | None:
    """Why a closed-circuit cooler (registry ``air_inlet``) of the plant serving ``loop`` needs freeze protection,
    or ``None``: the site's coldest hour is below the freezing point of the ``coolant`` it holds (a cooler idle or
    at low flow in a frost freezes and bursts its tubes; glycol or drain-down protection is the usual answer,
    ASHRAE Handbook — HVAC Systems and Equipment 2020, Ch. 13, freeze protection of hydronic systems)."""
    if economiser is None or heat_rejection_model(economiser).air_inlet is None:
        return None
    from facility.weather import load_weather

    t_min = float(np.min(load_weather(s.weather_path).dry_bulb))
    t_freeze = freezing_point(coolant)
    if t_min >= t_freeze:
        return None
    return (f"{loop}: the {economiser} holds {coolant}, which freezes at {t_freeze - 273.15:.1f} degC, and the site's "
            f"coldest hour is {t_min - 273.15:.1f} degC ({s.weather_path.name}): the outdoor coils need freeze "
            f"protection ({remedy})")


def _plant_at_design(spec: PlantSpec, cond: DesignConditions, sup, ret, q):
    """Operate a plant at the design weather (:func:`~models.thermal.plant.operate_plant`, the function the year
    uses for every hour); its device sees the wet bulb it is sized at (registry ``design_wet_bulb``)."""
    db, cwb, wb = si(cond.dry_bulb, "K"), si(cond.coincident_wet_bulb, "K"), si(cond.wet_bulb, "K")
    dev = spec.device
    wet_bulb = wb if dev is not None and dev.design_wet_bulb == "extreme" else cwb
    return operate_plant(spec, db, wet_bulb, sup, ret, q)


def _plant(s: Scenario, inp: DesignInputs, loop: LoopResult, plant, cond: DesignConditions,
           equipment: list[CoolingEquipment], sized=None, halls: tuple = (1, 1.0)) -> tuple[PlantResult, Any]:
    """Size the plant ``plant`` of a loop at the design weather (:func:`_plant_spec`, :func:`_plant_at_design`;
    ``sized``: those two already computed, ``(spec, economiser entry, chiller entry, state)``): its result, its
    equipment (appended to ``equipment``) and the mask of infeasible points."""
    c = s.cooling
    econ, has_chiller = plant.economiser, plant.trim == "chiller"
    q = si(loop.heat, "W") + si(loop.pump_power, "W")  # pump work ends in the water
    sup = si(loop.supply, "K")
    if sized is None:
        spec, e_name, ch_name = _plant_spec(s, inp, plant, loop.coolant,
                                            (si(loop.supply, "K") + si(loop.return_, "K")) / 2.0)
        op = _plant_at_design(spec, cond, sup, si(loop.return_, "K"), q)
    else:
        spec, e_name, ch_name, op = sized
    dev = spec.device
    leaving = as_float(op.leaving) if dev is not None else None
    q_ch = as_float(op.chiller_heat)
    bad = False
    if not has_chiller:
        db, wb = si(cond.dry_bulb, "K"), si(cond.wet_bulb, "K")
        what = f"{econ} reaches {{:.1f}} degC" if econ else "nothing"
        bad = _infeasible(q_ch > 1e-9 * np.maximum(q, 1.0), lambda: (
            f"{loop.name}: supply {sup - 273.15:.1f} degC needed, but at the design weather ({cond.source}: dry bulb "
            f"{db - 273.15:.1f} degC, wet bulb {wb - 273.15:.1f} degC) the {what.format(leaving - 273.15)}, "
            f"{leaving - sup:.1f} K too warm, and the plant '{plant}' has no chiller; allow a chiller, raise the "
            "supply temperature or choose a colder heat sink"))
    cop_v = None
    runs = q_ch > 0
    if has_chiller and np.any(runs):
        cp = spec.chiller_params
        t_cond = op.leaving if spec.water_cooled else si(cond.dry_bulb, "K")
        out = runs & ((sup < cp["leaving_min"] - 1e-9) | (np.asarray(t_cond) > chiller_condenser_limit(cp) + 1e-9))
        bad = bad | _infeasible(out, lambda: (
            f"{loop.name}: the chiller {ch_name!r} cannot run at the design weather ({cond.source}): "
            f"{chiller_envelope(as_float(sup), as_float(t_cond), cp)}; choose a chiller whose envelope covers it "
            "(cooling.equipment.chiller), a colder heat sink or a warmer supply"))
        cop_v = squeeze(np.where(runs, op.chiller_cop, math.nan))  # (a batch's points without the chiller: NaN)
        cap = as_float(chiller_capacity(sup, t_cond, cp))  # available at the design temperatures (CAPFT)
        equipment.append(_equip("chiller", ch_name, loop.name, q_ch, cap, c.chiller_redundancy, halls=halls))
    size = as_float(op.device_size)
    if dev is not None:
        equipment.append(_equip(econ, e_name, loop.name, size, spec.params["capacity"], c.heat_rejection_redundancy,
                                halls=halls))
    spec = PlantSpec(**{**spec.__dict__, "device_size": size})
    return PlantResult(loop.name, econ, Q_(leaving, "K") if leaving is not None else None,
                       as_float(op.economiser_share), Q_(as_float(op.economiser_heat), "W"), Q_(q_ch, "W"), cop_v,
                       Q_(as_float(op.compressor_power), "W"), Q_(as_float(op.fan_power), "W"),
                       Q_(as_float(op.condenser_pump_power), "W"), Q_(as_float(op.heat_rejected), "W"),
                       Q_(as_float(op.water) / WATER_DENSITY, "m^3/s"), loop.key, spec), bad


def plate_flow(s: Scenario, load: ItLoad, q_liq, inputs: DesignInputs) -> Any:
    """Design flow through each cold plate [m³/s]: the technology loop's design flow (its heat at its rise, as
    :func:`_loop_sizing`) over the accelerators of the liquid-cooled deployments, one plate each. ``inputs``: the
    scenario's design numbers (:func:`facility.inputs.compile_inputs`; required: a batch's arrays)."""
    c, inp = s.cooling, inputs
    sup, dt = inp.tcs_supply, inp.tcs_delta_t
    props = properties(c.tcs_coolant, sup + dt / 2.0)
    rho, cp = as_float(props["density"]), as_float(props["cp"])
    plates = sum(np.asarray(d.accelerators, dtype=float) for d in load.deployments if d.liquid_fraction > 0)
    v = np.asarray(q_liq, dtype=float) / (cp * dt) / rho
    return ratio_or(v, plates, 0.0)


def _case_temperature(s: Scenario, inp: DesignInputs, load: ItLoad, flow) -> tuple[float | None, float]:
    """Hottest chip case temperature [K] of the liquid-cooled deployments at design, and the plate's limit [K]
    (:mod:`models.thermal.cold_plate`: resistance at the flow through each plate, ``flow`` [m³/s], and case
    temperature)."""
    c, cat = s.cooling, s.hardware
    plate = cat.si(c.cold_plate)
    t_max = plate["case_temperature_max"]
    sup, dt = inp.tcs_supply, inp.tcs_delta_t
    props = properties(c.tcs_coolant, sup + dt / 2.0)
    rho, cp = as_float(props["density"]), as_float(props["cp"])
    r = _plate_resistance(flow, plate["rated_flow"], plate["resistance"], plate["flow_exponent"],
                          plate["resistance_fixed"])
    worst = None
    for d in load.deployments:
        if d.liquid_fraction <= 0:
            continue
        p = cat.si(cat.accelerator(d.system).name)["power_max"]
        t_case = _case_temperature_kernel(sup, p, rho * flow, cp, r)
        worst = t_case if worst is None else np.maximum(worst, t_case)
    return worst, t_max


@dataclass(frozen=True)
class LiquidSide:
    """The liquid side sized at design: technology loop, CDUs, facility water and its plant, chip case
    temperature. It does not depend on the power chain, so the coupling sizes it once
    (:func:`design_liquid_side`) and passes it to every :func:`design_cooling`."""

    tcs: LoopResult
    fw: LoopResult
    plant: PlantResult | None
    cdu_equipment: tuple[CoolingEquipment, ...]
    plant_equipment: tuple[CoolingEquipment, ...]
    heat_to_liquid: Any
    cdu_effectiveness: Any
    cdu_ntu: Any
    case_temperature: Any
    case_temperature_max: Any
    infeasible: Any

    @functools.cached_property
    def electric_power(self) -> Any:
        """Technology-loop and facility-water pumps and the plant's compressors, fans and condenser pumps [W]
        (computed once: the coupling reads it on every pass)."""
        p = si(self.tcs.pump_power, "W") + si(self.fw.pump_power, "W")
        if self.plant is not None:
            p = (p + si(self.plant.condenser_pump_power, "W") + si(self.plant.fan_power, "W")
                 + si(self.plant.compressor_power, "W"))
        return p


def design_liquid_side(scenario: Scenario, load: ItLoad, conditions: DesignConditions,
                       inputs: DesignInputs) -> LiquidSide:
    """Size the liquid side of the cooling chain at the design weather (see :class:`LiquidSide`). ``inputs``: the
    scenario's design numbers in SI (:func:`facility.inputs.compile_inputs`; required: a batch's arrays).

    Raises
    ------
    InfeasibleDesign
        The facility-water loop's plant cannot reach its supply without a chiller, the facility water would
        return above the technology-loop return, or a chip case temperature is above the cold plate's limit.
    """
    c, cat, inp = scenario.cooling, scenario.hardware, inputs
    eta = inp.pump_efficiency
    equipment: list[CoolingEquipment] = []
    q_liq = si(load.heat_to_liquid, "W")
    cdu, cdu_si = cat[c.cdu], cat.si(c.cdu)
    v_plate = plate_flow(scenario, load, q_liq, inp)  # the flow through each cold plate
    tcs = _loop("tcs", "technology loop (TCS)", c.tcs_coolant, q_liq, inp.tcs_supply, inp.tcs_delta_t,
                _loops.loop_components(scenario, "tcs", v_plate, inputs=inp), 0.0, 1.0, eta, with_pipe=False)
    q_fw = q_liq + si(tcs.pump_power, "W")
    if cdu.placement == "in-rack":
        cap = cdu_si["capacity"]
        per_rack = [(d.racks, math.ceil(si(d.rack_power_max, "W") * d.liquid_fraction / cap))
                    for d in load.deployments if d.liquid_fraction > 0]
        n = sum(r * k for r, k in per_rack)
        loading = ratio_or(q_fw, n * cap, 0.0)
        equipment.append(CoolingEquipment("cdu", c.cdu, "technology loop (TCS)", n, n, Q_(cap, "W"), Q_(q_fw, "W"),
                                          loading, loading))
    elif np.any(q_liq > 0):
        equipment.append(_equip("cdu", c.cdu, "technology loop (TCS)", q_fw, cdu_si["capacity"],
                                c.cdu_redundancy, halls=hall_split(load)))
    fw_supply = inp.tcs_supply - cdu_si["approach"]
    fw_too_warm = (q_liq > 0) & (fw_supply + inp.facility_delta_t > si(tcs.return_, "K") - 1e-9)
    bad = _infeasible(fw_too_warm, lambda: (
        f"facility water would return at {fw_supply + inp.facility_delta_t - 273.15:.1f} degC, above the "
        f"technology loop return {tcs.return_.m_as('degC'):.1f} degC it is heated by; expected facility_delta_t "
        f"<= tcs_delta_t + CDU approach ({inp.tcs_delta_t + cdu_si['approach']:.1f} K)"))
    fw = _loop("fw", "facility water (FW)", c.facility_coolant, q_fw, fw_supply, inp.facility_delta_t,
               _loops.loop_components(scenario, "fw", inputs=inp), inp.pipe_length, inp.pipe_velocity, eta, True,
               inp.pipe_friction_rate)
    eps = ntu = None
    if np.any(q_liq > 0):  # the CDU as a counterflow exchanger: effectiveness on the side with the smaller capacity
        c_tcs = q_fw / inp.tcs_delta_t  # rate
        c_fw = q_fw / inp.facility_delta_t
        c_min, c_max = np.minimum(c_tcs, c_fw), np.maximum(c_tcs, c_fw)
        eps = as_float(q_fw / (c_min * (si(tcs.return_, "K") - fw_supply)))
        ntu = as_float(ntu_counterflow(np.where(fw_too_warm, 0.5, eps), c_min / c_max))  # infeasible points: any eps
    case, case_max = _case_temperature(scenario, inp, load, v_plate) if np.any(q_liq > 0) else (None, None)
    if case is not None:
        bad = bad | _infeasible(case > case_max, lambda: (
            f"chip case temperature {case - 273.15:.1f} degC exceeds the cold plate limit {case_max - 273.15:.1f} "
            f"degC by {case - case_max:.1f} K at a {inp.tcs_supply - 273.15:.1f} degC technology-loop supply; "
            f"expected a colder supply (below {inp.tcs_supply - 273.15 - (case - case_max):.1f} degC) or a better "
            "cold plate"))
    plant_equipment: list[CoolingEquipment] = []
    plant = None
    if np.any(si(fw.heat, "W") > 0):
        plant, mask = _plant(scenario, inp, fw, c.heat_rejection, conditions, plant_equipment, halls=hall_split(load))
        bad = bad | mask
    return LiquidSide(tcs, fw, plant, tuple(equipment), tuple(plant_equipment), q_liq, eps, ntu, case, case_max, bad)


@dataclass(frozen=True)
class AirSide:
    """The air side at design in SI numbers: electrical-room heat and air-side heat [W], airflow [m3/s], CRAH fans
    [W]; the chilled-water loop (``chw``: supply [K], :class:`~models.thermal.plant.LoopSpec`, its state) and its
    plant (``plant``: spec, economiser entry, chiller entry, state), or None."""

    rooms: Any
    heat: Any
    airflow: Any
    crah_fans: Any
    chw: tuple | None
    plant: tuple | None

    @property
    def electric_power(self) -> Any:
        """CRAH fans, chilled-water pumps and the plant's compressors, fans and condenser pumps [W]."""
        p = self.crah_fans
        if self.chw is not None:
            p = p + self.chw[2].pump_power
        if self.plant is not None:
            op = self.plant[3]
            p = p + op.condenser_pump_power + op.fan_power + op.compressor_power
        return p


@dataclass(frozen=True)
class AirSpec:
    """What the air side needs that does not depend on the power chain, in SI numbers, compiled once per campus
    (:func:`air_spec`): the IT heat to air ``it_heat`` [W], the CRAH entry ``crah`` (SI), the supply air density
    ``rho_air`` [kg/m3], the chilled-water supply ``chw_supply`` [K], rise ``chw_delta_t`` [K], components'
    pressure drop ``dp`` [Pa], ``pipe_length`` [m], ``pipe_velocity`` [m/s], pump efficiency ``eta`` [-], the water
    properties at the loop's mean temperature ``props`` (None outside the tables), and the plant (``plant``:
    spec, economiser entry, chiller entry; or the ScenarioError its compilation raised) with the design weather
    ``conditions``."""

    it_heat: Any
    crah: dict
    rho_air: Any
    chw_supply: float
    chw_delta_t: float
    dp: float
    pipe_length: float
    pipe_velocity: float
    pipe_friction_rate: float
    eta: float
    props: dict | None
    plant: tuple | ScenarioError
    conditions: DesignConditions


def air_spec(scenario: Scenario, load: ItLoad, conditions: DesignConditions, inputs: DesignInputs) -> AirSpec:
    """Compile the air side's constants once (see :class:`AirSpec`; ``inputs``: the scenario's design numbers,
    :func:`facility.inputs.compile_inputs`; required: a batch's arrays)."""
    c, cat, inp = scenario.cooling, scenario.hardware, inputs
    crah = cat.si(c.crah)
    rho_air = as_float(air_density(conditions.pressure.m_as("Pa"), inp.air_supply))
    chw_supply = inp.air_supply - crah["coil_approach"]
    dt = inp.chw_delta_t
    t_air = inp.air_supply
    try:
        plant: tuple | ScenarioError = _plant_spec(scenario, inp, c.air_heat_rejection,
                                                   air=(t_air, t_air + crah["air_delta_t"]))
    except ScenarioError as exc:  # raised where the air side has a plant to size, as before (see _air_side)
        plant = exc
    try:
        props: dict | None = properties("water", chw_supply + dt / 2.0)
    except ValueError:  # (outside the tables: raised where the chilled-water loop is sized, as before)
        props = None
    return AirSpec(si(load.heat_to_air, "W"), crah, rho_air, chw_supply, dt,
                   _loops.total(_loops.loop_components(scenario, "chw", inputs=inp)), inp.pipe_length,
                   inp.pipe_velocity, inp.pipe_friction_rate, inp.pump_efficiency, props, plant,
                   conditions)


def _air_side(a: AirSpec, power) -> AirSide:
    """Size the air side on SI numbers for the electrical-room losses of ``power`` (see :func:`design_cooling`)."""
    rooms = power.electrical_room_loss()
    q_air = a.it_heat + rooms
    crah = a.crah
    v_air = as_float(airflow(q_air, crah["air_delta_t"], a.rho_air))
    crah_fans = v_air * crah["fan_pressure"] / crah["fan_efficiency"]
    chw = plant = None
    if np.any(q_air > 0):
        chw_supply = a.chw_supply
        q_chw, dt = q_air + crah_fans, a.chw_delta_t
        spec, op = _loop_sizing("water", q_chw, chw_supply, dt, a.dp, a.pipe_length, a.pipe_velocity, a.eta, True,
                                a.props, a.pipe_friction_rate)
        chw = (chw_supply, spec, op)
        if np.any(q_chw > 0):
            if isinstance(a.plant, ScenarioError):
                raise a.plant
            pspec, e_name, ch_name = a.plant
            q = q_chw + as_float(op.pump_power)  # pump work ends in the water
            plant = (pspec, e_name, ch_name, _plant_at_design(pspec, a.conditions, chw_supply, chw_supply + dt, q))
    return AirSide(rooms, q_air, v_air, crah_fans, chw, plant)


def coupling_cooling_power(scenario: Scenario, load: ItLoad, power, conditions: DesignConditions,
                           liquid: LiquidSide, air: AirSpec | None, inputs: DesignInputs):
    """Cooling electric power [W] at design for the power chain ``power`` (a :class:`~facility.power.ChainSizing`
    inside the coupling), on SI numbers: the liquid side's (sized once) plus the air side's. Equal to
    ``design_cooling(...).cooling_power`` without building its Quantities. ``air``: the air side's constants
    (:func:`air_spec`; the coupling compiles them once), or None to compile them here from ``inputs`` (the
    design numbers, required: a batch's arrays)."""
    a = air_spec(scenario, load, conditions, inputs) if air is None else air
    return liquid.electric_power + _air_side(a, power).electric_power


def design_cooling(scenario: Scenario, load: ItLoad, power: PowerDesign, conditions: DesignConditions,
                   liquid: LiquidSide | None = None, air: AirSpec | None = None,
                   inputs: DesignInputs | None = None) -> CoolingDesign:
    """Size the cooling chain of a scenario at its design weather.

    Parameters
    ----------
    scenario
        The scenario (its ``[cooling]`` section and catalog).
    load
        The IT load (heat to liquid and to air at design).
    power
        The power chain at design (indoor electrical-room losses are cooled by the air side): a
        :class:`~facility.power.PowerDesign` or, inside the coupling, its SI sizing
        (:class:`~facility.power.ChainSizing`); only its ``electrical_room_loss()`` is read.
    conditions
        Design weather (:func:`facility.design_conditions.design_conditions`).
    liquid
        The liquid side already sized for this scenario, load and weather (:func:`design_liquid_side`; the
        coupling sizes it once). Default: sized here.
    air
        The air side's constants (:func:`air_spec`, compiled once by the coupling). Default: compiled here.
    inputs
        The scenario's design numbers in SI (:func:`facility.inputs.compile_inputs`; a batch's arrays). Default:
        compiled here from the scenario.

    Raises
    ------
    InfeasibleDesign
        A loop supply the plant cannot reach without a chiller, a facility-water return above the technology-loop
        return, or a chip case temperature above the cold plate's limit.
    """
    c, cat = scenario.cooling, scenario.hardware
    inp = compile_inputs(scenario) if inputs is None else inputs
    liq = design_liquid_side(scenario, load, conditions, inp) if liquid is None else liquid
    bad = liq.infeasible
    # ------------------------------------------------------------------ air path
    air = _air_side(air_spec(scenario, load, conditions, inp) if air is None else air, power)
    rooms, q_air, v_air, crah_fans = air.rooms, air.heat, air.airflow, air.crah_fans
    air_equipment: list[CoolingEquipment] = []
    loops = [liq.tcs, liq.fw]
    if air.chw is not None:
        air_equipment.append(_equip("crah", c.crah, "air side", q_air, cat.si(c.crah)["capacity"], c.crah_redundancy,
                                    halls=hall_split(load)))
        chw_supply, spec, op = air.chw
        loops.append(_loop_result("chw", "chilled water (air side)", "water", q_air + crah_fans, chw_supply,
                                  inp.chw_delta_t, spec, op, _loops.loop_components(scenario, "chw", inputs=inp)))
    plant_equipment = list(liq.plant_equipment)
    plants = [liq.plant] if liq.plant is not None else []
    if air.plant is not None:
        plant, mask = _plant(scenario, inp, loops[2], c.air_heat_rejection, conditions, plant_equipment, air.plant,
                             halls=hall_split(load))
        plants.append(plant)
        bad = bad | mask
    plants = tuple(plants)
    pumps = sum(si(lp.pump_power, "W") for lp in loops) + sum(si(p.condenser_pump_power, "W") for p in plants)
    fans = sum(si(p.fan_power, "W") for p in plants)
    comp = sum(si(p.compressor_power, "W") for p in plants)
    case, case_max = liq.case_temperature, liq.case_temperature_max
    return CoolingDesign(
        conditions=conditions, loops=tuple(loops), plants=plants,
        equipment=(*liq.cdu_equipment, *air_equipment, *plant_equipment),
        heat_to_liquid=Q_(liq.heat_to_liquid, "W"), heat_to_air=load.heat_to_air.to("W"),
        heat_electrical_rooms=Q_(rooms, "W"),
        pump_power=Q_(pumps, "W"), crah_fan_power=Q_(crah_fans, "W"), heat_rejection_fan_power=Q_(fans, "W"),
        compressor_power=Q_(comp, "W"), cooling_power=Q_(pumps + crah_fans + fans + comp, "W"),
        heat_rejected=Q_(sum(si(p.heat_rejected, "W") for p in plants), "W"),
        water=Q_(sum(si(p.water, "m^3/s") for p in plants), "m^3/s"),
        case_temperature=Q_(case, "K") if case is not None else None,
        case_temperature_max=Q_(case_max, "K") if case_max is not None else None, airflow=Q_(v_air, "m^3/s"),
        cdu_effectiveness=liq.cdu_effectiveness, cdu_ntu=liq.cdu_ntu, infeasible=bad,
        warnings=tuple(w for w in (
            freeze_warning(scenario, c.heat_rejection.economiser, c.facility_coolant, liq.fw.name)
            if liq.plant is not None else None,
            freeze_warning(scenario, c.air_heat_rejection.economiser, "water", loops[2].name,
                           "a glycol loop between the coolers and the chilled water, or a drain-down / heat-traced "
                           "design; the chilled-water loop is modelled with water")
            if air.plant is not None else None) if w))
