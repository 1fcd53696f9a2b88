r"""Accelerator power models.

References
----------
.. [1] X. Fan, W.-D. Weber, L. A. Barroso, "Power provisioning for a warehouse-sized computer",
   Proc. ISCA 2007, section 4.1: server power is well approximated by a linear function of utilisation,
   :math:`P(u) = P_{idle} + (P_{busy} - P_{idle})\,u`.
.. [2] Ohm's law / power balance of a voltage regulator output: :math:`I = P / V`.
"""

from __future__ import annotations

import numpy as np

from models.units import quantity_io

__all__ = ["core_current", "power_at_utilization"]


@quantity_io(returns="W", power_idle="W", power_max="W", utilization="")
def power_at_utilization(utilization, power_idle, power_max):
    r"""Electric power of an accelerator, node or rack at a utilisation, by the linear model of [1]_.

    .. math:: P(u) = P_{idle} + (P_{max} - P_{idle})\,u

    Parameters
    ----------
    utilization : numeric
        Fraction of the time-averaged peak activity, 0 (idle) to 1 (at the power limit). [-]
    power_idle : Quantity
        Power when idle. [W]
    power_max : Quantity
        Power at full utilisation (the rated maximum or TDP). [W]

    Returns
    -------
    Quantity
        Electric power drawn. [W]

    Raises
    ------
    ValueError
        If a utilisation lies outside 0..1 or ``power_idle`` exceeds ``power_max``.

    Examples
    --------
    >>> import facility  # the project's registry
    >>> from facility.units import Q_
    >>> power_at_utilization(0.5, Q_(100, "W"), Q_(700, "W"))
    <Quantity(400.0, 'watt')>
    """
    u = np.asarray(utilization, dtype=float)
    if np.any((u < 0) | (u > 1)) or not np.all(np.isfinite(u)):
        raise ValueError(f"utilization must lie in 0..1; got {utilization!r}")
    if np.any(np.asarray(power_idle) > np.asarray(power_max)):
        raise ValueError("power_idle must not exceed power_max")
    p = power_idle + (power_max - power_idle) * u
    return float(p) if np.ndim(p) == 0 else p


@quantity_io(returns="A", power="W", core_voltage="V")
def core_current(power, core_voltage):
    r"""Current delivered at the core voltage rail of a chip, :math:`I = P / V` [2]_.

    The power is the power *delivered to the core* (after the voltage regulator); for a 700 W H100 at a
    0.8 V core rail this gives 875 A.

    Parameters
    ----------
    power : Quantity
        Power delivered at the core rail. [W]
    core_voltage : Quantity
        Core supply voltage, typically 0.6–0.9 V for 4–7 nm logic. [V]

    Returns
    -------
    Quantity
        Core current. [A]

    Examples
    --------
    >>> import facility
    >>> from facility.units import Q_
    >>> core_current(Q_(700, "W"), Q_(0.8, "V"))
    <Quantity(875.0, 'ampere')>
    """
    v = np.asarray(core_voltage, dtype=float)
    if np.any(v <= 0):
        raise ValueError(f"core_voltage must be positive; got {core_voltage!r} V")
    i = np.asarray(power, dtype=float) / v
    return float(i) if np.ndim(i) == 0 else i
