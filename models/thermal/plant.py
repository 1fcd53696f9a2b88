r"""Operation of a heat-rejection plant and of a fluid loop: one function each, for the design point and every hour.

A **plant** serves one water loop: an economiser device (dry cooler, adiabatic cooler, cooling tower or any kind
of :mod:`models.registry`) cools the return as far as the weather allows; a chiller, if the plant has one, trims
the rest in series (ASHRAE Handbook — HVAC Applications 2019, Ch. 20 "Data Centers", water-side economiser with a
series chiller). :func:`operate_plant`, on arrays of weather and heat of any broadcastable shape:

* economiser share :math:`s = (T_{ret} - \max(T_{leave}, T_{sup}))/(T_{ret} - T_{sup})`, clipped to 0..1
  (:func:`models.thermal.heat_rejection.economiser_share`), on the loop's water, or on the hall's supply and
  return air for an air-side device (air economiser, direct or indirect evaporative);
  :math:`Q_{econ} = s\,Q`, :math:`Q_{ch} = Q - Q_{econ}`;
* chillers staged on to carry :math:`Q_{ch}`: :math:`n = \lceil Q_{ch}/Q_{avail} \rceil` with the capacity
  available at the hour's temperatures, sharing it equally, each at the power of the DOE-2 / EnergyPlus electric
  EIR model with its catalog curves (:func:`models.thermal.chiller.eir_chiller`) at the loop supply and the
  entering condenser water (the device's leaving water, water-cooled) or the outdoor dry bulb (air-cooled,
  condenser fans included);
* the device carries :math:`Q_{econ}` plus, for a water-cooled chiller, :math:`Q_{ch} + P_{comp}`; a device with
  condenser water (towers) adds its pump: :math:`\dot m = Q/(c_p \Delta T_{cond})`,
  :math:`P = \dot m/\rho \cdot \Delta p/\eta` (:func:`condenser_water`), whose work it rejects too;
* fans: :math:`P_d` the catalog's fan power ratio times the heat :math:`Q_d` the device is sized for; coolers
  (registry ``air_inlet``) at full airflow while they cannot reach the set point, else at the airflow the heat
  needs (:func:`models.thermal.heat_rejection.cooler_fan_speed`), :math:`P = P_d x^3`; towers by the cube of the
  heat, :math:`P = P_d (Q/Q_d)^3`;
* water from the device's kernel (pads while wet, tower evaporation, drift and blowdown).

Heat closes: rejected = :math:`Q + P_{comp} + P_{cw}`.

A **loop** carries heat at a constant temperature rise: :math:`\dot m = Q/(c_p \Delta T)`, :math:`\dot V = \dot m/\rho`;
its components' pressure drop scales with the flow squared from the design point, the pipe's (sized at design
for a velocity) is Darcy–Weisbach with the Swamee–Jain friction factor at the actual Reynolds number
(:mod:`models.thermal.hydraulics`); pump power :math:`\dot V \Delta p/\eta`.

At the design weather and heat, the operation *is* the design point (the sizing calls the same functions).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np

from models.arrays import holds
from models.registry import HeatRejectionModel
from models.thermal.chiller import eir_power, eir_terms
from models.thermal.heat_rejection import CP_AIR, cooler_fan_speed, cooler_fan_terms, economiser_share
from models.thermal.hydraulics import friction_factor_swamee_jain

__all__ = ["PlantSpec", "PlantState", "PlantWeather", "plant_weather", "operate_plant", "LoopSpec", "LoopState",
           "operate_loop", "condenser_water", "cube", "CONDENSER_RANGE", "CONDENSER_PRESSURE", "CONDENSER_WATER_CP",
           "CONDENSER_WATER_DENSITY", "WATER_DENSITY", "PIPE_ROUGHNESS"]

#: Condenser-water range of water-cooled chillers and towers [K]: AHRI 550/590 rating (29.4 -> 35 degC, 10 F).
CONDENSER_RANGE = 5.56
#: Condenser-water loop pressure rise [Pa]: engineering assumption (tower static lift, condenser, piping).
CONDENSER_PRESSURE = 150e3
#: Condenser water: specific heat [J/(kg K)] and density [kg/m3], the conventional round figures (IAPWS-95 at
#: 30 degC: 4,180 J/(kg K) and 996 kg/m3; the difference is below the accuracy of the pressure budget above).
CONDENSER_WATER_CP = 4186.0
CONDENSER_WATER_DENSITY = 1000.0
#: Density of make-up water [kg/m3] to report water as a volume (IAPWS-95: 997 kg/m3 at 25 degC).
WATER_DENSITY = 997.0
#: Absolute roughness of commercial steel pipe [m] (Moody; fluids.roughness 'Steel, commercial' 45 um).
PIPE_ROUGHNESS = 45e-6


def cube(x, x_design, p_design):
    """Affinity law ``p_design (x / x_design)^3`` [W], 0 where ``x_design`` is 0 (nothing installed)."""
    x_design = np.asarray(x_design, dtype=float)
    if (x_design > 0).all():  # (everything installed: no pick; in place, the same operations in the same order)
        t = np.asarray(x, dtype=float) / x_design
        if not (isinstance(t, np.ndarray) and holds(t.shape, p_design)):
            return p_design * (t * t * t)
        cubed = np.multiply(t, t)
        np.multiply(cubed, t, out=cubed)
        return np.multiply(p_design, cubed, out=cubed)
    safe = np.where(x_design > 0, x_design, 1.0)
    t = np.where(x_design > 0, np.asarray(x, dtype=float) / safe, 0.0)
    return p_design * (t * t * t)


def condenser_water(heat, pump_efficiency):
    r"""Condenser-water flow [kg/s] and its pump power [W] to carry ``heat`` [W] to a tower over the
    :data:`CONDENSER_RANGE`, against :data:`CONDENSER_PRESSURE`; ``pump_efficiency`` wire to water [-].

    .. math:: \dot m = Q / (c_p\,\Delta T), \qquad P = \dot m / \rho \cdot \Delta p / \eta
    """
    circ = heat / (CONDENSER_WATER_CP * CONDENSER_RANGE)
    return circ, circ / CONDENSER_WATER_DENSITY * CONDENSER_PRESSURE / pump_efficiency


def _columns(obj, axis_len: int | None = None):
    """A copy of a spec with every array field as a column (P, 1), to meet hourly arrays (P, H)."""
    changes: dict[str, Any] = {}
    for f in fields(obj):
        v = getattr(obj, f.name)
        if isinstance(v, np.ndarray) and v.ndim == 1:
            changes[f.name] = v[:, None]
        elif isinstance(v, dict):
            changes[f.name] = {k: (x[:, None] if isinstance(x, np.ndarray) and x.ndim == 1 else x)
                               for k, x in v.items()}
    return replace(obj, **changes) if changes else obj


@dataclass(frozen=True)
class PlantSpec:
    """A heat-rejection plant's sized equipment in SI numbers (each a float, or an array (P,) for a batch).

    ``device`` the economiser's registered model (``None``: chiller only) with its catalog entry ``params``;
    ``device_size`` [W] the heat it is sized for (``None`` while sizing: the design point itself);
    chiller: ``chiller`` (the plant has one), ``water_cooled``, ``chiller_params`` its catalog entry as SI numbers
    (EIR curves, :func:`models.thermal.chiller.eir_chiller`), ``chiller_capacity`` [W] its reference capacity;
    ``pump_efficiency`` [-] of the condenser-water pump; ``air_supply``, ``air_return`` [K] the hall's air for an
    air-side device (registry ``medium = "air"``), which cools the air between them while the chiller trims the
    chilled water (the loop's supply and return).
    """

    device: HeatRejectionModel | None
    params: dict
    device_size: Any
    chiller: bool
    water_cooled: bool
    chiller_params: dict
    chiller_capacity: Any
    pump_efficiency: Any
    air_supply: Any = None
    air_return: Any = None

    def columns(self) -> PlantSpec:
        """The spec of a batch (arrays (P,)) as columns (P, 1) against hours (P, H)."""
        return _columns(self)


@dataclass(frozen=True)
class PlantState:
    """A plant in operation (arrays of the broadcast shape of weather and heat). Temperatures [K], powers and
    heats [W], flows [kg/s]."""

    leaving: Any
    wet: Any
    economiser_share: Any
    economiser_heat: Any
    chiller_heat: Any
    chiller_cop: Any
    chillers_running: Any
    compressor_power: Any
    device_heat: Any
    device_size: Any
    fan_power: Any
    condenser_flow: Any
    condenser_pump_power: Any
    fan_speed: Any
    water: Any
    heat_rejected: Any
    chiller_on: Any


@dataclass(frozen=True)
class PlantWeather:
    """The weather-only terms of a plant in operation (they do not depend on the heat, so the year's coupling
    passes compute them once): the economiser's ``leaving`` temperature [K] and ``wet`` flag, its ``share`` [-]
    of the loop's heat, the chiller's condenser temperature ``t_cond`` [K], available capacity ``capacity`` [W]
    per chiller and ``eir`` [-] (EIRFT / reference COP) at that weather (``None`` without a chiller); derived
    once for the passes: ``inv_capacity`` [1/W] (1 / ``capacity``), ``full_power`` [W] (``capacity * eir``) and
    ``fan`` the cooler's :func:`models.thermal.heat_rejection.cooler_fan_terms` (a sized cooler with fans on its
    airflow only, else ``None``)."""

    leaving: Any
    wet: Any
    share: Any
    t_cond: Any
    capacity: Any
    eir: Any = None
    inv_capacity: Any = None
    full_power: Any = None
    fan: Any = None


def plant_weather(spec: PlantSpec, t_db, t_wb, t_supply, t_return) -> PlantWeather:
    """The terms of :func:`operate_plant` that depend on the weather and the loop temperatures only."""
    dev, p = spec.device, spec.params
    if dev is not None and dev.medium == "air":  # an air-side device cools the hall's air; the chiller trims
        leaving, wet = dev.leaving(t_db, t_wb, spec.air_supply, p, t_return=spec.air_return)
        share = economiser_share(leaving, spec.air_supply, spec.air_return)
    elif dev is not None:
        leaving, wet = dev.leaving(t_db, t_wb, t_supply, p)
        share = economiser_share(leaving, t_supply, t_return)
    else:
        leaving, wet, share = None, False, 0.0
    t_cond = cap = eir = inv = full = fan = None
    if spec.chiller:
        t_cond = leaving if spec.water_cooled else np.asarray(t_db, dtype=float)
        cap, eir = eir_terms(t_supply, t_cond, spec.chiller_params)
        inv, full = 1.0 / cap, cap * eir
    if dev is not None and dev.air_inlet is not None and spec.device_size is not None:
        fan = cooler_fan_terms(dev.air_inlet(t_db, t_wb, wet, p), t_return, spec.device_size)
    return PlantWeather(leaving, wet, share, t_cond, cap, eir, inv, full, fan)


def operate_plant(spec: PlantSpec, t_db, t_wb, t_supply, t_return, heat,
                  weather: PlantWeather | None = None, electric_only: bool = False) -> PlantState:
    """Operate a plant at outdoor dry and wet bulb ``t_db``, ``t_wb`` [K] for a loop supplied at ``t_supply`` and
    returning at ``t_return`` [K] that brings it ``heat`` [W] (pump work included). See the module docstring.

    ``weather``: its weather-only terms (:func:`plant_weather` of the same arguments) when already computed, e.g.
    by the year, whose coupling passes operate the plant at the same weather with another heat.
    ``electric_only``: only the electric powers (compressors, fans, condenser pumps) are wanted (a coupling pass):
    ``water``, ``heat_rejected``, ``chiller_on`` and ``chiller_cop`` are left None, the powers are the same.

    Where the plant has no chiller, the heat the economiser cannot carry is reported in ``chiller_heat`` with no
    compressor power (the caller decides whether that is infeasible).
    """
    q = np.asarray(heat, dtype=float)
    dev, p = spec.device, spec.params
    air = dev is not None and dev.medium == "air"
    wx = plant_weather(spec, t_db, t_wb, t_supply, t_return) if weather is None else weather
    leaving, wet, share = wx.leaving, wx.wet, wx.share
    q_econ = share * q
    q_ch = q - q_econ
    cop = n_run = None
    zero = 0.0 * q  # (zero where the heat is a number, NaN where it is NaN: an infeasible point stays NaN)
    w = zero
    if spec.chiller:
        cap, cp = wx.capacity, spec.chiller_params
        inv = 1.0 / cap if wx.inv_capacity is None else wx.inv_capacity
        n_run = q_ch * inv  # chillers staged on, sharing the load equally: ceil(q_ch / capacity - 1e-12)
        if isinstance(n_run, np.ndarray):  # (in place: the same operations in the same order)
            np.subtract(n_run, 1e-12, out=n_run)
            np.ceil(n_run, out=n_run)
        else:
            n_run = np.ceil(n_run - 1e-12)
        each = np.divide(q_ch, n_run, out=np.zeros(np.broadcast(q_ch, n_run).shape), where=n_run > 0)
        w = eir_power(each, cap, wx.eir, cp, wx.full_power)
        w = np.multiply(n_run, w, out=w) if isinstance(w, np.ndarray) and holds(w.shape, n_run) else n_run * w
        if not electric_only:
            cop = np.divide(q_ch, w, out=np.zeros(np.broadcast(q_ch, w).shape), where=w > 0)
    floor = np.maximum(q, 1.0)
    chiller_on = q_ch > (np.multiply(1e-6, floor, out=floor) if isinstance(floor, np.ndarray) else 1e-6 * floor)
    device_heat = q_econ + (q_ch + w if spec.water_cooled else 0.0)
    size = spec.device_size if spec.device_size is not None else q + (w if spec.water_cooled else 0.0)
    circ = p_cw = fans = water = speed = zero
    if isinstance(zero, np.ndarray):
        zero.flags.writeable = False  # (one array shared by several fields below: none may be edited in place)
    if dev is not None:
        if dev.condenser_water:
            circ, p_cw = condenser_water(device_heat, spec.pump_efficiency)
            device_heat = device_heat + p_cw
        if dev.air_inlet is not None:
            full = (share < 1.0) | chiller_on
            if wx.fan is not None and spec.device_size is not None:
                speed = cooler_fan_speed(device_heat, None, None, size, p["air_delta_t"], full, terms=wx.fan)
            else:
                speed = cooler_fan_speed(device_heat, dev.air_inlet(t_db, t_wb, wet, p), t_return, size,
                                         p["air_delta_t"], full)
            cubed = speed * speed
            if isinstance(cubed, np.ndarray):  # (in place: the same operations in the same order)
                np.multiply(cubed, speed, out=cubed)
                ratio_size = p["fan_power_ratio"] * size
                fans = (np.multiply(ratio_size, cubed, out=cubed) if holds(cubed.shape, ratio_size)
                        else ratio_size * cubed)
            else:
                fans = p["fan_power_ratio"] * size * (cubed * speed)
        else:
            fans = cube(device_heat, size, p["fan_power_ratio"] * size)
            speed = np.divide(device_heat, size, out=np.zeros(np.broadcast(device_heat, size).shape),
                              where=np.asarray(size) > 0)
        if electric_only:
            pass
        elif dev.water is not None and air:
            airflow = q / (CP_AIR * (spec.air_return - spec.air_supply))  # the hall's air at its rise
            water = dev.water(device_heat, t_db, t_wb, spec.air_return, wet, circ, p, airflow, t_supply=spec.air_supply)
        elif dev.water is not None:
            airflow = speed * size / (CP_AIR * p["air_delta_t"]) if dev.air_inlet is not None else None
            water = dev.water(device_heat, t_db, t_wb, t_return, wet, circ, p, airflow)
    return PlantState(leaving=leaving, wet=wet, economiser_share=share, economiser_heat=q_econ, chiller_heat=q_ch,
                      chiller_cop=cop, chillers_running=n_run, compressor_power=w, device_heat=device_heat,
                      device_size=size, fan_power=fans, condenser_flow=circ, condenser_pump_power=p_cw, fan_speed=speed,
                      water=None if electric_only else water,
                      heat_rejected=None if electric_only else q + w + p_cw,
                      chiller_on=None if electric_only else chiller_on)


@dataclass(frozen=True)
class LoopSpec:
    """A sized fluid loop in SI numbers (floats, or arrays (P,) for a batch).

    ``rho`` [kg/m3], ``cp`` [J/(kg K)], ``mu`` [Pa s] of the coolant at the loop's mean temperature; ``delta_t``
    [K] its design rise (held in operation: variable flow); ``dp_components`` [Pa] of its components at the design
    flow ``flow_design`` [m3/s]; ``diameter`` [m] of its main pipe (``None``: no pipe, e.g. a technology loop
    inside the racks) over ``pipe_length`` [m]; ``pump_efficiency`` wire to water [-].
    """

    rho: Any
    cp: Any
    mu: Any
    delta_t: Any
    dp_components: Any
    flow_design: Any
    diameter: Any
    pipe_length: Any
    pump_efficiency: Any

    def __post_init__(self) -> None:
        # the spec's arrays are its own read-only copies (a caller's array is neither shared nor frozen; one already
        # read-only, e.g. a column view of another spec's, is kept): its constant terms are computed once
        # (:attr:`terms`), so no edit in place may change the spec after
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, np.ndarray) and v.flags.writeable:
                v = v.copy()
                v.flags.writeable = False
                object.__setattr__(self, f.name, v)

    def columns(self) -> LoopSpec:
        """The spec of a batch (arrays (P,)) as columns (P, 1) against hours (P, H)."""
        return _columns(self)

    @functools.cached_property
    def terms(self) -> LoopTerms:
        """The constant terms of :func:`operate_loop`, computed once per spec (a year operates the chilled-water
        loop in every coupling pass): each the same expression, so the same numbers."""
        d = self.diameter
        shape = np.broadcast(*(np.asarray(0.0 if x is None else x) for x in (
            self.rho, self.mu, self.dp_components, self.flow_design, d, self.pipe_length, self.pump_efficiency))).shape
        pipe = (None, None, None, None) if d is None else (
            4.0 / (math.pi * d * d), self.rho * d / self.mu, PIPE_ROUGHNESS / d, self.pipe_length / d * self.rho / 2.0)
        return LoopTerms(self.cp * self.delta_t, np.broadcast_to(np.float64(0.0), shape), *pipe)


@dataclass(frozen=True)
class LoopTerms:
    """:attr:`LoopSpec.terms`: ``heat_per_flow`` = c_p dT [J/kg]; ``shape`` an array of the spec's broadcast shape
    (zero strides: a shape to test against, :func:`models.arrays.holds`); with a main pipe, the factors of its
    velocity (4 / (pi d^2)) [1/m2], Reynolds number (rho d / mu) [s/m2], relative roughness (e / d) [-] and
    Darcy-Weisbach drop (L / d rho / 2) [kg/m3]."""

    heat_per_flow: Any
    shape: np.ndarray
    velocity: Any
    reynolds: Any
    roughness: Any
    darcy: Any


@dataclass(frozen=True)
class LoopState:
    """A loop in operation: mass flow [kg/s], volume flow [m3/s], pressure drop [Pa], pump power [W]."""

    mass_flow: Any
    volume_flow: Any
    pressure_drop: Any
    pump_power: Any


def operate_loop(spec: LoopSpec, heat) -> LoopState:
    """The loop carrying ``heat`` [W] at its design temperature rise (see the module docstring)."""
    terms = spec.terms  # (the constant factors below, once per spec)
    m = np.asarray(heat, dtype=float) / terms.heat_per_flow
    v = m / spec.rho
    # in place where the hours' arrays hold every broadcast shape (the same operations in the same order)
    hours = isinstance(v, np.ndarray) and holds(v.shape, terms.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        x = v / spec.flow_design  # (a loop with no design flow carries nothing: masked below)
        if hours:
            np.multiply(x, x, out=x)
            dp = np.multiply(spec.dp_components, x, out=x)
        else:
            dp = spec.dp_components * (x * x)
        if spec.diameter is not None:
            # v 4 / (pi d^2); Re = velocity rho d / mu; Darcy-Weisbach f L / d rho / 2 velocity^2
            velocity = v * terms.velocity
            f = friction_factor_swamee_jain(velocity * terms.reynolds, terms.roughness)
            if hours and f.shape == v.shape:
                np.multiply(f, terms.darcy, out=f)
                np.multiply(velocity, velocity, out=velocity)
                np.multiply(f, velocity, out=f)
                dp = np.add(dp, f, out=dp)
            else:
                dp = dp + f * terms.darcy * (velocity * velocity)
    flowing = v > 0
    if not flowing.all():  # (every hour of a year's loop carries heat: nothing to zero)
        dp = np.where(flowing, dp, 0.0)
    if hours:
        power = np.multiply(v, dp)
        return LoopState(mass_flow=m, volume_flow=v, pressure_drop=dp,
                         pump_power=np.divide(power, spec.pump_efficiency, out=power))
    return LoopState(mass_flow=m, volume_flow=v, pressure_drop=dp, pump_power=v * dp / spec.pump_efficiency)
