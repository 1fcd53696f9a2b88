r"""Vapour-compression chillers: the DOE-2 / EnergyPlus electric EIR model with per-chiller curves.

The model of ``Chiller:Electric:EIR`` (EnergyPlus Engineering Reference, "Electric Chiller Model Based on
Condenser Entering Temperature"; the DOE-2.1/2.2 chiller model, Hydeman et al., ASHRAE Trans. 108(2), 2002):

.. math::
    CAPFT &= a_1 + a_2 T_{lchw} + a_3 T_{lchw}^2 + a_4 T_{cond} + a_5 T_{cond}^2 + a_6 T_{lchw} T_{cond} \\
    EIRFT &= b_1 + b_2 T_{lchw} + b_3 T_{lchw}^2 + b_4 T_{cond} + b_5 T_{cond}^2 + b_6 T_{lchw} T_{cond} \\
    Q_{avail} &= Q_{ref}\,CAPFT, \qquad PLR = Q / Q_{avail} \\
    EIRFPLR &= c_1 + c_2\,PLR + c_3\,PLR^2 \\
    P &= \frac{Q_{avail}}{COP_{ref}}\,EIRFT\,EIRFPLR(\max(PLR, PLR_{min}))

with :math:`T_{lchw}` the leaving chilled-water and :math:`T_{cond}` the entering condenser water (water-cooled)
or outdoor dry bulb (air-cooled) temperature, both in degC as the curves are written. Below the minimum
unloading ratio :math:`PLR_{min}` the compressor false-loads (hot-gas bypass): its power stays that of
:math:`PLR_{min}` (EnergyPlus "Minimum Unloading Ratio"). An air-cooled chiller's condenser fans draw
:math:`P_{fan} = r_{fan} Q_{ref}` while it runs, times its run fraction (EnergyPlus "Condenser Fan Power Ratio").

Coefficients per catalog chiller from published data sets (each cited in ``cooling.toml``): EnergyPlus
``Chillers.idf`` (e.g. ``ElectricEIRChiller Carrier 19XR 1407kW/6.04COP/VSD``, as also carried by the Modelica
Buildings library ``Buildings.Fluid.Chillers.Data.ElectricEIR``) and the ASHRAE 90.1 performance-rating curves of
NREL openstudio-standards (``AirCooled_Chiller_2010_PathA_CAPFT/EIRFT``, ``AirCooled_Chiller_AllCapacities_2004_
2010_EIRFPLR``, "based on Dick Lord's study, 2010").

The compressor's envelope: leaving chilled water between ``leaving_min`` and ``leaving_max`` (the curves' range),
condenser between ``condenser_min`` and ``condenser_limit`` (the compressor's lift limit; ``condenser_max``, the
highest condenser temperature of the curves' data, when the catalog gives no separate limit; between the two the
biquadratics are extrapolated, EIR rising with the lift). :func:`envelope` reports where a design point lies
outside it (the caller raises :class:`~facility.errors.InfeasibleDesign`). In operation (:func:`eir_chiller`):

* a loop supplied warmer than ``leaving_max`` is served by chilling a side stream to ``leaving_max`` and
  blending it into the supply (the chiller cannot leave warmer water: its curves are evaluated there; the heat
  removed is the same, the lift larger, an honest penalty, not a COP cap);
* condenser water colder than ``condenser_min`` is held at it (tower bypass / head-pressure control, the standard
  control of water-cooled chillers; air-cooled chillers' fan staging does the same);
* hours above the lift limit are evaluated at it (EnergyPlus clamps curve inputs the same way);
  only the design point is checked against the envelope.
"""

from __future__ import annotations

import numpy as np

from models.arrays import holds

__all__ = ["biquadratic", "quadratic", "capacity", "eir_chiller", "eir_terms", "eir_power", "envelope",
           "condenser_limit", "ChillerEnvelopeError"]

#: Kelvin to degC: the curves are written in degC.
_C = 273.15


class ChillerEnvelopeError(ValueError):
    """A design point outside the compressor's envelope (the message says which limit and by how much)."""


def biquadratic(c, x, y):
    """The DOE-2 biquadratic :math:`c_1 + c_2 x + c_3 x^2 + c_4 y + c_5 y^2 + c_6 x y` [-]."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    return c[0] + c[1] * x + c[2] * x * x + c[3] * y + c[4] * y * y + c[5] * x * y


def quadratic(c, x):
    """The DOE-2 quadratic :math:`c_1 + c_2 x + c_3 x^2` [-]."""
    x = np.asarray(x, dtype=float)
    return c[0] + c[1] * x + c[2] * x * x


def _inputs(t_leaving, t_condenser, p):
    """Curve inputs [degC]: leaving water at most ``leaving_max`` (side stream), condenser clamped to its range."""
    lchw = np.minimum(np.asarray(t_leaving, dtype=float), p["leaving_max"]) - _C
    cond = np.clip(np.asarray(t_condenser, dtype=float), p["condenser_min"], condenser_limit(p)) - _C
    return lchw, cond


def condenser_limit(p) -> float:
    """The highest condenser temperature [K] the compressor runs at: ``condenser_limit`` if the catalog gives
    one, else ``condenser_max`` (the curves' data range)."""
    return p.get("condenser_limit", p["condenser_max"])


def capacity(t_leaving, t_condenser, p):
    """Available capacity [W] of one chiller, :math:`Q_{ref}\\,CAPFT`, at leaving water and condenser [K]."""
    lchw, cond = _inputs(t_leaving, t_condenser, p)
    return p["capacity"] * biquadratic(p["capft"], lchw, cond)


def eir_chiller(load, t_leaving, t_condenser, p):
    """Electric power [W] of one chiller carrying ``load`` [W] (0 where it is off) and its available capacity [W].

    ``t_leaving`` the chilled water it must deliver [K]; ``t_condenser`` the entering condenser water
    (water-cooled) or outdoor dry bulb (air-cooled) [K]; ``p`` the catalog entry in SI numbers: ``capacity`` [W],
    ``reference_cop`` [-], ``capft``, ``eirft`` (6 coefficients each, degC), ``eirfplr`` (3), ``min_part_load``
    [-], ``leaving_min``/``leaving_max``, ``condenser_min``/``condenser_max`` [K], ``condenser_fan_power_ratio``
    [-] (0 for water-cooled). Returns ``(power, available capacity)``; power includes the condenser fans.
    """
    q_avail, eir = eir_terms(t_leaving, t_condenser, p)
    return eir_power(load, q_avail, eir, p), q_avail


def eir_terms(t_leaving, t_condenser, p):
    """The temperature-only terms of :func:`eir_chiller`: available capacity :math:`Q_{ref} CAPFT` [W] and
    :math:`EIRFT / COP_{ref}` [-] at leaving water and condenser [K] (a year computes them once per hour, not on
    every coupling pass)."""
    lchw, cond = _inputs(t_leaving, t_condenser, p)
    q_avail = p["capacity"] * biquadratic(p["capft"], lchw, cond)
    return q_avail, biquadratic(p["eirft"], lchw, cond) / p["reference_cop"]


def eir_power(load, q_avail, eir, p, q_eir=None):
    r"""Electric power [W] of one chiller carrying ``load`` [W] given :func:`eir_terms` ``q_avail`` [W], ``eir``
    [-]: :math:`Q_{avail}\,EIR\,EIRFPLR(\max(PLR, PLR_{min}))` plus its condenser fans, 0 where it is off.
    ``q_eir``: the product ``q_avail * eir`` [W] when already computed (a year's coupling passes)."""
    q = np.asarray(load, dtype=float)
    plr = q / q_avail
    if isinstance(plr, np.ndarray):  # (np.clip's own steps, in place: its Python wrapper costs ~5 us a call)
        np.minimum(np.maximum(plr, 0.0, out=plr), 1.0, out=plr)
    else:
        plr = np.clip(plr, 0.0, 1.0)
    on = q > 0
    q_eir = q_avail * eir if q_eir is None else q_eir
    x = np.maximum(plr, p["min_part_load"])
    c = p["eirfplr"]
    if isinstance(x, np.ndarray) and holds(x.shape, q_eir, *c):
        # in place on three temporaries: the same operations in the same order as q_eir * quadratic(c, x)
        comp = np.multiply(c[1], x)
        np.add(c[0], comp, out=comp)
        sq = np.multiply(c[2], x)
        np.multiply(sq, x, out=sq)
        np.add(comp, sq, out=comp)
        np.multiply(q_eir, comp, out=comp)
    else:
        comp = q_eir * quadratic(c, x)
    ratio = p.get("condenser_fan_power_ratio", 0.0)
    if (ratio != 0.0 if isinstance(ratio, float) else np.any(ratio != 0.0)):  # (0 for water-cooled: no fans to add)
        if isinstance(plr, np.ndarray) and isinstance(comp, np.ndarray) and plr.shape == comp.shape \
                and holds(plr.shape, ratio, p["capacity"], p["min_part_load"]):
            # in place on plr (not read again): the same operations in the same order
            np.divide(plr, p["min_part_load"], out=plr)
            np.minimum(plr, 1.0, out=plr)
            np.multiply(ratio * p["capacity"], plr, out=plr)
            np.add(comp, plr, out=comp)
        else:
            comp = comp + ratio * p["capacity"] * np.minimum(plr / p["min_part_load"], 1.0)
    if isinstance(comp, np.ndarray) and comp.shape == np.shape(on):
        if not on.all():
            np.copyto(comp, 0.0, where=np.logical_not(on, out=on))
        return comp
    return np.where(on, comp, 0.0)


def envelope(t_leaving, t_condenser, p) -> str | None:
    """Why a chiller cannot run at leaving water ``t_leaving`` and condenser ``t_condenser`` [K] (scalars), or
    ``None`` inside its envelope. A supply above ``leaving_max`` is not a violation (side stream, see above)."""
    t_leaving, t_condenser = float(t_leaving), float(t_condenser)
    if t_leaving < p["leaving_min"] - 1e-9:
        return (f"chilled water of {t_leaving - _C:.1f} degC is below the chiller's lowest leaving temperature "
                f"{p['leaving_min'] - _C:.1f} degC")
    if t_condenser > condenser_limit(p) + 1e-9:
        return (f"the condenser sees {t_condenser - _C:.1f} degC, above the chiller's highest condenser temperature "
                f"{condenser_limit(p) - _C:.1f} degC (its lift limit)")
    return None
