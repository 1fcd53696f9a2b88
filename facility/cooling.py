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

from facility.batch import as_float
from facility.compiled import quantity as Q_  # (Q_(value, unit) with the unit parsed once)
from facility.compiled import si
from facility.design_conditions import DesignConditions
from facility.errors import InfeasibleDesign, ScenarioError
from facility.plan import ItLoad
from facility.power import PowerDesign
from facility.redundancy import size_units
from facility.scenario import Scenario
from models.registry import HEAT_REJECTION, heat_rejection_model
from models.thermal.air import air_density, airflow
from models.thermal.cold_plate import case_temperature, cold_plate_resistance
from models.thermal.coolant import properties
from models.thermal.heat_exchanger import ntu_counterflow
from models.thermal.heat_rejection import COIL_AIR_APPROACH
from models.thermal.plant import (
    CONDENSER_PRESSURE,
    CONDENSER_RANGE,
    CONDENSER_WATER_CP,
    CONDENSER_WATER_DENSITY,
    EVAP_APPROACH,
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
           "DEFAULT_EQUIPMENT", "chiller_name", "condenser_water",
           # the plant's constants, with its physics in models.thermal.plant (re-exported for existing callers)
           "CONDENSER_RANGE", "CONDENSER_PRESSURE", "CONDENSER_WATER_CP", "CONDENSER_WATER_DENSITY", "EVAP_APPROACH",
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
           unit: str = "W") -> CoolingEquipment:
    r = size_units(load, capacity, scheme)
    return CoolingEquipment(kind, model, serves, r.units_required, r.units_installed, Q_(capacity, unit),
                            Q_(load, unit), r.loading_normal, r.loading_failed)


def _infeasible(mask, message):
    """The points of a batch that fail a check (``mask``, returned); one design point that fails raises
    ``InfeasibleDesign(message())`` instead (its mask is then always False)."""
    if np.ndim(mask) == 0:
        if mask:
            raise InfeasibleDesign(message())
        return False
    return np.asarray(mask, dtype=bool)


def _loop_sizing(coolant: str, heat, supply, delta_t, dp_components: float, pipe_length: float, velocity: float,
                 eta: float, with_pipe: bool, props: dict | None = None) -> tuple[LoopSpec, Any]:
    """Size a loop in SI numbers (coolant at its mean temperature, pipe for ``velocity`` at the design flow) and
    operate it at its design heat with :func:`models.thermal.plant.operate_loop`: ``(spec, state)``. ``props``:
    the coolant's properties at the mean temperature when already known."""
    if props is None:
        props = properties(coolant, supply + delta_t / 2.0)
    rho, cp, mu = as_float(props["density"]), as_float(props["cp"]), as_float(props["viscosity"])
    v = heat / (cp * delta_t) / rho
    diameter = None
    if with_pipe and np.any(v > 0):
        diameter = as_float(np.sqrt(4.0 * v / (math.pi * velocity)))
    spec = LoopSpec(rho=rho, cp=cp, mu=mu, delta_t=delta_t, dp_components=dp_components, flow_design=v,
                    diameter=diameter, pipe_length=pipe_length, pump_efficiency=eta)
    return spec, operate_loop(spec, heat)


def _loop_result(key: str, name: str, coolant: str, heat, supply, delta_t, spec: LoopSpec, op) -> LoopResult:
    """The Quantities of a sized loop."""
    return LoopResult(name, coolant, Q_(heat, "W"), Q_(supply, "K"), Q_(supply + delta_t, "K"),
                      Q_(as_float(op.mass_flow), "kg/s"), Q_(as_float(op.volume_flow), "m^3/s"),
                      Q_(as_float(op.pressure_drop), "Pa"), Q_(as_float(op.pump_power), "W"),
                      Q_(spec.diameter, "m") if spec.diameter is not None else None, key, spec)


def _loop(key: str, name: str, coolant: str, heat, supply, delta_t, dp_components: float,
          pipe_length: float, velocity: float, eta: float, with_pipe: bool) -> LoopResult:
    """Size a loop (:func:`_loop_sizing`) and give its result."""
    spec, op = _loop_sizing(coolant, heat, supply, delta_t, dp_components, pipe_length, velocity, eta, with_pipe)
    return _loop_result(key, name, coolant, heat, supply, delta_t, spec, op)


def chiller_name(s: Scenario, economiser: str | None) -> str:
    """The catalog chiller of a plant: the scenario's choice, else water-cooled with a device that circulates
    condenser water (a tower: registry attribute ``condenser_water``), air-cooled otherwise."""
    if "chiller" in s.cooling.equipment:
        return s.cooling.equipment["chiller"]
    wet = economiser is not None and heat_rejection_model(economiser).condenser_water
    return "chiller-water-cooled" if wet else "chiller-air-cooled"


def _plant_spec(s: Scenario, plant) -> tuple[PlantSpec, str, str]:
    """Compile the plant ``plant`` (economiser and trim) of a loop to a :class:`~models.thermal.plant.PlantSpec`
    (SI numbers; ``device_size`` None: sized at the design point): ``(spec, economiser entry, chiller entry)``."""
    c, cat = s.cooling, s.hardware
    econ, has_chiller = plant.economiser, plant.trim == "chiller"
    dev = heat_rejection_model(econ) if econ else None
    e_name = c.equipment.get(econ, dev.default_equipment) if dev else ""
    params = {f: cat.si(e_name)[f] for f in dev.fields} if dev else {}
    ch = None
    ch_name = ""
    if has_chiller:
        ch_name = chiller_name(s, econ)
        ch = cat[ch_name]
        if ch.condenser == "water" and dev is None:
            raise ScenarioError(f"the water-cooled chiller {ch_name!r} needs a cooling tower or cooler to reject to; "
                                "expected an air-cooled chiller or a plant with a tower", source=s.source,
                                key="cooling.equipment.chiller")
    chs = cat.si(ch_name) if ch is not None else {}
    spec = PlantSpec(device=dev, params=params, device_size=None, chiller=has_chiller,
                     water_cooled=bool(ch is not None and ch.condenser == "water"),
                     eta_ii=chs.get("second_law_efficiency"), condenser_approach=chs.get("condenser_approach"),
                     chiller_capacity=chs.get("capacity"), pump_efficiency=c.pump_efficiency)
    return spec, e_name, ch_name


def _plant_at_design(spec: PlantSpec, cond: DesignConditions, sup, ret, q):
    """Operate a plant at the design weather (:func:`~models.thermal.plant.operate_plant`, the function the year
    uses for every hour); its device sees the wet bulb it is sized at (registry ``design_wet_bulb``)."""
    db, cwb, wb = si(cond.dry_bulb, "K"), si(cond.coincident_wet_bulb, "K"), si(cond.wet_bulb, "K")
    dev = spec.device
    wet_bulb = wb if dev is not None and dev.design_wet_bulb == "extreme" else cwb
    return operate_plant(spec, db, wet_bulb, sup, ret, q)


def _plant(s: Scenario, loop: LoopResult, plant, cond: DesignConditions,
           equipment: list[CoolingEquipment], sized=None) -> tuple[PlantResult, Any]:
    """Size the plant ``plant`` of a loop at the design weather (:func:`_plant_spec`, :func:`_plant_at_design`;
    ``sized``: those two already computed, ``(spec, economiser entry, chiller entry, state)``): its result, its
    equipment (appended to ``equipment``) and the mask of infeasible points."""
    c = s.cooling
    econ, has_chiller = plant.economiser, plant.trim == "chiller"
    q = loop.heat.m_as("W") + loop.pump_power.m_as("W")  # pump work ends in the water
    sup = loop.supply.m_as("K")
    if sized is None:
        spec, e_name, ch_name = _plant_spec(s, plant)
        op = _plant_at_design(spec, cond, sup, loop.return_.m_as("K"), q)
    else:
        spec, e_name, ch_name, op = sized
    dev = spec.device
    leaving = as_float(op.leaving) if dev is not None else None
    q_ch = as_float(op.chiller_heat)
    bad = False
    if not has_chiller:
        db, wb = cond.dry_bulb.m_as("K"), cond.wet_bulb.m_as("K")
        what = f"{econ} reaches {{:.1f}} degC" if econ else "nothing"
        bad = _infeasible(q_ch > 1e-9 * np.maximum(q, 1.0), lambda: (
            f"{loop.name}: supply {sup - 273.15:.1f} degC needed, but at the design weather ({cond.source}: dry bulb "
            f"{db - 273.15:.1f} degC, wet bulb {wb - 273.15:.1f} degC) the {what.format(leaving - 273.15)}, "
            f"{leaving - sup:.1f} K too warm, and the plant '{plant}' has no chiller; allow a chiller, raise the "
            "supply temperature or choose a colder heat sink"))
    cop_v = None
    runs = q_ch > 0
    if has_chiller and np.any(runs):
        cop_v = as_float(op.chiller_cop) if np.ndim(runs) == 0 else np.where(runs, op.chiller_cop, math.nan)
        equipment.append(_equip("chiller", ch_name, loop.name, q_ch, spec.chiller_capacity, c.chiller_redundancy))
    size = as_float(op.device_size)
    if dev is not None:
        equipment.append(_equip(econ, e_name, loop.name, size, spec.params["capacity"], c.heat_rejection_redundancy))
    spec = PlantSpec(**{**spec.__dict__, "device_size": size})
    return PlantResult(loop.name, econ, Q_(leaving, "K") if leaving is not None else None,
                       as_float(op.economiser_share), Q_(as_float(op.economiser_heat), "W"), Q_(q_ch, "W"), cop_v,
                       Q_(as_float(op.compressor_power), "W"), Q_(as_float(op.fan_power), "W"),
                       Q_(as_float(op.condenser_pump_power), "W"), Q_(as_float(op.heat_rejected), "W"),
                       Q_(as_float(op.water) / WATER_DENSITY, "m^3/s"), loop.key, spec), bad


def _case_temperature(s: Scenario, load: ItLoad) -> tuple[float | None, float]:
    """Hottest chip case temperature [K] of the liquid-cooled deployments at design, and the plate's limit [K]
    (:mod:`models.thermal.cold_plate`: resistance against flow, case temperature)."""
    c, cat = s.cooling, s.hardware
    plate = cat.si(c.cold_plate)
    t_max = plate["case_temperature_max"]
    sup, dt = c.tcs_supply.m_as("K"), c.tcs_delta_t.m_as("K")
    props = properties(c.tcs_coolant, sup + dt / 2.0)
    rho, cp = as_float(props["density"]), as_float(props["cp"])
    worst = None
    for d in load.deployments:
        if d.liquid_fraction <= 0:
            continue
        p = cat.si(cat.accelerator(d.system).name)["power_max"]
        m = p / (cp * dt)  # the plate's share of the loop flow at the loop's rise
        # the catalog's rated flow is per kW of chip power (OCP ~1.5 L/min per kW)
        r = _plate_resistance(m / rho, plate["rated_flow"] * (p / 1e3), plate["resistance"], 0.6)
        t_case = _case_temperature_kernel(sup, p, m, cp, r)
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


def design_liquid_side(scenario: Scenario, load: ItLoad, conditions: DesignConditions) -> LiquidSide:
    """Size the liquid side of the cooling chain at the design weather (see :class:`LiquidSide`).

    Raises
    ------
    InfeasibleDesign
        The facility-water loop's plant cannot reach its supply without a chiller, the facility water would
        return above the technology-loop return, or a chip case temperature is above the cold plate's limit.
    """
    c, cat = scenario.cooling, scenario.hardware
    eta = c.pump_efficiency
    equipment: list[CoolingEquipment] = []
    q_liq = load.heat_to_liquid.m_as("W")
    cdu, cdu_si = cat[c.cdu], cat.si(c.cdu)
    cdu_dp = cdu_si["pressure_drop"]
    tcs = _loop("tcs", "technology loop (TCS)", c.tcs_coolant, q_liq, c.tcs_supply.m_as("K"), c.tcs_delta_t.m_as("K"),
                c.tcs_pressure_drop.m_as("Pa") + cdu_dp, 0.0, 1.0, eta, with_pipe=False)
    q_fw = q_liq + tcs.pump_power.m_as("W")
    if cdu.placement == "in-rack":
        cap = cdu_si["capacity"]
        per_rack = [(d.racks, math.ceil(d.rack_power_max.m_as("W") * d.liquid_fraction / cap))
                    for d in load.deployments if d.liquid_fraction > 0]
        n = sum(r * k for r, k in per_rack)
        loading = as_float(np.divide(q_fw, n * cap, out=np.zeros_like(q_fw * n, dtype=float), where=np.asarray(n) > 0))
        equipment.append(CoolingEquipment("cdu", c.cdu, "technology loop (TCS)", n, n, Q_(cap, "W"), Q_(q_fw, "W"),
                                          loading, loading))
    elif np.any(q_liq > 0):
        equipment.append(_equip("cdu", c.cdu, "technology loop (TCS)", q_fw, cdu_si["capacity"],
                                c.cdu_redundancy))
    fw_supply = c.tcs_supply.m_as("K") - cdu_si["approach"]
    fw_too_warm = (q_liq > 0) & (fw_supply + c.facility_delta_t.m_as("K") > tcs.return_.m_as("K") - 1e-9)
    bad = _infeasible(fw_too_warm, lambda: (
        f"facility water would return at {fw_supply + c.facility_delta_t.m_as('K') - 273.15:.1f} degC, above the "
        f"technology loop return {tcs.return_.m_as('degC'):.1f} degC it is heated by; expected facility_delta_t "
        f"<= tcs_delta_t + CDU approach ({c.tcs_delta_t.m_as('K') + cdu_si['approach']:.1f} K)"))
    fw = _loop("fw", "facility water (FW)", c.facility_coolant, q_fw, fw_supply, c.facility_delta_t.m_as("K"),
               c.facility_pressure_drop.m_as("Pa"), c.pipe_length.m_as("m"), c.pipe_velocity.m_as("m/s"), eta, True)
    eps = ntu = None
    if np.any(q_liq > 0):  # the CDU as a counterflow exchanger: effectiveness on the side with the smaller capacity
        c_tcs = q_fw / c.tcs_delta_t.m_as("K")  # rate
        c_fw = q_fw / c.facility_delta_t.m_as("K")
        c_min, c_max = np.minimum(c_tcs, c_fw), np.maximum(c_tcs, c_fw)
        eps = as_float(q_fw / (c_min * (tcs.return_.m_as("K") - fw_supply)))
        ntu = as_float(ntu_counterflow(np.where(fw_too_warm, 0.5, eps), c_min / c_max))  # infeasible points: any eps
    case, case_max = _case_temperature(scenario, load) if np.any(q_liq > 0) else (None, None)
    if case is not None:
        bad = bad | _infeasible(case > case_max, lambda: (
            f"chip case temperature {case - 273.15:.1f} degC exceeds the cold plate limit {case_max - 273.15:.1f} "
            f"degC by {case - case_max:.1f} K at a {c.tcs_supply.m_as('degC'):.1f} degC technology-loop supply; "
            f"expected a colder supply (below {c.tcs_supply.m_as('degC') - (case - case_max):.1f} degC) or a better "
            "cold plate"))
    plant_equipment: list[CoolingEquipment] = []
    plant = None
    if np.any(fw.heat.m_as("W") > 0):
        plant, mask = _plant(scenario, fw, c.heat_rejection, conditions, plant_equipment)
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
    eta: float
    props: dict | None
    plant: tuple | ScenarioError
    conditions: DesignConditions


def air_spec(scenario: Scenario, load: ItLoad, conditions: DesignConditions) -> AirSpec:
    """Compile the air side's constants once (see :class:`AirSpec`)."""
    c, cat = scenario.cooling, scenario.hardware
    crah = cat.si(c.crah)
    rho_air = as_float(air_density(conditions.pressure.m_as("Pa"), c.air_supply.m_as("K")))
    chw_supply = c.air_supply.m_as("K") - crah["coil_approach"]
    dt = c.chw_delta_t.m_as("K")
    try:
        plant: tuple | ScenarioError = _plant_spec(scenario, c.air_heat_rejection)
    except ScenarioError as exc:  # raised where the air side has a plant to size, as before (see _air_side)
        plant = exc
    try:
        props: dict | None = properties("water", chw_supply + dt / 2.0)
    except ValueError:  # (outside the tables: raised where the chilled-water loop is sized, as before)
        props = None
    return AirSpec(load.heat_to_air.m_as("W"), crah, rho_air, chw_supply, dt, c.facility_pressure_drop.m_as("Pa"),
                   c.pipe_length.m_as("m"), c.pipe_velocity.m_as("m/s"), c.pump_efficiency, props, plant, conditions)


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
                                a.props)
        chw = (chw_supply, spec, op)
        if np.any(q_chw > 0):
            if isinstance(a.plant, ScenarioError):
                raise a.plant
            pspec, e_name, ch_name = a.plant
            q = q_chw + as_float(op.pump_power)  # pump work ends in the water
            plant = (pspec, e_name, ch_name, _plant_at_design(pspec, a.conditions, chw_supply, chw_supply + dt, q))
    return AirSide(rooms, q_air, v_air, crah_fans, chw, plant)


def coupling_cooling_power(scenario: Scenario, load: ItLoad, power, conditions: DesignConditions,
                           liquid: LiquidSide, air: AirSpec | None = None):
    """Cooling electric power [W] at design for the power chain ``power`` (a :class:`~facility.power.ChainSizing`
    inside the coupling), on SI numbers: the liquid side's (sized once) plus the air side's. Equal to
    ``design_cooling(...).cooling_power`` without building its Quantities. ``air``: the air side's constants
    (:func:`air_spec`; the coupling compiles them once), else compiled here."""
    a = air_spec(scenario, load, conditions) if air is None else air
    return liquid.electric_power + _air_side(a, power).electric_power


def design_cooling(scenario: Scenario, load: ItLoad, power: PowerDesign, conditions: DesignConditions,
                   liquid: LiquidSide | None = None, air: AirSpec | None = None) -> CoolingDesign:
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

    Raises
    ------
    InfeasibleDesign
        A loop supply the plant cannot reach without a chiller, a facility-water return above the technology-loop
        return, or a chip case temperature above the cold plate's limit.
    """
    c, cat = scenario.cooling, scenario.hardware
    liq = design_liquid_side(scenario, load, conditions) if liquid is None else liquid
    bad = liq.infeasible
    # ------------------------------------------------------------------ air path
    air = _air_side(air_spec(scenario, load, conditions) if air is None else air, power)
    rooms, q_air, v_air, crah_fans = air.rooms, air.heat, air.airflow, air.crah_fans
    air_equipment: list[CoolingEquipment] = []
    loops = [liq.tcs, liq.fw]
    if air.chw is not None:
        air_equipment.append(_equip("crah", c.crah, "air side", q_air, cat.si(c.crah)["capacity"], c.crah_redundancy))
        chw_supply, spec, op = air.chw
        loops.append(_loop_result("chw", "chilled water (air side)", "water", q_air + crah_fans, chw_supply,
                                  c.chw_delta_t.m_as("K"), spec, op))
    plant_equipment = list(liq.plant_equipment)
    plants = [liq.plant] if liq.plant is not None else []
    if air.plant is not None:
        plant, mask = _plant(scenario, loops[2], c.air_heat_rejection, conditions, plant_equipment, air.plant)
        plants.append(plant)
        bad = bad | mask
    plants = tuple(plants)
    pumps = sum(lp.pump_power.m_as("W") for lp in loops) + sum(p.condenser_pump_power.m_as("W") for p in plants)
    fans = sum(p.fan_power.m_as("W") for p in plants)
    comp = sum(p.compressor_power.m_as("W") for p in plants)
    case, case_max = liq.case_temperature, liq.case_temperature_max
    return CoolingDesign(
        conditions=conditions, loops=tuple(loops), plants=plants,
        equipment=(*liq.cdu_equipment, *air_equipment, *plant_equipment),
        heat_to_liquid=Q_(liq.heat_to_liquid, "W"), heat_to_air=load.heat_to_air.to("W"),
        heat_electrical_rooms=Q_(rooms, "W"),
        pump_power=Q_(pumps, "W"), crah_fan_power=Q_(crah_fans, "W"), heat_rejection_fan_power=Q_(fans, "W"),
        compressor_power=Q_(comp, "W"), cooling_power=Q_(pumps + crah_fans + fans + comp, "W"),
        heat_rejected=Q_(sum(p.heat_rejected.m_as("W") for p in plants), "W"),
        water=Q_(sum(p.water.m_as("m^3/s") for p in plants), "m^3/s"),
        case_temperature=Q_(case, "K") if case is not None else None,
        case_temperature_max=Q_(case_max, "K") if case_max is not None else None, airflow=Q_(v_air, "m^3/s"),
        cdu_effectiveness=liq.cdu_effectiveness, cdu_ntu=liq.cdu_ntu, infeasible=bad)
