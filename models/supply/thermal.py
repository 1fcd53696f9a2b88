r"""Gas turbines and reciprocating engines: heat rate at part load, fuel, CO2 and NOx.

Fuel input is linear in output for the units that are online (the "input-output curve" of economic dispatch,
Wood, Wollenberg & Sheblé, *Power Generation, Operation and Control*, 3rd ed. 2014, §4.1, with a no-load term):

.. math:: F = a\,P_{on} + b\,P, \qquad HR(x) = \frac{F}{P} = \frac{a + b\,x}{x}, \quad x = P / P_{on}

with :math:`P_{on}` the rated power of the units online [W], :math:`P` their output [W], :math:`a` the no-load
fuel per watt online and :math:`b` the incremental heat rate [-] (J of fuel per J of electricity). Two published
points fix the line: the full-load heat rate :math:`HR_1` and a part-load heat rate :math:`HR_x` at load
fraction :math:`x` (data sheets give 100 % and 50 % or 75 %):

.. math:: b = \frac{HR_1 - x\,HR_x}{1 - x}, \qquad a = HR_1 - b

The same line is what a linear dispatch model can carry (:mod:`facility.supply`): the no-load term on the online
capacity, the incremental term on the output.

Emissions are proportional to the fuel burned: :math:`m = EF \cdot F` with the emission factor per unit of fuel
heat input, both on the same heating-value basis (EPA 40 CFR 98 Table C-1 for CO2; EPA AP-42 §3.1 and §3.2 for
NOx, per MMBtu of higher heating value).

Heat rates in the catalog are in Btu/kWh (HHV, as EIA publishes them); inside, a heat rate is dimensionless
(J/J): 1 Btu/kWh = 1055.056 / 3.6e6 J/J.
"""

from __future__ import annotations

import numpy as np

from models.units import quantity_io

__all__ = ["fuel_curve", "heat_rate", "fuel_power", "emissions", "BTU_PER_KWH"]

#: One Btu/kWh as a ratio of energies [-]: the Btu of ISO 31-4 (1055.056 J), as pint defines it, so that catalog
#: figures read through pint and this constant agree exactly (the International Table Btu is 1055.05585 J).
BTU_PER_KWH = 1055.056 / 3.6e6


def fuel_curve(heat_rate_full, heat_rate_part, part_load):
    """No-load and incremental fuel coefficients (a, b) [-] of the linear input-output curve.

    Parameters
    ----------
    heat_rate_full
        Heat rate at rated output. [-] (J fuel / J electricity)
    heat_rate_part
        Heat rate at ``part_load``. [-]
    part_load
        Load fraction of the part-load point, 0 < x < 1. [-]

    Raises
    ------
    ValueError
        The part-load heat rate is not above the full-load one (the curve would have no no-load fuel), or the
        load fraction is outside (0, 1).
    """
    x = float(part_load)
    if not 0.0 < x < 1.0:
        raise ValueError(f"part-load point at {x!r}; expected a load fraction between 0 and 1")
    if not heat_rate_part > heat_rate_full:
        raise ValueError(f"part-load heat rate {heat_rate_part!r} is not above the full-load one {heat_rate_full!r}; "
                         "expected a heat rate that rises at part load")
    b = (heat_rate_full - x * heat_rate_part) / (1.0 - x)
    a = heat_rate_full - b
    if b <= 0:
        raise ValueError("the two heat-rate points give no incremental fuel (b <= 0); check the data sheet figures")
    return a, b


def heat_rate(load_fraction, heat_rate_full, heat_rate_part, part_load):
    """Heat rate [-] at ``load_fraction`` [-] of the units online (see the module docstring)."""
    a, b = fuel_curve(heat_rate_full, heat_rate_part, part_load)
    x = np.asarray(load_fraction, dtype=float)
    with np.errstate(divide="ignore"):
        return np.where(x > 0, (a + b * x) / np.where(x > 0, x, 1.0), np.inf)


@quantity_io(returns="W", power="W", online="W")
def fuel_power(power, online, a, b):
    """Fuel heat input [W] of units of rated power ``online`` [W] producing ``power`` [W], curve (a, b) [-]."""
    p = np.asarray(power, dtype=float)
    on = np.asarray(online, dtype=float)
    return np.where(on > 0, a * on + b * p, 0.0)


@quantity_io(returns="kg", fuel="J", factor="kg/J")
def emissions(fuel, factor):
    """Mass emitted [kg] by ``fuel`` [J] of heat input at an emission factor [kg/J] (same heating-value basis)."""
    return np.asarray(fuel, dtype=float) * factor
