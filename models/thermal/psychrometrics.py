r"""Psychrometrics of moist air, vectorised: saturation pressure, humidity ratio, dew point, enthalpy, wet bulb.

Equations of ASHRAE Handbook — Fundamentals (2017), Chapter 1 [1]_:

* saturation pressure over liquid water, Hyland & Wexler, eq. (6) (over ice, eq. (5), below 0 °C);
* humidity ratio :math:`W = 0.621945\,p_w/(p - p_w)`, eq. (20);
* enthalpy :math:`h = 1.006\,t + W (2501 + 1.86\,t)` [kJ/kg dry air], eq. (32);
* thermodynamic wet bulb :math:`t^*` from eq. (33) (:math:`t^* \ge 0`) or (35) (below 0 °C):

  .. math:: W = \frac{(2501 - 2.326\,t^*) W_s^* - 1.006 (t - t^*)}{2501 + 1.86\,t - 4.186\,t^*}

  solved for :math:`t^*` by bisection on whole arrays (40 halvings: below 1e-10 K of bracket).

Results agree with CoolProp's ``HAPropsSI`` (which uses the Hyland-Wexler real-gas formulation) to about
0.05 K in wet bulb over 0–50 °C (tested).

.. [1] ASHRAE Handbook — Fundamentals (SI), 2017, Chapter 1 "Psychrometrics".
"""

from __future__ import annotations

import numpy as np

from models.units import quantity_io

__all__ = ["saturation_pressure", "humidity_ratio", "dew_point", "enthalpy", "wet_bulb", "relative_humidity",
           "humidity_ratio_from_wet_bulb", "saturation_humidity_ratio", "enthalpy_kernel",
           "saturation_temperature_from_enthalpy", "STANDARD_PRESSURE"]

#: Standard atmosphere at sea level [Pa] (ASHRAE Fundamentals 2017 Ch. 1, Table 1).
STANDARD_PRESSURE = 101325.0

_C = (-5.6745359e3, 6.3925247, -9.6778430e-3, 6.2215701e-7, 2.0747825e-9, -9.4840240e-13, 4.1635019)  # ice
_D = (-5.8002206e3, 1.3914993, -4.8640239e-2, 4.1764768e-5, -1.4452093e-8, 6.5459673)  # water


def _psat(t_k: np.ndarray) -> np.ndarray:
    t = np.asarray(t_k, dtype=float)
    ice = _C[0] / t + _C[1] + _C[2] * t + _C[3] * t**2 + _C[4] * t**3 + _C[5] * t**4 + _C[6] * np.log(t)
    liq = _D[0] / t + _D[1] + _D[2] * t + _D[3] * t**2 + _D[4] * t**3 + _D[5] * np.log(t)
    return np.exp(np.where(t < 273.15, ice, liq))


def _w(pw: np.ndarray, p: np.ndarray) -> np.ndarray:
    return 0.621945 * pw / (p - pw)


@quantity_io(returns="Pa", temperature="K")
def saturation_pressure(temperature):
    """Saturation pressure of water vapour at ``temperature`` [K] (ASHRAE eqs. 5–6). [Pa]"""
    return _psat(temperature)


@quantity_io(returns="", temperature="K", relative_humidity="", pressure="Pa")
def humidity_ratio(temperature, relative_humidity, pressure):
    """Humidity ratio [kg water / kg dry air] from dry bulb [K], relative humidity (0..1) [-] and pressure [Pa]."""
    return _w(np.asarray(relative_humidity) * _psat(temperature), np.asarray(pressure, dtype=float))


@quantity_io(returns="", temperature="K", humidity_ratio="", pressure="Pa")
def relative_humidity(temperature, humidity_ratio, pressure):
    """Relative humidity (0..1) [-] from dry bulb [K], humidity ratio [-] and pressure [Pa]."""
    w = np.asarray(humidity_ratio, dtype=float)
    pw = w * np.asarray(pressure, dtype=float) / (0.621945 + w)
    return pw / _psat(temperature)


@quantity_io(returns="K", temperature="K", relative_humidity="")
def dew_point(temperature, relative_humidity):
    """Dew point [K] from dry bulb [K] and relative humidity (0..1): the temperature where p_sat = p_w.

    Solved by bisection between 180 K and the dry bulb.
    """
    target = np.asarray(relative_humidity, dtype=float) * _psat(temperature)
    lo = np.full(np.shape(target), 180.0)
    hi = np.asarray(temperature, dtype=float) * np.ones(np.shape(target))
    for _ in range(45):
        mid = 0.5 * (lo + hi)
        too_warm = _psat(mid) > target
        hi = np.where(too_warm, mid, hi)
        lo = np.where(too_warm, lo, mid)
    return 0.5 * (lo + hi)


@quantity_io(returns="J/kg", temperature="K", humidity_ratio="")
def enthalpy(temperature, humidity_ratio):
    """Specific enthalpy of moist air [J/kg dry air] (ASHRAE eq. 32), zero at 0 °C dry air."""
    t = np.asarray(temperature, dtype=float) - 273.15
    return 1e3 * (1.006 * t + np.asarray(humidity_ratio) * (2501.0 + 1.86 * t))


def wet_bulb_kernel(t_k, rh, p):
    """Thermodynamic wet bulb [K] from dry bulb [K], RH (0..1) and pressure [Pa]; SI arrays, no units."""
    t_k = np.asarray(t_k, dtype=float)
    p = np.asarray(p, dtype=float)
    w = _w(np.asarray(rh, dtype=float) * _psat(t_k), p)
    t = t_k - 273.15
    lo = np.full(np.broadcast(t_k, w).shape, -60.0)
    hi = t * np.ones_like(lo)
    for _ in range(40):
        ts = 0.5 * (lo + hi)
        ws = _w(_psat(ts + 273.15), p)
        w_liq = ((2501.0 - 2.326 * ts) * ws - 1.006 * (t - ts)) / (2501.0 + 1.86 * t - 4.186 * ts)
        w_ice = ((2830.0 - 0.24 * ts) * ws - 1.006 * (t - ts)) / (2830.0 + 1.86 * t - 2.1 * ts)
        w_star = np.where(ts >= 0.0, w_liq, w_ice)
        # w_star rises with t*: too high a guess gives w_star > w
        too_high = w_star > w
        hi = np.where(too_high, ts, hi)
        lo = np.where(too_high, lo, ts)
    return 0.5 * (lo + hi) + 273.15


@quantity_io(returns="K", temperature="K", relative_humidity="", pressure="Pa")
def wet_bulb(temperature, relative_humidity, pressure):
    """Thermodynamic wet-bulb temperature [K] (ASHRAE eq. 33/35), vectorised.

    Parameters
    ----------
    temperature : Quantity
        Dry-bulb temperature. [K]
    relative_humidity : float or array
        Relative humidity, 0..1. [-]
    pressure : Quantity
        Barometric pressure. [Pa]

    Examples
    --------
    >>> import facility
    >>> from facility.units import Q_
    >>> round(wet_bulb(Q_(35, "degC"), 0.5, Q_(101325, "Pa")).m_as("degC"), 2)
    26.14
    """
    return wet_bulb_kernel(temperature, relative_humidity, pressure)


# ------------------------------------------------------------------------------------------------ SI kernels
def saturation_humidity_ratio(t_k, p=STANDARD_PRESSURE):
    """Humidity ratio of saturated air [kg/kg dry air] at ``t_k`` [K] and pressure ``p`` [Pa] (ASHRAE eq. 23)."""
    return _w(_psat(t_k), np.asarray(p, dtype=float))


def humidity_ratio_from_wet_bulb(t_db, t_wb, p=STANDARD_PRESSURE):
    r"""Humidity ratio [kg/kg dry air] from dry bulb and thermodynamic wet bulb [K] at pressure ``p`` [Pa].

    ASHRAE Fundamentals 2017 Ch. 1 eq. (35) (wet bulb at or above 0 degC) and (37) (below):
    :math:`W = \frac{(2501 - 2.326 t^*) W_s^* - 1.006 (t - t^*)}{2501 + 1.86 t - 4.186 t^*}`.
    """
    t = np.asarray(t_db, dtype=float) - 273.15
    ts = np.asarray(t_wb, dtype=float) - 273.15
    ws = _w(_psat(ts + 273.15), np.asarray(p, dtype=float))
    liq = ((2501.0 - 2.326 * ts) * ws - 1.006 * (t - ts)) / (2501.0 + 1.86 * t - 4.186 * ts)
    ice = ((2830.0 - 0.24 * ts) * ws - 1.006 * (t - ts)) / (2830.0 + 1.86 * t - 2.1 * ts)
    return np.maximum(np.where(ts >= 0.0, liq, ice), 0.0)


def enthalpy_kernel(t_k, w):
    """Moist-air enthalpy [J/kg dry air] (ASHRAE eq. 32) from dry bulb [K] and humidity ratio [-]; SI, no units."""
    t = np.asarray(t_k, dtype=float) - 273.15
    return 1e3 * (1.006 * t + np.asarray(w, dtype=float) * (2501.0 + 1.86 * t))


def saturation_temperature_from_enthalpy(h, p=STANDARD_PRESSURE):
    """Temperature [K] of saturated air whose enthalpy is ``h`` [J/kg dry air] at ``p`` [Pa]: bisection between
    -40 and 80 degC (40 halvings), on whole arrays."""
    h = np.asarray(h, dtype=float)
    lo = np.full(np.broadcast(h, p).shape, 233.15)
    hi = np.full(lo.shape, 353.15)
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        high = enthalpy_kernel(mid, saturation_humidity_ratio(mid, p)) > h
        hi = np.where(high, mid, hi)
        lo = np.where(high, lo, mid)
    return 0.5 * (lo + hi)
