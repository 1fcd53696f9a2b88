"""The component registry: each catalog ``kind`` that the walkers size and operate, mapped to its model, as data.

A kind's entry names its SI kernels (numpy arrays of any broadcastable shape, no units) and its attributes
(indoors or outdoors, uses the wet bulb, uses water, ...). The design walkers (:mod:`facility.power`,
:mod:`facility.cooling`) and the year (:mod:`facility.simulate`) look kinds up here instead of branching on
their names, so adding a heat-rejection device or a power-stage kind is one model function plus one entry here
(:func:`register_heat_rejection`, :func:`register_stage`) and one catalog entry of that kind — nothing else.

Heat-rejection devices (:class:`HeatRejectionModel`)
    ``leaving(t_db, t_wb, t_supply, p) -> (leaving [K], wet [bool])``: the coldest fluid the device delivers at
    that weather, and whether it runs wet (evaporates water) to do so; ``water(heat, t_db, t_wb, t_return, wet,
    circulating, p, airflow) -> [kg/s]`` or ``None`` for a dry device; ``air_inlet(t_db, t_wb, wet, p) -> [K]``
    the air entering a cooler's coil, whose fans then follow the airflow the heat needs
    (:func:`models.thermal.heat_rejection.cooler_fan_speed`), or ``None`` (towers: fans by the cube of the heat,
    airflow and water flow together at the tower's L/G); ``p`` is the catalog entry as SI numbers.

Power stages (:class:`StageModel`)
    ``coefficients(p, n, installed, pf, v_out, system) -> ((A [W], B [-], C [1/W]), copper mass [kg])`` of the
    stage's loss :math:`A + B P + C P^2` for ``n`` units in service (:mod:`models.electrical.converter`), ``p``
    the catalog entry as SI numbers; attributes: what units are sized on, the rating field, indoors or not.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from models.electrical.conductor import conductor_coefficients
from models.electrical.converter import converter_coefficients
from models.electrical.transformer import transformer_coefficients
from models.thermal import heat_rejection as hr

__all__ = ["HeatRejectionModel", "HEAT_REJECTION", "register_heat_rejection", "heat_rejection_model",
           "leaving_temperature", "StageModel", "STAGES", "register_stage", "stage_model"]


@dataclass(frozen=True)
class HeatRejectionModel:
    """A heat-rejection device kind: its kernels and attributes.

    ``design_wet_bulb`` says which wet bulb the device is sized at: ``"extreme"`` (the design wet bulb, for
    evaporative towers whose capacity follows it: ASHRAE Fundamentals 2021 Ch. 14 evaporation design values) or
    ``"coincident"`` (the wet bulb coincident with the design dry bulb, for devices sized on the dry bulb).
    ``condenser_water``: the device circulates open condenser water through a pump (towers).
    ``fields``: the catalog fields the kind needs (read as SI numbers into ``p``); ``air_inlet``: see the module.
    ``medium``: ``"water"`` for devices that cool a water loop, ``"air"`` for air-side devices that cool a hall's
    air between its supply and return (their ``leaving`` takes ``t_return`` too; a chiller trims through the
    chilled-water coil; they serve ``cooling.air_heat_rejection`` only).
    ``uses_wet_bulb``: whether any of its kernels reads the wet bulb. This is a correctness contract, not a hint:
    the year computes the hours that share their dry bulb (and load) once when no device of the campus reads the
    wet bulb (:func:`facility.simulate._conditions`), so a device declaring ``False`` must give the same results
    at any wet bulb. The default is ``True`` (every hour computed: a device that forgets to say costs time, never
    a wrong figure); the built-in dry devices declare ``False``, and a test holds the year on the conditions equal
    to the year hour by hour for every registered kind (``tests/facility/test_year_conditions.py``).
    """

    kind: str
    leaving: Callable
    water: Callable | None
    default_equipment: str
    fields: tuple[str, ...]
    design_wet_bulb: str = "coincident"
    condenser_water: bool = False
    outdoors: bool = True
    uses_wet_bulb: bool = True
    uses_water: bool = False
    description: str = ""
    air_inlet: Callable | None = None
    medium: str = "water"


HEAT_REJECTION: dict[str, HeatRejectionModel] = {}


def register_heat_rejection(model: HeatRejectionModel) -> HeatRejectionModel:
    """Add (or replace) a heat-rejection kind; returns it."""
    if model.design_wet_bulb not in ("extreme", "coincident"):
        raise ValueError(f"design_wet_bulb of {model.kind!r} is {model.design_wet_bulb!r}; expected 'extreme' or "
                         "'coincident'")
    HEAT_REJECTION[model.kind] = model
    return model


def heat_rejection_model(kind: str) -> HeatRejectionModel:
    """The registered model of a heat-rejection kind (KeyError naming the known kinds)."""
    try:
        return HEAT_REJECTION[kind]
    except KeyError:
        raise KeyError(f"unknown heat-rejection device {kind!r}; expected one of {', '.join(HEAT_REJECTION)}") from None


register_heat_rejection(HeatRejectionModel(
    "dry-cooler", hr.dry_cooler_leaving, None, "dry-cooler-1500kw",
    ("capacity", "approach", "fan_power_ratio", "air_delta_t"), air_inlet=hr.dry_cooler_air_inlet,
    uses_wet_bulb=False, description="sensible dry cooler: leaving = dry bulb + approach"))
register_heat_rejection(HeatRejectionModel(
    "adiabatic", hr.adiabatic_leaving, hr.adiabatic_device_water, "adiabatic-cooler-1500kw",
    ("capacity", "approach", "fan_power_ratio", "pad_effectiveness", "air_delta_t"), uses_wet_bulb=True,
    uses_water=True, air_inlet=hr.adiabatic_air_inlet,
    description="dry cooler with evaporative pre-cooling pads, wetted when dry operation cannot reach the supply"))
register_heat_rejection(HeatRejectionModel(
    "cooling-tower", hr.cooling_tower_leaving, hr.cooling_tower_device_water, "cooling-tower-5000kw",
    ("capacity", "approach", "fan_power_ratio", "cycles", "drift_fraction", "liquid_gas_ratio"),
    design_wet_bulb="extreme", condenser_water=True, uses_wet_bulb=True, uses_water=True,
    description="open evaporative tower: leaving = wet bulb + approach"))


register_heat_rejection(HeatRejectionModel(
    "air-economiser", hr.air_economiser_leaving, None, "air-economiser-500kw", ("capacity", "fan_power_ratio"),
    medium="air", uses_wet_bulb=False,
    description="air-side economiser: outdoor air supplied to the hall when cool enough"))
register_heat_rejection(HeatRejectionModel(
    "direct-evaporative", hr.direct_evaporative_leaving, hr.direct_evaporative_water, "direct-evaporative-500kw",
    ("capacity", "fan_power_ratio", "pad_effectiveness"), medium="air", uses_wet_bulb=True, uses_water=True,
    design_wet_bulb="extreme",  # its supply follows the wet bulb: held to the extreme wet bulb like a tower
    description="direct evaporative cooling of outdoor air supplied to the hall"))
register_heat_rejection(HeatRejectionModel(
    "indirect-evaporative", hr.indirect_evaporative_leaving, hr.indirect_evaporative_water,
    "indirect-evaporative-500kw", ("capacity", "fan_power_ratio", "wet_bulb_effectiveness", "cycles"),
    medium="air", uses_wet_bulb=True, uses_water=True, design_wet_bulb="extreme",
    description="indirect evaporative cooling of the hall's return air through a plate exchanger"))


def leaving_temperature(kind: str, t_db, t_wb, approach, pad_effectiveness=0.85):
    """Coldest fluid temperature [K] a device of ``kind`` can deliver (wet if it can run wet).

    ``t_db``, ``t_wb`` ambient dry and wet bulb [K]; ``approach`` [K]; ``pad_effectiveness`` [-] (adiabatic).
    """
    p = {"approach": approach, "pad_effectiveness": pad_effectiveness}
    if heat_rejection_model(kind).medium != "water":
        raise ValueError(f"{kind!r} cools air, not a water loop: it has no leaving fluid temperature")
    return heat_rejection_model(kind).leaving(t_db, t_wb, -np.inf, p)[0]


@dataclass(frozen=True)
class StageModel:
    """A power-stage kind: its loss coefficients for ``n`` units in service and its attributes.

    ``rating_field`` names the catalog field of one unit's rating and ``rating_unit`` its SI unit ("VA", "W" or
    "A"); ``size_on`` what the units are sized on: ``"apparent"`` (S = P / pf), ``"real"`` (P) or ``"current"``
    (I = P / (sqrt(3) V pf) or P / V); ``indoors``: its losses are heat in an electrical room the air side cools
    (``False``: it stands outdoors and its losses go to the ambient).
    """

    kind: str
    coefficients: Callable
    fields: tuple[str, ...]
    rating_field: str
    rating_unit: str
    size_on: str
    indoors: bool = True
    extra: Mapping[str, object] = field(default_factory=dict)


STAGES: dict[str, StageModel] = {}


def register_stage(model: StageModel) -> StageModel:
    """Add (or replace) a power-stage kind; returns it."""
    if model.size_on not in ("apparent", "real", "current"):
        raise ValueError(f"size_on of {model.kind!r} is {model.size_on!r}; expected apparent, real or current")
    STAGES[model.kind] = model
    return model


def stage_model(kind: str) -> StageModel:
    """The registered model of a power-stage kind (KeyError naming the known kinds)."""
    try:
        return STAGES[kind]
    except KeyError:
        raise KeyError(f"unknown power-stage kind {kind!r}; expected one of {', '.join(STAGES)}") from None


#: Transformers stand outdoors (their losses go to the ambient, not to an electrical room): engineering
#: assumption for pad-mounted and substation units (IEEE C57.12.34 pad-mounted; liquid-immersed MV units).
register_stage(StageModel("transformer", transformer_coefficients, ("rating", "no_load_loss", "load_loss"),
                          "rating", "VA", "apparent", indoors=False))
register_stage(StageModel("converter", converter_coefficients, ("rating", "loss_per_unit"), "rating", "W", "real"))
register_stage(StageModel("conductor", conductor_coefficients,
                          ("ampacity", "current_density", "length", "temperature", "material"), "ampacity", "A",
                          "current"))
