r"""Outdoor heat rejection: dry coolers, adiabatic (evaporatively pre-cooled) coolers and cooling towers.

All three are described by the coldest fluid temperature they can deliver and the power and water they use:

* **Dry cooler** — sensible only: leaving fluid :math:`T_{out} \ge T_{db} + \text{approach}` (design approach of
  the coil to the entering air). Fan power at design is a specific power per heat rejected; at part airflow the
  fan follows the cube law :math:`P = P_d (\dot V/\dot V_d)^3` (fan affinity laws, ASHRAE Handbook — HVAC
  Systems and Equipment 2020, Ch. 21).
* **Adiabatic cooler** — pads pre-cool the entering air toward the wet bulb with saturation effectiveness
  :math:`\varepsilon`: :math:`T_{air} = T_{db} - \varepsilon (T_{db} - T_{wb})` (direct evaporative cooling, ASHRAE
  Handbook — HVAC Applications 2019, Ch. 53), then as a dry cooler. The water evaporated is the sensible
  pre-cooling over the latent heat: :math:`\dot m_w = \dot m_{air} c_{p,a} (T_{db} - T_{air}) / h_{fg}`.
* **Cooling tower** — leaving water :math:`T_{out} \ge T_{wb} + \text{approach}`. Evaporation
  :math:`E = f\,Q/h_{fg}` with :math:`f \approx 0.9` (the rule :math:`E \approx 0.00085\,\dot V\,\Delta T_{°F}` of
  the cooling-tower literature, e.g. SPX "Cooling Tower Fundamentals" 2nd ed., 2009); drift a fraction of the
  circulating flow; blowdown :math:`B = E/(COC - 1)` for cycles of concentration COC.
"""

from __future__ import annotations

import numpy as np

__all__ = ["H_FG", "CP_AIR", "economiser_share", "fan_power", "adiabatic_air_temperature",
           "adiabatic_water", "tower_water", "COIL_AIR_APPROACH", "dry_cooler_leaving", "adiabatic_leaving",
           "cooling_tower_leaving", "adiabatic_device_water", "cooling_tower_device_water"]

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

    Airflow is taken proportional to the heat (constant air temperature rise), the power to its cube.
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


def tower_water(heat, circulating_flow, latent_fraction=0.9, drift_fraction=1e-5, cycles=4.0):
    """Evaporation, drift and blowdown [kg/s] of a cooling tower rejecting ``heat`` [W].

    ``circulating_flow`` [kg/s] of condenser water; ``latent_fraction`` [-] of the heat leaving as evaporation;
    ``drift_fraction`` [-] of the circulating flow (0.001 % for modern drift eliminators, CTI); ``cycles`` of
    concentration [-]. Returns ``(evaporation, drift, blowdown)``.
    """
    if np.any(np.asarray(cycles) <= 1):
        raise ValueError("cycles of concentration must exceed 1")
    evap = latent_fraction * np.asarray(heat, dtype=float) / H_FG
    drift = drift_fraction * np.asarray(circulating_flow, dtype=float)
    blowdown = evap / (cycles - 1.0)
    return evap, drift, blowdown


#: Air leaving an adiabatic cooler's coil approaches the entering fluid within this [K]: engineering assumption.
COIL_AIR_APPROACH = 2.0


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


def cooling_tower_leaving(t_db, t_wb, t_supply, p):
    """Open cooling tower: leaving water [K] ``t_wb + approach``; always wet."""
    return np.asarray(t_wb, dtype=float) + p["approach"], True


def adiabatic_device_water(heat, t_db, t_wb, t_return, wet, circulating, p):
    """Water [kg/s] of an adiabatic cooler rejecting ``heat`` [W]: pads evaporate only while ``wet``; the air
    leaves the coil :data:`COIL_AIR_APPROACH` below the returning fluid ``t_return`` [K]."""
    t_air = adiabatic_air_temperature(t_db, t_wb, p["pad_effectiveness"])
    return np.where(wet, adiabatic_water(heat, t_db, t_air, t_return - COIL_AIR_APPROACH), 0.0)


def cooling_tower_device_water(heat, t_db, t_wb, t_return, wet, circulating, p):
    """Water [kg/s] of a cooling tower: evaporation + drift + blowdown (:func:`tower_water`)."""
    evap, drift, blowdown = tower_water(heat, circulating, p["latent_fraction"], p["drift_fraction"], p["cycles"])
    return evap + drift + blowdown
