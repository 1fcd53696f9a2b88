r"""Cold plates: thermal resistance and pressure drop against flow, and the chip case temperature.

A cold plate's case-to-coolant resistance falls with flow as the convective coefficient rises; for the
turbulent/developing flow in microchannel plates :math:`h \propto \dot V^{n}` with :math:`n \approx 0.5\text{–}0.8`,
so :math:`R(\dot V) = R_r (\dot V/\dot V_r)^{-n}` (Incropera & DeWitt §8.5; the form vendors fit to their
R–flow curves). Pressure drop :math:`\Delta p = \Delta p_r (\dot V/\dot V_r)^{m}`, :math:`m \approx 1.8\text{–}2`.

The case temperature of a chip dissipating :math:`P` with coolant entering at :math:`T_{in}` is

.. math:: T_{case} = T_{in} + \frac{P}{2\,\dot m c_p} + P\,R(\dot V)

(coolant mean temperature over the plate plus the resistance rise), an engineering approximation used for
cold-plate selection (e.g. ASHRAE TC 9.9, "Liquid Cooling Guidelines for Datacom Equipment Centers", 2nd ed.).
"""

from __future__ import annotations

import numpy as np

from models.units import quantity_io

__all__ = ["cold_plate_resistance", "cold_plate_pressure_drop", "case_temperature"]


@quantity_io(returns="K/W", flow="m**3/s", flow_rated="m**3/s", r_rated="K/W", exponent="")
def cold_plate_resistance(flow, flow_rated, r_rated, exponent=0.6):
    r"""Case-to-coolant thermal resistance at ``flow``: :math:`R_r (\dot V/\dot V_r)^{-n}`. [K/W]"""
    return r_rated * (np.asarray(flow, dtype=float) / flow_rated) ** (-exponent)


@quantity_io(returns="Pa", flow="m**3/s", flow_rated="m**3/s", dp_rated="Pa", exponent="")
def cold_plate_pressure_drop(flow, flow_rated, dp_rated, exponent=1.9):
    r"""Pressure drop at ``flow``: :math:`\Delta p_r (\dot V/\dot V_r)^{m}`. [Pa]"""
    return dp_rated * (np.asarray(flow, dtype=float) / flow_rated) ** exponent


@quantity_io(returns="K", t_in="K", power="W", mass_flow="kg/s", cp="J/(kg*K)", resistance="K/W")
def case_temperature(t_in, power, mass_flow, cp, resistance):
    r"""Chip case temperature :math:`T_{in} + P/(2\dot m c_p) + P R`. [K]

    Parameters
    ----------
    t_in : Quantity
        Coolant temperature entering the plate. [K]
    power : Quantity
        Heat of the chip into the plate. [W]
    mass_flow : Quantity
        Coolant mass flow through the plate. [kg/s]
    cp : Quantity
        Coolant specific heat. [J/(kg·K)]
    resistance : Quantity
        Case-to-coolant resistance at that flow. [K/W]
    """
    p = np.asarray(power, dtype=float)
    return t_in + p / (2.0 * mass_flow * cp) + p * resistance
