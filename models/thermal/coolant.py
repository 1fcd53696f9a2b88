r"""Coolant properties, tabulated once per fluid from CoolProp and interpolated on arrays.

Fluids are CoolProp names: ``"Water"`` (IAPWS-95 via HEOS), ``"INCOMP::MPG[0.25]"`` (propylene glycol 25 % by
mass, "PG25"), ``"INCOMP::MEG[0.25]"`` (ethylene glycol 25 %, "EG25"); aliases ``water``, ``pg25``, ``eg25``,
``pg30``... and CoolProp's other spelling ``INCOMP::MPG-25%`` resolve to them. Properties are tabulated at 1 K
steps from 1 K above the fluid's freezing point (1 °C for water) to 95 °C at 2 bar and interpolated linearly.

Water and the glycols at 5-60 % in 5 % steps ship as package data (``models/thermal/data/coolants.npz``, written
by ``python -m models.thermal.tabulate``), so this module does not import CoolProp (whose import takes ~4 s);
any other CoolProp fluid is tabulated on first use with CoolProp, imported then. The tables agree with direct
CoolProp calls to 2e-5 (relative) for density, specific heat and conductivity and 3e-3 for viscosity (tested at
20 points across the range of every shipped coolant).

The sensible heat carried by a liquid flow is :math:`Q = \dot m c_p \Delta T`, so

.. math:: \dot m = \frac{Q}{c_p \Delta T}, \qquad \dot V = \frac{\dot m}{\rho}

References
----------
.. [1] I. H. Bell, J. Wronski, S. Quoilin, V. Lemort, "Pure and pseudo-pure fluid thermophysical property
   evaluation and the open-source thermophysical property library CoolProp", Ind. Eng. Chem. Res. 53 (2014).
.. [2] ASHRAE Handbook — Fundamentals (2021), Ch. 31, Physical properties of secondary coolants (brines).
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np

from models.thermal import tabulate
from models.units import quantity_io

__all__ = ["fluid_name", "freezing_point", "properties", "density", "specific_heat", "viscosity",
           "conductivity", "mass_flow", "volume_flow"]

_ALIASES = {"water": "Water"}


def fluid_name(fluid: str) -> str:
    """CoolProp name of a coolant: ``"pg25"`` -> ``"INCOMP::MPG[0.25]"``, ``"water"`` -> ``"Water"``."""
    key = fluid.strip()
    if key.lower() in _ALIASES:
        return _ALIASES[key.lower()]
    m = re.fullmatch(r"(pg|eg)(\d{1,2})", key.lower())
    if m:
        base = "MPG" if m[1] == "pg" else "MEG"
        return f"INCOMP::{base}[{int(m[2]) / 100:.2f}]"
    m = re.fullmatch(r"INCOMP::(MPG|MEG)-(\d{1,2})%", key)  # CoolProp's "INCOMP::MPG-25%" spelling
    if m:
        return f"INCOMP::{m[1]}[{int(m[2]) / 100:.2f}]"
    return key


@cache
def _shipped() -> dict[str, tuple[float, np.ndarray, np.ndarray]]:
    """The package-data tables: CoolProp name -> (freezing point [K], temperatures [K], (4, n) D, C, V, L)."""
    with np.load(tabulate.TABLE_FILE, allow_pickle=False) as data:
        return {str(name): (float(data["freezing_point"][i]), data[f"t_{i}"], data[f"props_{i}"])
                for i, name in enumerate(data["names"])}


@cache
def freezing_point(fluid: str) -> float:
    """Freezing point of the coolant [K] (273.15 K for water)."""
    name = fluid_name(fluid)
    if name in _shipped():
        return _shipped()[name][0]
    try:
        return tabulate.freezing_point_coolprop(name)
    except ValueError as exc:
        raise ValueError(f"unknown coolant {fluid!r} ({exc}); expected water, pg25, eg25 or a CoolProp name") from None


@cache
def _table(fluid: str) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    name = fluid_name(fluid)
    if name in _shipped():
        _, t, values = _shipped()[name]
    else:  # a fluid not shipped: tabulated with CoolProp on first use, on the same grid as the shipped ones
        freezing_point(fluid)  # a clear error for an unknown name
        _, t, values = tabulate.tabulate(name)
    return t, dict(zip(tabulate.PROPERTIES, values, strict=True))


def properties(fluid: str, temperature) -> dict[str, np.ndarray]:
    """Density [kg/m³], specific heat [J/(kg·K)], viscosity [Pa·s] and conductivity [W/(m·K)] at ``temperature`` [K].

    SI magnitudes in, SI magnitudes out (a kernel: see :func:`density` etc. for the unit-aware versions).
    Raises ValueError outside the tabulated range (freezing point + 1 K to 95 °C; 1 °C for water).
    """
    t_tab, tab = _table(fluid)
    t = np.asarray(temperature, dtype=float)
    if np.any(t < t_tab[0]) or np.any(t > t_tab[-1]):
        raise ValueError(f"{fluid}: temperature outside {t_tab[0] - 273.15:.0f}..{t_tab[-1] - 273.15:.0f} degC "
                         f"(the coolant freezes at {freezing_point(fluid) - 273.15:.1f} degC)")
    return {"density": np.interp(t, t_tab, tab["D"]), "cp": np.interp(t, t_tab, tab["C"]),
            "viscosity": np.interp(t, t_tab, tab["V"]), "conductivity": np.interp(t, t_tab, tab["L"])}


def _scalar(x: np.ndarray):
    return float(x) if np.ndim(x) == 0 else x


@quantity_io(returns="kg/m**3", temperature="K")
def density(fluid, temperature):
    """Density of the coolant at ``temperature`` [K]. [kg/m³]"""
    return _scalar(properties(fluid, temperature)["density"])


@quantity_io(returns="J/(kg*K)", temperature="K")
def specific_heat(fluid, temperature):
    """Isobaric specific heat of the coolant at ``temperature`` [K]. [J/(kg·K)]"""
    return _scalar(properties(fluid, temperature)["cp"])


@quantity_io(returns="Pa*s", temperature="K")
def viscosity(fluid, temperature):
    """Dynamic viscosity of the coolant at ``temperature`` [K]. [Pa·s]"""
    return _scalar(properties(fluid, temperature)["viscosity"])


@quantity_io(returns="W/(m*K)", temperature="K")
def conductivity(fluid, temperature):
    """Thermal conductivity of the coolant at ``temperature`` [K]. [W/(m·K)]"""
    return _scalar(properties(fluid, temperature)["conductivity"])


@quantity_io(returns="kg/s", heat="W", cp="J/(kg*K)", delta_t="K")
def mass_flow(heat, cp, delta_t):
    r"""Mass flow that carries ``heat`` with a temperature rise ``delta_t``: :math:`\dot m = Q/(c_p \Delta T)`.

    Parameters
    ----------
    heat : Quantity
        Heat carried. [W]
    cp : Quantity
        Specific heat of the coolant. [J/(kg·K)]
    delta_t : Quantity
        Temperature rise (a difference: ``delta_degC`` or ``K``). [K]
    """
    dt = np.asarray(delta_t, dtype=float)
    if np.any(dt <= 0):
        raise ValueError("the temperature rise must be positive")
    return np.asarray(heat, dtype=float) / (cp * dt)


@quantity_io(returns="m**3/s", heat="W", rho="kg/m**3", cp="J/(kg*K)", delta_t="K")
def volume_flow(heat, rho, cp, delta_t):
    r"""Volume flow that carries ``heat`` with a rise ``delta_t``: :math:`\dot V = Q/(\rho c_p \Delta T)`.

    Examples
    --------
    PG25 at 10 K rise: ~1.5 L/min per kW (the OCP rule of thumb):

    >>> import facility
    >>> from facility.units import Q_
    >>> t = Q_(40, "degC")
    >>> v = volume_flow(Q_(1, "kW"), density("pg25", t), specific_heat("pg25", t), Q_(10, "K"))
    >>> round(v.m_as("L/min"), 2)
    1.5
    """
    dt = np.asarray(delta_t, dtype=float)
    if np.any(dt <= 0):
        raise ValueError("the temperature rise must be positive")
    return np.asarray(heat, dtype=float) / (rho * cp * dt)
