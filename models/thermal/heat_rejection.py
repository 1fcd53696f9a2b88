r"""Outdoor heat rejection: dry coolers, adiabatic (evaporatively pre-cooled) coolers and cooling towers.

All three are described by the coldest fluid temperature they can deliver and the power and water they use:

* **Dry cooler** — sensible only: leaving fluid :math:`T_{out} \ge T_{db} + \text{approach}` (design approach of
  the coil to the entering air). **Fans** (:func:`cooler_fan_speed`): where the cooler cannot reach its set point
  (economiser share below 1, or a trim chiller running) it runs at full airflow (none where it carries no heat);
  otherwise at the airflow the heat needs, from the energy balance on the air,
  :math:`\dot m_a = Q / (c_{p,a} (T_{a,out} - T_{a,in}))` with the air leaving :data:`COIL_AIR_APPROACH` below
  the returning fluid (a counterflow-arranged V-bank coil), against the
  rated airflow :math:`\dot m_{a,d} = Q_d/(c_{p,a} \Delta T_{a,d})` (catalog ``air_delta_t``: the air's rise at the
  rating), never below :data:`FAN_MIN_SPEED`; power by the fan affinity law on airflow,
  :math:`P = P_d (\dot m_a/\dot m_{a,d})^3` (ASHRAE Handbook — HVAC Systems and Equipment 2020, Ch. 21, Fans).
* **Adiabatic cooler** — pads pre-cool the entering air toward the wet bulb with saturation effectiveness
  :math:`\varepsilon`: :math:`T_{air} = T_{db} - \varepsilon (T_{db} - T_{wb})` (direct evaporative cooling, ASHRAE
  Handbook — HVAC Applications 2019, Ch. 53), then as a dry cooler (fans the same way). The water evaporated is
  the airflow the fans actually move times the humidity the pads add along the constant-wet-bulb line:
  :math:`\dot m_w = \dot m_a c_{p,a} (T_{db} - T_{air}) / h_{fg}`.
* **Cooling tower** — leaving water :math:`T_{out} \ge T_{wb} + \text{approach}`. Evaporation from an energy
  balance on the air (Merkel's assumptions: ASHRAE Handbook — HVAC Systems and Equipment 2020, Ch. 40, Cooling
  Towers): air flows at the tower's liquid-to-gas ratio :math:`\dot m_a = L/(L/G)`, gains the rejected heat
  :math:`h_{out} = h_{in} + Q/\dot m_a` and leaves saturated at that enthalpy; evaporation
  :math:`E = \dot m_a (W_s(h_{out}) - W_{in})` with :math:`W_{in}` from the hour's dry and wet bulb
  (:mod:`models.thermal.psychrometrics`) — the latent share of the heat follows the air state (about 75 % in cold
  dry air, above 95 % in hot humid air) instead of a fixed fraction. Drift :math:`D = f_d L`; blowdown from the
  cycles of concentration with drift counted once (it carries solids out too):
  :math:`B = \max(E/(COC-1) - D, 0)`; make-up :math:`E + D + B` (CTI / ASHRAE Ch. 40 water balance).

Air-side devices (registry ``medium = "air"``) cool a hall's air directly, between its supply and return air
(ASHRAE Handbook — HVAC Applications 2019, Ch. 20 "Data Centers", air-side economisers, and Ch. 53 "Evaporative
Cooling"); a chiller's chilled-water coil trims the rest:

* **Air-side economiser** — outdoor air replaces the return: supply air no colder than the dry bulb
  (humidity and dew-point limits of the supply air are not modelled: a stated simplification).
* **Direct evaporative** — outdoor air through wetted media, :math:`T = T_{db} - \varepsilon (T_{db} - T_{wb})`, the
  media wetted only when the dry bulb is above the supply; water :math:`\dot m_a c_{p,a} (T_{db} - T_{sup,eff})/h_{fg}`
  for the hall's airflow and the depression actually used.
* **Indirect evaporative** — the hall's return air is cooled through a plate exchanger by evaporatively cooled
  scavenger air: :math:`T = T_{ret} - \varepsilon_{wb} (T_{ret} - T_{wb})` (wet-bulb effectiveness; dry, against the dry
  bulb, when that suffices); no moisture reaches the hall; water: the heat removed leaves the scavenger air as
  evaporation (:math:`Q/h_{fg}`, a bound that neglects its sensible share) plus blowdown at the cycles of
  concentration.
"""

from __future__ import annotations

import numpy as np

from models.arrays import holds
from models.thermal.psychrometrics import (
    STANDARD_PRESSURE,
    enthalpy_kernel,
    humidity_ratio_from_wet_bulb,
    saturation_humidity_ratio,
    saturation_temperature_from_enthalpy,
)

__all__ = ["H_FG", "CP_AIR", "economiser_share", "fan_power", "adiabatic_air_temperature",
           "adiabatic_water", "tower_water", "tower_evaporation", "COIL_AIR_APPROACH", "FAN_MIN_SPEED",
           "cooler_fan_speed", "cooler_fan_terms", "dry_cooler_leaving", "adiabatic_leaving", "cooling_tower_leaving",
           "dry_cooler_air_inlet", "adiabatic_air_inlet", "adiabatic_device_water", "cooling_tower_device_water",
           "air_economiser_leaving", "direct_evaporative_leaving", "indirect_evaporative_leaving",
           "direct_evaporative_water", "indirect_evaporative_water"]

#: Latent heat of vaporisation of water at ~25 degC [J/kg] (IAPWS-IF97: 2442 kJ/kg at 25 degC).
H_FG = 2.442e6
#: Specific heat of (moist) air [J/(kg K)] (ASHRAE Fundamentals 2017 Ch. 1: 1.006 kJ/kg K dry air).
CP_AIR = 1006.0


def economiser_share(t_leaving, t_supply, t_return):
    r"""Share [-] of a loop's heat an economiser carries ahead of a series trim chiller.

    The return ``t_return`` [K] is cooled toward the device's leaving temperature ``t_leaving`` [K] but not below
    the supply ``t_supply`` [K]: :math:`(T_{ret} - \max(T_{leave}, T_{sup})) / (T_{ret} - T_{sup})`, clipped to
    0..1 (ASHRAE Handbook — HVAC Applications 2019, Ch. 20, water-side economiser in series with the chiller).

    >>> float(economiser_share(300.0, 295.0, 305.0)), float(economiser_share(310.0, 295.0, 305.0))
    (0.5, 0.0)
    """
    return np.clip((t_return - np.maximum(t_leaving, t_supply)) / (t_return - t_supply), 0.0, 1.0)


def fan_power(heat, heat_design, fan_power_design):
    """Fan power [W] at ``heat`` [W] for a device whose fans draw ``fan_power_design`` [W] at ``heat_design`` [W].

    Airflow is taken proportional to the heat (constant air temperature rise), the power to its cube: the form
    kept for cooling towers, whose airflow and water flow scale together at a fixed L/G.
    """
    x = np.clip(np.asarray(heat, dtype=float) / heat_design, 0.0, None)
    return fan_power_design * x**3


def adiabatic_air_temperature(t_db, t_wb, effectiveness):
    """Air temperature [K] after evaporative pads of saturation ``effectiveness`` [-]."""
    t_db = np.asarray(t_db, dtype=float)
    return t_db - effectiveness * (t_db - np.asarray(t_wb, dtype=float))


def adiabatic_water(heat, t_db, t_air, t_air_out):
    """Water evaporated [kg/s] by pads that cool the air from ``t_db`` to ``t_air`` [K] in a cooler rejecting
    ``heat`` [W] and heating that air to ``t_air_out`` [K]."""
    m_air = np.asarray(heat, dtype=float) / (CP_AIR * np.maximum(np.asarray(t_air_out) - t_air, 1e-9))
    return m_air * CP_AIR * np.maximum(np.asarray(t_db) - t_air, 0.0) / H_FG


def tower_evaporation(heat, t_db, t_wb, circulating_flow, liquid_gas_ratio, pressure=STANDARD_PRESSURE):
    """Evaporation [kg/s] of a cooling tower rejecting ``heat`` [W] into air at ``t_db``, ``t_wb`` [K].

    ``circulating_flow`` L [kg/s] of water; ``liquid_gas_ratio`` L/G [-] (air :math:`\\dot m_a = L/(L/G)`);
    ``pressure`` [Pa]. The air leaves saturated at :math:`h_{in} + Q/\\dot m_a` (module docstring).
    """
    q = np.asarray(heat, dtype=float)
    m_air = np.asarray(circulating_flow, dtype=float) / liquid_gas_ratio
    w_in = humidity_ratio_from_wet_bulb(t_db, t_wb, pressure)
    h_in = enthalpy_kernel(t_db, w_in)
    safe = np.where(m_air > 0, m_air, 1.0)
    t_out = saturation_temperature_from_enthalpy(h_in + q / safe, pressure)
    return np.where(m_air > 0, m_air * np.maximum(saturation_humidity_ratio(t_out, pressure) - w_in, 0.0), 0.0)


def tower_water(evaporation, circulating_flow, drift_fraction=1e-5, cycles=4.0):
    """Evaporation, drift and blowdown [kg/s] of a cooling tower evaporating ``evaporation`` [kg/s].

    ``circulating_flow`` [kg/s] of condenser water; ``drift_fraction`` [-] of the circulating flow (0.001 % for
    modern drift eliminators, CTI); ``cycles`` of concentration [-]: the water leaving as liquid (drift and
    blowdown) is :math:`E/(COC-1)`, so blowdown is that less the drift, not below 0 (drift counted once).
    Returns ``(evaporation, drift, blowdown)``.
    """
    if np.any(np.asarray(cycles) <= 1):
        raise ValueError("cycles of concentration must exceed 1")
    evap = np.asarray(evaporation, dtype=float)
    drift = drift_fraction * np.asarray(circulating_flow, dtype=float)
    blowdown = np.maximum(evap / (cycles - 1.0) - drift, 0.0)
    return evap, drift, blowdown


#: Air leaving a cooler's coil approaches the entering (returning) fluid within this [K]: engineering assumption
#: for counterflow-arranged multi-row V-bank coils (the air-side energy balance bounds the airflow a heat needs).
COIL_AIR_APPROACH = 2.0
#: Lowest fan speed of a cooler [-] (fraction of rated airflow): engineering assumption, the usual lower limit of
#: EC-fan speed control (10-20 % of rated speed) taken at its conservative end; below it the fans would cycle.
FAN_MIN_SPEED = 0.2


def cooler_fan_terms(t_air_in, t_return, size):
    """The terms of :func:`cooler_fan_speed` that do not depend on the heat: ``(size * max(rise, 1e-9), rise > 0)``
    with the coil's air rise ``rise = t_return - COIL_AIR_APPROACH - t_air_in`` [K] (a year computes them once per
    hour, not on every coupling pass)."""
    rise = np.asarray(t_return, dtype=float) - COIL_AIR_APPROACH - np.asarray(t_air_in, dtype=float)
    return np.asarray(size, dtype=float) * np.maximum(rise, 1e-9), rise > 0


def cooler_fan_speed(heat, t_air_in, t_return, size, air_delta_t, full, terms=None):
    """Airflow of a cooler as a fraction of its rated airflow [-] (module docstring).

    ``heat`` [W] it rejects; ``t_air_in`` [K] air entering its coil (after pads); ``t_return`` [K] fluid entering;
    ``size`` [W] the heat it is rated for (its rated airflow carries ``size`` at a rise of ``air_delta_t`` [K]);
    ``full`` [bool]: the cooler cannot reach its set point (economiser share below 1 or a chiller trimming), so
    it runs at full airflow; a cooler that carries no heat (share 0: bypassed) runs no fans. ``terms``:
    :func:`cooler_fan_terms` of the same arguments when already computed (then ``t_air_in``, ``t_return`` and
    ``size`` are not read).
    """
    den, up = cooler_fan_terms(t_air_in, t_return, size) if terms is None else terms
    need = np.asarray(heat, dtype=float) * air_delta_t / den
    if isinstance(need, np.ndarray):  # (np.clip's own steps, in place: its Python wrapper costs ~5 us a call)
        np.minimum(np.maximum(need, FAN_MIN_SPEED, out=need), 1.0, out=need)
    else:
        need = np.clip(need, FAN_MIN_SPEED, 1.0)
    # (the picks below skipped where they change nothing, and made in place on our own array: the same numbers)
    ours = isinstance(need, np.ndarray) and holds(need.shape, up, full)
    x = need if ours and np.all(up) else np.where(up, need, 1.0)
    if ours:
        np.copyto(x, 1.0, where=full)
    else:
        x = np.where(full, 1.0, x)
    on = np.asarray(heat) > 0
    return x if ours and on.shape == x.shape and on.all() else np.where(on, x, 0.0)


# ------------------------------------------------------------------------------------------------ devices
# Per-kind kernels of the component registry (models.registry): SI floats or numpy arrays of any broadcastable
# shape; ``p`` is the device's catalog entry as SI numbers (``approach`` [K], ``pad_effectiveness`` [-], ...).
def dry_cooler_leaving(t_db, t_wb, t_supply, p):
    """Dry cooler: leaving fluid [K] ``t_db + approach``; never wet (returns ``(leaving, False)``)."""
    return np.asarray(t_db, dtype=float) + p["approach"], False


def adiabatic_leaving(t_db, t_wb, t_supply, p):
    """Adiabatic cooler: leaving fluid [K] and whether the pads run.

    The pads run only when dry operation cannot reach the loop supply ``t_supply`` [K] (``t_db + approach >
    t_supply``): wetting them otherwise spends water for no cooling the loop can use (the control of adiabatic
    coolers, e.g. ASHRAE Handbook — HVAC Applications 2019, Ch. 53, staged evaporative pre-cooling).
    """
    t_db = np.asarray(t_db, dtype=float)
    pads = t_db + p["approach"] > t_supply
    pre = adiabatic_air_temperature(t_db, t_wb, p["pad_effectiveness"])
    return np.where(pads, pre, t_db) + p["approach"], pads


def dry_cooler_air_inlet(t_db, t_wb, wet, p):
    """Air entering a dry cooler's coil [K]: the dry bulb."""
    return np.asarray(t_db, dtype=float)


def adiabatic_air_inlet(t_db, t_wb, wet, p):
    """Air entering an adiabatic cooler's coil [K]: pre-cooled by the pads while ``wet``."""
    return np.where(wet, adiabatic_air_temperature(t_db, t_wb, p["pad_effectiveness"]), np.asarray(t_db, float))


def cooling_tower_leaving(t_db, t_wb, t_supply, p):
    """Open cooling tower: leaving water [K] ``t_wb + approach``; always wet."""
    return np.asarray(t_wb, dtype=float) + p["approach"], True


def adiabatic_device_water(heat, t_db, t_wb, t_return, wet, circulating, p, airflow):
    """Water [kg/s] of an adiabatic cooler: its pads humidify the airflow ``airflow`` [kg/s] the fans move while
    ``wet``, cooling it by the wet-bulb depression the pads achieve (:func:`adiabatic_air_temperature`)."""
    t_air = adiabatic_air_temperature(t_db, t_wb, p["pad_effectiveness"])
    dt = np.maximum(np.asarray(t_db, dtype=float) - t_air, 0.0)
    return np.where(wet, np.asarray(airflow, dtype=float) * CP_AIR * dt / H_FG, 0.0)


def cooling_tower_device_water(heat, t_db, t_wb, t_return, wet, circulating, p, airflow=None):
    """Water [kg/s] of a cooling tower: evaporation (:func:`tower_evaporation`) + drift + blowdown
    (:func:`tower_water`)."""
    e = tower_evaporation(heat, t_db, t_wb, circulating, p["liquid_gas_ratio"])
    evap, drift, blowdown = tower_water(e, circulating, p["drift_fraction"], p["cycles"])
    return evap + drift + blowdown


# ------------------------------------------------------------------------------------------------ air side
def air_economiser_leaving(t_db, t_wb, t_supply, p, t_return=None):
    """Air-side economiser: supply air [K] no colder than the outdoor dry bulb; never wet."""
    return np.asarray(t_db, dtype=float), False


def direct_evaporative_leaving(t_db, t_wb, t_supply, p, t_return=None):
    """Direct evaporative cooler: supply air [K] and whether the media are wetted (dry bulb above the supply)."""
    t_db = np.asarray(t_db, dtype=float)
    wet = t_db > t_supply
    return np.where(wet, adiabatic_air_temperature(t_db, t_wb, p["pad_effectiveness"]), t_db), wet


def indirect_evaporative_leaving(t_db, t_wb, t_supply, p, t_return=None):
    """Indirect evaporative cooler: the hall's return air ``t_return`` [K] cooled toward the scavenger air's dry
    bulb (dry) or wet bulb (wet, when dry cannot reach the supply), wet-bulb effectiveness ``p`` field
    ``wet_bulb_effectiveness``."""
    eps = p["wet_bulb_effectiveness"]
    t_ret = np.asarray(t_return, dtype=float)
    dry = t_ret - eps * (t_ret - np.asarray(t_db, dtype=float))
    wet = dry > t_supply
    return np.where(wet, t_ret - eps * (t_ret - np.asarray(t_wb, dtype=float)), dry), wet


def direct_evaporative_water(heat, t_db, t_wb, t_return, wet, circulating, p, airflow, t_supply=None):
    """Water [kg/s] of a direct evaporative cooler: the hall's airflow ``airflow`` [kg/s] cooled from the dry bulb
    to the warmer of the media's leaving air and the supply ``t_supply`` [K], over h_fg."""
    t_db = np.asarray(t_db, dtype=float)
    t_air = np.maximum(adiabatic_air_temperature(t_db, t_wb, p["pad_effectiveness"]), t_supply)
    return np.where(wet, np.asarray(airflow, dtype=float) * CP_AIR * np.maximum(t_db - t_air, 0.0) / H_FG, 0.0)


def indirect_evaporative_water(heat, t_db, t_wb, t_return, wet, circulating, p, airflow=None, t_supply=None):
    """Water [kg/s] of an indirect evaporative cooler while wet: the heat it removes ``heat`` [W] over h_fg,
    times COC/(COC-1) for blowdown at ``p["cycles"]``."""
    c = p["cycles"]
    return np.where(wet, np.asarray(heat, dtype=float) / H_FG * c / (c - 1.0), 0.0)
