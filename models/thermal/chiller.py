r"""Vapour-compression chillers: COP from the lift and a second-law efficiency, and part-load performance.

.. math:: COP = \eta_{II}\,\frac{T_{evap}}{T_{cond} - T_{evap}}

with refrigerant evaporating :math:`\Delta T_e` below the chilled-water supply and condensing :math:`\Delta T_c`
above the condenser-fluid (or air) leaving temperature — the Carnot bound scaled by a second-law efficiency
(Gordon & Ng, "Cool Thermodynamics", 2000, Ch. 3). Calibrated per chiller type so that the COP at the AHRI
550/590 rating conditions meets the ASHRAE 90.1-2019 minimum (tested).

At small lifts the Carnot form grows without bound while real machines do not (motor, drive, oil and
auxiliary losses stay): the COP is capped at ``cop_max`` = 12, an engineering assumption in line with the best
low-lift integrated part-load values published for magnetic-bearing centrifugal chillers (NPLV ~10-12).

Part load: the electric input ratio relative to full load follows the quadratic
:math:`EIR(PLR)/EIR(1) = a + b\,PLR + c\,PLR^2` of the DOE-2 chiller model (EnergyPlus Engineering Reference,
"Electric Chiller Model Based on Condenser Entering Temperature"; coefficients per chiller in the catalog).
"""

from __future__ import annotations

import numpy as np

__all__ = ["cop", "part_load_power"]


def cop(t_chw_supply, t_cond_fluid, eta_ii, evap_approach=2.0, cond_approach=3.0, cop_max=12.0, min_lift=None):
    """Chiller COP [-] at chilled-water supply ``t_chw_supply`` [K] and condenser fluid temperature [K].

    ``t_cond_fluid`` is the condenser water leaving temperature (water-cooled) or the entering air (air-cooled);
    ``eta_ii`` the second-law efficiency [-]; approaches of evaporator and condenser [K]; ``cop_max`` the cap at
    small lifts [-]; ``min_lift`` [K]: ``None`` raises ValueError where the lift is not positive (no compression
    needed: use the economiser), a number floors the lift at it instead (hour-by-hour operation, where hours the
    economiser covers give the chiller no load; any floor below ~15 K leaves the capped COP unchanged).
    """
    t_e = np.asarray(t_chw_supply, dtype=float) - evap_approach
    t_c = np.asarray(t_cond_fluid, dtype=float) + cond_approach
    lift = t_c - t_e
    if min_lift is not None:
        lift = np.maximum(lift, min_lift)
    elif np.any(lift <= 0):
        raise ValueError("no positive lift: the condenser is colder than the evaporator")
    return np.minimum(eta_ii * t_e / lift, cop_max)


def part_load_power(load, capacity, cop_full, eir_curve=(0.2, 0.3, 0.5)):
    """Compressor power [W] at ``load`` [W] for a chiller of ``capacity`` [W] with full-load ``cop_full`` [-].

    ``eir_curve`` = (a, b, c) of the part-load EIR ratio, a + b + c = 1 (full load).
    """
    plr = np.clip(np.asarray(load, dtype=float) / capacity, 0.0, 1.0)
    a, b, c = eir_curve
    return np.where(plr > 0, capacity / cop_full * (a + b * plr + c * plr * plr), 0.0)
