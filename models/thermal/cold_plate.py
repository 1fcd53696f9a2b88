r"""Cold plates: thermal resistance and pressure drop against the flow through each plate, and the chip case
temperature.

**Resistance.** A cold plate's case-to-coolant resistance is conduction (thermal interface, base) in series with
convection to the coolant (Incropera & DeWitt, *Fundamentals of Heat and Mass Transfer*, 6th ed., §3.6 and §8.4):

.. math:: R(\dot V) = R_f + (R_r - R_f)\,(\dot V/\dot V_r)^{-n}

:math:`R_f` the flow-independent part (interface and base conduction), :math:`R_r` the resistance at the rated
flow :math:`\dot V_r` of one plate, and :math:`n` the Reynolds exponent of the convective coefficient in the
plate's flow regime, :math:`h \propto Re^{n}`: :math:`n = 0` for laminar fully developed flow (Shah & London,
constant Nusselt number), :math:`n \approx 0.2\text{–}0.35` for laminar thermally developing flow in mini-channels
(Hausen; Baehr & Stephan: :mod:`ht.conv_internal`), :math:`n = 0.8` turbulent (Dittus–Boelter).

**Pressure drop.** Laminar friction in the channels is linear in flow, the form losses of the plate's inlet and
outlet plenums and turns are quadratic (Idelchik, *Handbook of Hydraulic Resistance*):

.. math:: \Delta p(\dot V) = \Delta p_r\,[\,s\,x + (1 - s)\,x^2\,],\quad x = \dot V/\dot V_r

with :math:`s` the laminar (friction) share of the rated pressure drop :math:`\Delta p_r`.

**Microchannel heat sink (Tuckerman & Pease).** :func:`microchannel_resistance` and
:func:`microchannel_pressure_drop` compute the same two quantities from a plate's geometry — parallel rectangular
channels of width :math:`w_c`, depth :math:`b`, walls :math:`w_w`, length :math:`L` over a base of thickness
:math:`t` — for laminar fully developed flow: Shah & London's :math:`f\,Re` and Nusselt number of rectangular ducts
(Shah & London, *Laminar Flow Forced Convection in Ducts*, 1978, ch. VII), the channel walls as fins of
efficiency :math:`\tanh(mb)/(mb)`, :math:`m = \sqrt{2h/(k_s w_w)}`, and the caloric resistance
:math:`1/(\rho c_p \dot V)` of the coolant's rise to the outlet, the reference of Tuckerman & Pease's
"thermal resistance" (D. B. Tuckerman and R. F. W. Pease, "High-performance heat sinking for VLSI", IEEE Electron
Device Letters EDL-2(5), 1981, pp. 126–129: 0.090 K/W at 8.6 cm³/s and 214 kPa over 1 cm², 790 W/cm²).

**Case temperature.** A chip dissipating :math:`P` with coolant entering at :math:`T_{in}`:

.. math:: T_{case} = T_{in} + \frac{P}{2\,\dot m c_p} + P\,R(\dot V)

(coolant mean temperature over the plate plus the resistance rise), an engineering approximation used for
cold-plate selection (e.g. ASHRAE TC 9.9, "Liquid Cooling Guidelines for Datacom Equipment Centers", 2nd ed.).
"""

from __future__ import annotations

import numpy as np

from models.units import quantity_io

__all__ = ["cold_plate_resistance", "cold_plate_pressure_drop", "case_temperature", "microchannel_resistance",
           "microchannel_pressure_drop", "shah_london_f_re", "shah_london_nu"]


@quantity_io(returns="K/W", flow="m**3/s", flow_rated="m**3/s", r_rated="K/W", exponent="", r_fixed="K/W")
def cold_plate_resistance(flow, flow_rated, r_rated, exponent, r_fixed=0.0):
    r"""Case-to-coolant resistance at the flow through one plate:
    :math:`R_f + (R_r - R_f)(\dot V/\dot V_r)^{-n}`. [K/W]

    Parameters
    ----------
    flow : Quantity
        Coolant flow through the plate. [m³/s]
    flow_rated : Quantity
        Flow of the rated point. [m³/s]
    r_rated : Quantity
        Resistance at the rated flow. [K/W]
    exponent : float
        Reynolds exponent :math:`n` of the convective coefficient. [-]
    r_fixed : Quantity
        Flow-independent part (interface and base conduction). [K/W]
    """
    x = np.asarray(flow, dtype=float) / flow_rated
    with np.errstate(divide="ignore"):
        return r_fixed + (r_rated - r_fixed) * x ** (-exponent)


@quantity_io(returns="Pa", flow="m**3/s", flow_rated="m**3/s", dp_rated="Pa", laminar_share="")
def cold_plate_pressure_drop(flow, flow_rated, dp_rated, laminar_share):
    r"""Pressure drop of one plate at its flow: :math:`\Delta p_r [s x + (1-s) x^2]`,
    :math:`x = \dot V/\dot V_r`. [Pa]

    Parameters
    ----------
    flow, flow_rated : Quantity
        Coolant flow through the plate and at the rated point. [m³/s]
    dp_rated : Quantity
        Pressure drop at the rated flow. [Pa]
    laminar_share : float
        Share :math:`s` of the rated pressure drop that is laminar channel friction (linear in flow). [-]
    """
    x = np.asarray(flow, dtype=float) / flow_rated
    return dp_rated * (laminar_share * x + (1.0 - laminar_share) * x * x)


def shah_london_f_re(aspect):
    r"""Darcy :math:`f\,Re` of laminar fully developed flow in a rectangular duct of aspect
    ratio :math:`\alpha \le 1` (Shah & London 1978, ch. VII):
    :math:`96(1 - 1.3553\alpha + 1.9467\alpha^2 - 1.7012\alpha^3 + 0.9564\alpha^4 - 0.2537\alpha^5)`. [-]"""
    a = np.asarray(aspect, dtype=float)
    return 96.0 * (1 - 1.3553 * a + 1.9467 * a**2 - 1.7012 * a**3 + 0.9564 * a**4 - 0.2537 * a**5)


def shah_london_nu(aspect):
    r"""Nusselt number (H1 boundary condition, four walls heated) of laminar fully developed flow in a rectangular
    duct of aspect ratio :math:`\alpha \le 1` (Shah & London 1978, ch. VII):
    :math:`8.235(1 - 2.0421\alpha + 3.0853\alpha^2 - 2.4765\alpha^3 + 1.0578\alpha^4 - 0.1861\alpha^5)`. [-]"""
    a = np.asarray(aspect, dtype=float)
    return 8.235 * (1 - 2.0421 * a + 3.0853 * a**2 - 2.4765 * a**3 + 1.0578 * a**4 - 0.1861 * a**5)


def _channels(width, channel_width, wall_width, channel_depth):
    n = np.floor(width / (channel_width + wall_width) + 0.5)
    aspect = min(channel_width, channel_depth) / max(channel_width, channel_depth)
    dh = 2.0 * channel_width * channel_depth / (channel_width + channel_depth)
    return n, aspect, dh


@quantity_io(returns="K/W", flow="m**3/s", width="m", length="m", channel_width="m", wall_width="m",
             channel_depth="m", base_thickness="m", k_solid="W/(m*K)", density="kg/m**3", cp="J/(kg*K)",
             k_fluid="W/(m*K)")
def microchannel_resistance(flow, width, length, channel_width, wall_width, channel_depth, base_thickness, k_solid,
                            density, cp, k_fluid):
    r"""Resistance from the heated surface to the coolant inlet of a microchannel heat sink in laminar fully
    developed flow (Tuckerman & Pease 1981; see the module docstring): base conduction
    :math:`t/(k_s W L)` + convection :math:`1/(h N L (w_c + 2\eta b))` + caloric :math:`1/(\rho c_p \dot V)`. [K/W]

    Parameters
    ----------
    flow : Quantity
        Coolant flow through the sink. [m³/s]
    width, length : Quantity
        Heated width (across the channels) and channel length. [m]
    channel_width, wall_width, channel_depth : Quantity
        Channel width :math:`w_c`, wall (fin) width :math:`w_w` and channel depth :math:`b`. [m]
    base_thickness : Quantity
        Solid between the heated surface and the channel floors. [m]
    k_solid : Quantity
        Conductivity of the sink's material. [W/(m·K)]
    density, cp, k_fluid : Quantity
        Coolant density [kg/m³], specific heat [J/(kg·K)] and conductivity [W/(m·K)].
    """
    n, aspect, dh = _channels(width, channel_width, wall_width, channel_depth)
    h = shah_london_nu(aspect) * k_fluid / dh
    m = np.sqrt(2.0 * h / (k_solid * wall_width))
    eta = np.tanh(m * channel_depth) / (m * channel_depth)
    area = n * length * (channel_width + 2.0 * eta * channel_depth)
    v = np.asarray(flow, dtype=float)
    return base_thickness / (k_solid * width * length) + 1.0 / (h * area) + 1.0 / (density * cp * v)


@quantity_io(returns="Pa", flow="m**3/s", width="m", length="m", channel_width="m", wall_width="m",
             channel_depth="m", density="kg/m**3", viscosity="Pa*s")
def microchannel_pressure_drop(flow, width, length, channel_width, wall_width, channel_depth, density, viscosity):
    r"""Channel friction of a microchannel heat sink in laminar fully developed flow,
    :math:`\Delta p = (f Re/Re)(L/D_h)\,\rho u^2/2 = f Re\,\mu\,u\,L/(2 D_h^2)` (Shah & London). [Pa]

    Parameters
    ----------
    flow : Quantity
        Coolant flow through the sink. [m³/s]
    width, length, channel_width, wall_width, channel_depth : Quantity
        Geometry as :func:`microchannel_resistance`. [m]
    density, viscosity : Quantity
        Coolant density [kg/m³] and dynamic viscosity [Pa·s].
    """
    n, aspect, dh = _channels(width, channel_width, wall_width, channel_depth)
    u = np.asarray(flow, dtype=float) / (n * channel_width * channel_depth)
    return shah_london_f_re(aspect) * viscosity * u * length / (2.0 * dh * dh)


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
