r"""Heat exchangers: effectiveness–NTU for counterflow plates, and the approach-temperature view used to size CDUs.

Counterflow effectiveness (Incropera & DeWitt, Fundamentals of Heat and Mass Transfer, 6th ed., Table 11.3):

.. math::
    \varepsilon = \frac{1 - e^{-NTU(1 - C_r)}}{1 - C_r e^{-NTU(1 - C_r)}}, \qquad
    \varepsilon = \frac{NTU}{1 + NTU} \;\; (C_r = 1)

and its inverse :math:`NTU = \frac{1}{C_r - 1}\ln\frac{\varepsilon - 1}{\varepsilon C_r - 1}`. Heat duty
:math:`Q = \varepsilon\,C_{min}(T_{h,in} - T_{c,in})`. Written as numpy kernels and tested against
``ht.effectiveness_from_NTU`` / ``ht.NTU_from_effectiveness`` (C. Bell, ht library).

A CDU's approach is the difference between the technology-loop supply and the facility-water supply
temperature; with balanced flows the required effectiveness is :math:`(T_{h,in} - T_{h,out})/(T_{h,in} - T_{c,in})`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["effectiveness_counterflow", "ntu_counterflow", "cdu_effectiveness"]


def effectiveness_counterflow(ntu, cr):
    """Counterflow effectiveness [-] from NTU [-] and capacity ratio Cr = Cmin/Cmax (0..1) [-]."""
    ntu = np.asarray(ntu, dtype=float)
    cr = np.asarray(cr, dtype=float)
    balanced = np.isclose(cr, 1.0)
    cr_safe = np.where(balanced, 0.5, cr)
    e = np.exp(-ntu * (1.0 - cr_safe))
    general = (1.0 - e) / (1.0 - cr_safe * e)
    return np.where(balanced, ntu / (1.0 + ntu), general)


def ntu_counterflow(effectiveness, cr):
    """NTU [-] that gives ``effectiveness`` [-] in counterflow at capacity ratio ``cr`` [-] (inverse of the above)."""
    eps = np.asarray(effectiveness, dtype=float)
    cr = np.asarray(cr, dtype=float)
    if np.any((eps <= 0) | (eps >= 1)):
        raise ValueError("effectiveness must lie in (0, 1)")
    balanced = np.isclose(cr, 1.0)
    cr_safe = np.where(balanced, 0.5, cr)
    if np.any(~balanced & (eps * cr_safe >= 1)):
        raise ValueError("effectiveness not reachable at this capacity ratio")
    general = np.log((eps - 1.0) / (eps * cr_safe - 1.0)) / (cr_safe - 1.0)
    return np.where(balanced, eps / (1.0 - eps), general)


def cdu_effectiveness(t_hot_in, t_hot_out, t_cold_in):
    """Effectiveness [-] a CDU needs, hot side (TCS return -> supply) against the cold inlet (facility water), in K."""
    return (np.asarray(t_hot_in) - t_hot_out) / (np.asarray(t_hot_in) - t_cold_in)
