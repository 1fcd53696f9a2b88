r"""Photovoltaic plants: hourly AC output of a weather year with pvlib's ``ModelChain``.

The chain, every step chosen by name once (pvlib's ModelChain, Holmgren, Hansen & Mikofski, "pvlib python: a
python package for modeling solar energy systems", JOSS 3(29), 884, 2018):

1. solar position (NREL SPA, ``nrel_numpy``) at the middle of each hour of the file;
2. plane-of-array irradiance: Hay-Davies transposition (Hay & Davies 1980) of GHI/DNI/DHI on a fixed tilt or a
   single-axis tracker with backtracking (Marion & Dobos, NREL/TP-6A20-58891, 2013), ground albedo 0.25;
3. angle-of-incidence loss: the physical (Fresnel/Snell) IAM of glass (De Soto et al. 2006);
4. cell temperature: SAPM (King et al., SAND2004-3535, 2004), open rack glass/polymer;
5. DC power: PVWatts, :math:`P_{dc} = \frac{G_{eff}}{1000} P_{dc0} (1 + \gamma (T_c - 25))` (Dobos, PVWatts
   Version 5 Manual, NREL/TP-6A20-62641, 2014, Eq. 5), less the PVWatts system losses (default 14.08 %);
6. AC power: the PVWatts inverter curve with its nominal efficiency, clipped at the AC rating.

Results are per watt of AC (inverter) rating: multiply by the plant's AC capacity. The DC/AC ratio sets the DC
nameplate per AC watt.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["ac_per_unit", "model_chain", "TEMPERATURE_MODEL"]

#: SAPM cell temperature parameters: glass/polymer module on an open rack (ground mount and trackers), from
#: pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS (King et al. 2004, Table 1).
TEMPERATURE_MODEL = ("sapm", "open_rack_glass_polymer")


def model_chain(latitude: float, longitude: float, altitude: float, *, tracking: bool = True, tilt: float = 20.0,
                azimuth: float = 180.0, dc_ac_ratio: float = 1.3, gamma_pdc: float = -0.0035,
                inverter_efficiency: float = 0.96, gcr: float = 0.35, max_angle: float = 60.0,
                losses: dict[str, float] | None = None) -> Any:
    """A pvlib ``ModelChain`` of one AC watt of plant (DC nameplate ``dc_ac_ratio`` W).

    Parameters
    ----------
    latitude, longitude
        Site. [deg]
    altitude
        Site elevation. [m]
    tracking
        Single-axis tracker (north-south axis, backtracking) if true, else a fixed tilt.
    tilt, azimuth
        Fixed-tilt orientation. [deg] (azimuth 180 = south)
    dc_ac_ratio
        DC nameplate over inverter AC rating. [-]
    gamma_pdc
        Power temperature coefficient of the modules. [1/K]
    inverter_efficiency
        Nominal inverter efficiency (PVWatts ``eta_inv_nom``). [-]
    gcr
        Ground coverage ratio of the tracker rows. [-]
    max_angle
        Tracker rotation limit. [deg]
    losses
        PVWatts loss components in percent (``pvlib.pvsystem.pvwatts_losses`` keywords); None: its defaults.
    """
    from pvlib.location import Location
    from pvlib.modelchain import ModelChain
    from pvlib.pvsystem import Array, FixedMount, PVSystem, SingleAxisTrackerMount
    from pvlib.temperature import TEMPERATURE_MODEL_PARAMETERS

    mount = (SingleAxisTrackerMount(axis_tilt=0.0, axis_azimuth=180.0, max_angle=max_angle, backtrack=True, gcr=gcr)
             if tracking else FixedMount(surface_tilt=tilt, surface_azimuth=azimuth))
    array = Array(mount=mount, module_parameters={"pdc0": dc_ac_ratio, "gamma_pdc": gamma_pdc},
                  temperature_model_parameters=TEMPERATURE_MODEL_PARAMETERS[TEMPERATURE_MODEL[0]][TEMPERATURE_MODEL[1]])
    system = PVSystem(arrays=[array], inverter_parameters={"pdc0": 1.0 / inverter_efficiency,
                                                           "eta_inv_nom": inverter_efficiency},
                      losses_parameters=losses or {})
    location = Location(latitude, longitude, altitude=altitude)
    return ModelChain(system, location, transposition_model="haydavies", solar_position_method="nrel_numpy",
                      aoi_model="physical", spectral_model="no_loss", dc_model="pvwatts", ac_model="pvwatts",
                      temperature_model="sapm", losses_model="pvwatts")


def ac_per_unit(weather: Any, latitude: float, longitude: float, altitude: float, **options: Any) -> np.ndarray:
    """AC output per watt of AC rating for every row of ``weather`` [-] (0 at night, at most 1).

    ``weather``: a pandas DataFrame with ``ghi``, ``dni``, ``dhi`` [W/m²], ``temp_air`` [°C] and ``wind_speed``
    [m/s] on a time-zone-aware index at the middle of each interval. ``options``: see :func:`model_chain`.
    """
    mc = model_chain(latitude, longitude, altitude, **options)
    mc.run_model(weather[["ghi", "dni", "dhi", "temp_air", "wind_speed"]])
    ac = np.nan_to_num(np.asarray(mc.results.ac, dtype=float), nan=0.0)
    return np.clip(ac, 0.0, 1.0)
