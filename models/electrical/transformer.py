r"""Power and distribution transformers: no-load and load losses, efficiency, and the regulatory metrics.

The loss of a transformer at apparent load :math:`S` (rated :math:`S_r`) is

.. math:: P_{loss} = P_0 + P_k \left(\frac{S}{S_r}\right)^2

with :math:`P_0` the no-load (core) loss and :math:`P_k` the load (copper) loss at rated current
(IEC 60076-1:2011 §3.6; IEEE Std C57.12.00-2015 §5.9). The efficiency at real power :math:`P = S\cos\varphi`
is :math:`\eta = P / (P + P_{loss})`.

References
----------
.. [1] IEC 60076-1:2011, Power transformers — Part 1: General.
.. [2] 10 CFR 431, Subpart K, Appendix A (DOE test procedure): efficiency of liquid-immersed and
   medium-voltage dry-type distribution transformers at 50 % per-unit load, low-voltage dry-type at 35 %,
   unity power factor.
.. [3] Commission Regulation (EU) No 548/2014 (Ecodesign, transformers), Annex I: Peak Efficiency Index
   :math:`PEI = 1 - 2 (P_0 + P_{c0}) / (S_r \sqrt{(P_0 + P_{c0})/P_k})`; with no cooling power
   :math:`P_{c0}`, :math:`PEI = 1 - 2\sqrt{P_0 P_k}/S_r`.
"""

from __future__ import annotations

import numpy as np

from models.units import quantity_io

__all__ = ["transformer_losses", "transformer_efficiency", "doe_efficiency", "peak_efficiency_index",
           "load_loss_from_impedance", "DOE_LIQUID_IMMERSED_3PH_2016", "DOE_LV_DRY_3PH_2016", "transformer_coefficients"]

#: 10 CFR 431.196(b)(2): minimum efficiency of three-phase liquid-immersed distribution transformers made on or
#: after 1 Jan 2016, at 50 % per-unit load [kVA: %].
DOE_LIQUID_IMMERSED_3PH_2016 = {15: 98.65, 30: 98.83, 45: 98.92, 75: 99.03, 112.5: 99.11, 150: 99.16, 225: 99.23,
                                300: 99.27, 500: 99.35, 750: 99.40, 1000: 99.43, 1500: 99.48, 2000: 99.51,
                                2500: 99.53}
#: 10 CFR 431.196(a)(2): minimum efficiency of three-phase low-voltage dry-type distribution transformers made on
#: or after 1 Jan 2016, at 35 % per-unit load [kVA: %].
DOE_LV_DRY_3PH_2016 = {15: 97.89, 30: 98.23, 45: 98.40, 75: 98.60, 112.5: 98.74, 150: 98.83, 225: 98.94,
                       300: 99.02, 500: 99.14, 750: 99.23, 1000: 99.28}


@quantity_io(returns="W", s_load="W", s_rated="W", p_no_load="W", p_load="W")
def transformer_losses(s_load, s_rated, p_no_load, p_load):
    r"""Losses :math:`P_0 + P_k (S/S_r)^2` at apparent load ``s_load`` [1]_.

    Parameters
    ----------
    s_load : Quantity
        Apparent power through the transformer. [VA]
    s_rated : Quantity
        Rated apparent power. [VA]
    p_no_load : Quantity
        No-load (core) loss at rated voltage. [W]
    p_load : Quantity
        Load (winding) loss at rated current and reference temperature. [W]

    Returns
    -------
    Quantity
        Total loss. [W]
    """
    x = np.asarray(s_load, dtype=float) / s_rated
    return p_no_load + p_load * x * x


@quantity_io(returns="", p_out="W", s_rated="W", p_no_load="W", p_load="W", power_factor="")
def transformer_efficiency(p_out, s_rated, p_no_load, p_load, power_factor=1.0):
    r"""Efficiency :math:`P/(P + P_0 + P_k (P/(S_r \cos\varphi))^2)` at real output power ``p_out``.

    Parameters
    ----------
    p_out : Quantity
        Real power delivered. [W]
    s_rated : Quantity
        Rated apparent power. [VA]
    p_no_load, p_load : Quantity
        No-load and load losses. [W]
    power_factor : float
        Power factor of the load. [-]

    Returns
    -------
    float or ndarray
        Efficiency. [-]
    """
    p = np.asarray(p_out, dtype=float)
    x = p / (power_factor * s_rated)
    return p / (p + p_no_load + p_load * x * x)


@quantity_io(returns="", s_rated="W", p_no_load="W", p_load="W", per_unit_load="")
def doe_efficiency(s_rated, p_no_load, p_load, per_unit_load=0.5):
    r"""Efficiency as the DOE test procedure defines it [2]_: at ``per_unit_load`` of nameplate and unity PF.

    .. math:: \eta = \frac{x S_r}{x S_r + P_0 + x^2 P_k}

    Parameters
    ----------
    s_rated : Quantity
        Rated apparent power. [VA]
    p_no_load, p_load : Quantity
        No-load and load losses (at the reference temperatures of the test procedure). [W]
    per_unit_load : float
        0.5 for liquid-immersed and medium-voltage dry-type, 0.35 for low-voltage dry-type. [-]

    Examples
    --------
    >>> import facility
    >>> from facility.units import Q_
    >>> round(float(doe_efficiency(Q_(2500, "kVA"), Q_(2.3, "kW"), Q_(14.4, "kW"))), 4)
    0.9953
    """
    x = per_unit_load
    return x * s_rated / (x * s_rated + p_no_load + x * x * p_load)


@quantity_io(returns="", s_rated="W", p_no_load="W", p_load="W")
def peak_efficiency_index(s_rated, p_no_load, p_load):
    r"""Peak Efficiency Index of EU Regulation 548/2014 [3]_ (no cooling power): :math:`1 - 2\sqrt{P_0 P_k}/S_r`.

    The peak efficiency occurs at the load :math:`x = \sqrt{P_0/P_k}` where no-load and load losses are equal.
    """
    return 1.0 - 2.0 * np.sqrt(p_no_load * p_load) / s_rated


@quantity_io(returns="W", s_rated="W", z_pu="", x_over_r="")
def load_loss_from_impedance(s_rated, z_pu, x_over_r):
    r"""Load loss from the short-circuit impedance and its X/R ratio: :math:`P_k = S_r\,z/\sqrt{1 + (X/R)^2}`.

    The resistive part of the per-unit impedance is the per-unit load loss at rated current (IEC 60076-1).

    Parameters
    ----------
    s_rated : Quantity
        Rated apparent power. [VA]
    z_pu : float
        Short-circuit impedance, per unit (e.g. 0.0575 for 5.75 %). [-]
    x_over_r : float
        Reactance-to-resistance ratio. [-]

    Examples
    --------
    >>> import facility
    >>> from facility.units import Q_
    >>> round(load_loss_from_impedance(Q_(2500, "kVA"), 0.0575, 7.0).m_as("kW"), 2)  # 2.5 MVA, 5.75 %, X/R 7
    20.33
    """
    return s_rated * z_pu / np.sqrt(1.0 + np.asarray(x_over_r, dtype=float) ** 2)


def transformer_coefficients(p, n, installed, power_factor, v_out, system):
    r"""Stage coefficients of ``n`` identical transformers in service sharing real power :math:`P` at power factor
    :math:`\cos\varphi`: :math:`n P_0 + P_k (P/(n S_r \cos\varphi))^2 n`, i.e. :math:`A = n P_0`, :math:`B = 0`,
    :math:`C = P_k/(\cos^2\varphi\,n S_r^2)` (IEC 60076-1 losses, :func:`transformer_losses`). ``p``: ``rating``
    [VA], ``no_load_loss`` [W], ``load_loss`` [W]. Returns ``((A [W], B [-], C [1/W]), copper mass [kg] = 0)``."""
    rating, pf = p["rating"], power_factor
    inv = 1.0 / n if np.ndim(n) == 0 and n else (0.0 if np.ndim(n) == 0 else
                                                  np.divide(1.0, n, out=np.zeros(np.shape(n)), where=n > 0))
    return (n * p["no_load_loss"], 0.0 * n, p["load_loss"] / (pf * pf * rating * rating) * inv), 0.0 * n
