r"""Hydraulics: pipe friction (via ``fluids``), flow-squared scaling of component pressure drop, pump power.

* Darcy–Weisbach: :math:`\Delta p = f_D \frac{L}{D} \frac{\rho v^2}{2}`, with the Darcy friction factor of
  Swamee & Jain (1976), :math:`f_D = 0.25/[\log_{10}(\varepsilon/(3.7D) + 5.74/Re^{0.9})]^2` in turbulent flow
  (:math:`5\times10^3 < Re < 10^8`; within 1.2 % of Colebrook for Re >= 1e4 and relative roughness <= 1e-3,
  the range of water mains, and 2.8 % at worst at Re 5,000 and relative roughness 0.01, as
  ``tests/models/thermal/test_hydraulics.py`` measures) and :math:`64/Re` in laminar flow, written as a numpy
  kernel and tested against ``fluids.friction.friction_factor`` (Clamond's exact Colebrook solution) [1]_.
* A component with a rated pressure drop at a rated flow follows :math:`\Delta p = \Delta p_r (\dot V/\dot V_r)^2`
  (fully turbulent, constant loss coefficient) [2]_.
* Pump electric power :math:`P = \dot V \Delta p / (\eta_{pump} \eta_{motor} \eta_{drive})` [2]_.

.. [1] C. Bell, fluids: Fluid dynamics component of Chemical Engineering Design Library (ChEDL), 2016-2024.
.. [2] ASHRAE Handbook — HVAC Systems and Equipment (2020), Ch. 44 "Centrifugal pumps".
"""

from __future__ import annotations

import numpy as np

from models.units import quantity_io

__all__ = ["friction_factor_swamee_jain", "pipe_pressure_drop", "pipe_diameter_for_velocity", "pipe_diameter",
           "scale_pressure_drop",
           "pump_power", "sum_pressure_drops"]


def friction_factor_swamee_jain(re, relative_roughness):
    """Darcy friction factor [-]: Swamee-Jain (1976) above Re = 2300, 64/Re below; numpy arrays, no units.

    (A sharp laminar/turbulent switch; the transition region 2300 < Re < 5000 is outside the correlation's
    validity and is not met in the loops sized here.)
    """
    re = np.asarray(re, dtype=float)
    safe = np.maximum(re, 1e-12)
    # in place on one temporary (the same operations in the same order as 0.25 / log10(e / 3.7 + 5.74 / Re^0.9)^2)
    rough = np.asarray(relative_roughness) / 3.7
    t = np.empty(np.broadcast(safe, rough).shape)
    np.power(safe, 0.9, out=t)
    np.divide(5.74, t, out=t)
    np.add(rough, t, out=t)
    np.log10(t, out=t)
    np.square(t, out=t)
    np.divide(0.25, t, out=t)
    turbulent = re > 2300.0
    if turbulent.all():  # (the loops' operating range: no laminar hour to pick)
        return t
    return np.where(turbulent, t, 64.0 / safe)


@quantity_io(returns="Pa", flow="m**3/s", diameter="m", length="m", rho="kg/m**3", mu="Pa*s", roughness="m")
def pipe_pressure_drop(flow, diameter, length, rho, mu, roughness):
    r"""Friction pressure drop of a straight pipe, Darcy–Weisbach with ``fluids``' friction factor [1]_.

    Parameters
    ----------
    flow : Quantity
        Volume flow. [m³/s]
    diameter : Quantity
        Inner diameter. [m]
    length : Quantity
        Equivalent length (straight pipe plus fittings). [m]
    rho : Quantity
        Density. [kg/m³]
    mu : Quantity
        Dynamic viscosity. [Pa·s]
    roughness : Quantity
        Absolute roughness (commercial steel ~45 µm). [m]
    """
    q = np.asarray(flow, dtype=float)
    area = np.pi * diameter**2 / 4.0
    v = q / area
    re = rho * np.abs(v) * diameter / mu
    f = friction_factor_swamee_jain(re, roughness / diameter)
    return np.where(q == 0, 0.0, f * length / diameter * rho * v * v / 2.0)


@quantity_io(returns="m", flow="m**3/s", velocity="m/s")
def pipe_diameter_for_velocity(flow, velocity):
    r"""Inner diameter that carries ``flow`` at a mean ``velocity``: :math:`D = \sqrt{4\dot V/(\pi v)}`. [m]"""
    return np.sqrt(4.0 * np.asarray(flow, dtype=float) / (np.pi * velocity))


def pipe_diameter(flow, velocity, friction_rate, rho, mu, roughness):
    r"""Inner diameter [m] of a main sized the way ASHRAE Handbook — Fundamentals (2017) Ch. 22 "Pipe sizing"
    describes for water: the smallest pipe within both a velocity limit and a friction-rate limit (the
    chapter's 100-400 Pa/m practice; small pipes are bound by friction, large ones by velocity).

    ``flow`` [m3/s] (number or array), ``velocity`` [m/s], ``friction_rate`` [Pa/m], ``rho`` [kg/m3], ``mu``
    [Pa s], ``roughness`` [m]. The friction-rate diameter solves :math:`f_D(Re, \varepsilon/D)\,8\rho\dot V^2 /
    (\pi^2 D^5) = S` by fixed-point iteration on :math:`D = (8 f_D \rho \dot V^2/(\pi^2 S))^{1/5}` (f_D of
    :func:`friction_factor_swamee_jain`; the iteration contracts, since D varies as f_D^{1/5}; 8 steps reach
    round-off)."""
    q = np.asarray(flow, dtype=float)
    d_v = np.sqrt(4.0 * q / (np.pi * velocity))  # (the velocity limit, as pipe_diameter_for_velocity)
    safe = np.where(d_v > 0, d_v, 1.0)
    f = friction_factor_swamee_jain(4.0 * rho * q / (np.pi * mu * safe), roughness / safe)
    if np.all(f * 8.0 * rho * q * q / (np.pi**2 * safe**5) <= friction_rate):
        return d_v  # every main within the friction rate at the velocity limit (large mains): no iteration
    d = d_v
    for _ in range(8):
        safe = np.where(d > 0, d, 1.0)
        re = 4.0 * rho * q / (np.pi * mu * safe)
        f = friction_factor_swamee_jain(re, roughness / safe)
        d = np.where(q > 0, (8.0 * f * rho * q * q / (np.pi**2 * friction_rate)) ** 0.2, 0.0)
    return np.maximum(d_v, d)


@quantity_io(returns="Pa", flow="m**3/s", flow_rated="m**3/s", dp_rated="Pa")
def scale_pressure_drop(flow, flow_rated, dp_rated):
    r"""Pressure drop of a component at ``flow`` from its rated point: :math:`\Delta p_r (\dot V/\dot V_r)^2` [2]_."""
    x = np.asarray(flow, dtype=float) / flow_rated
    return dp_rated * x * x


@quantity_io(returns="W", flow="m**3/s", pressure_rise="Pa", efficiency="")
def pump_power(flow, pressure_rise, efficiency):
    r"""Electric power of a pump (or fan): :math:`\dot V \Delta p / \eta` [2]_.

    Parameters
    ----------
    flow : Quantity
        Volume flow. [m³/s]
    pressure_rise : Quantity
        Pressure the pump adds. [Pa]
    efficiency : float
        Wire-to-water efficiency: pump x motor x drive. [-]

    Examples
    --------
    >>> import facility
    >>> from facility.units import Q_
    >>> round(pump_power(Q_(50, "L/s"), Q_(250, "kPa"), 0.62).m_as("kW"), 2)  # a 2 MW CDU loop
    20.16
    """
    if np.any(np.asarray(efficiency) <= 0) or np.any(np.asarray(efficiency) > 1):
        raise ValueError("efficiency must lie in (0, 1]")
    return np.asarray(flow, dtype=float) * pressure_rise / efficiency


def sum_pressure_drops(drops):
    r"""Pressure drop of components in series at one flow: :math:`\Delta p = \sum_i \Delta p_i` [Pa] (the pump head
    of a circuit is the sum along its critical path, ASHRAE Handbook — HVAC Systems and Equipment 2020, ch. 13);
    SI floats or numpy arrays (a batch), no units."""
    out = 0.0
    for dp in drops:
        out = out + dp
    return out
