r"""Heat exchangers: effectiveness–NTU for counterflow plates, and the approach-temperature view used to size CDUs.

Counterflow effectiveness (Incropera & DeWitt, Fundamentals of Heat and Mass Transfer, 6th ed., Table 11.3):

.. math::
    \varepsilon = \frac{1 - e^{-NTU(1 - C_r)}}{1 - C_r e^{-NTU(1 - C_r)}}, \qquad
    \varepsilon = \frac{NTU}{1 + NTU} \;\; (C_r = 1)

and its inverse :math:`NTU = \frac{1}{C_r - 1}\ln\frac{\varepsilon - 1}{\varepsilon C_r - 1}`. Heat duty
:math:`Q = \varepsilon\,C_{min}(T_{h,in} - T_{c,in})`. Written as numpy kernels and tested against
``ht.effectiveness_from_NTU`` / ``ht.NTU_from_effectiveness`` (C. Bell, ht library).

Dry coolers with glycol (:func:`glycol_approach_factor`): a fin-and-tube coil rated on water loses
conductance on the fluid side with a glycol mixture. In the same tubes, at the same heat and the loop's held
temperature range, the mass flux goes as :math:`1/c_p`, and the tube-side coefficient follows Dittus–Boelter
(fluid cooled), :math:`h = 0.023\,Re^{0.8} Pr^{0.3} k/D` (Incropera & DeWitt Eq. 8.60), so

.. math:: \frac{h_w}{h_g} = \frac{(1/(c_p\mu))_w^{0.8} (c_p\mu/k)_w^{0.3} k_w}{(1/(c_p\mu))_g^{0.8}
    (c_p\mu/k)_g^{0.3} k_g}, \qquad \frac{UA_w}{UA_g} = (1 - \phi) + \phi\,\frac{h_w}{h_g}

with :math:`\phi` the fluid side's share of the coil's thermal resistance on water (:data:`FLUID_SIDE_SHARE`). The
coil's approach at the same heat and airflow grows by :math:`UA_w/UA_g` (approach :math:`\propto Q/UA` at a held
temperature profile). Tested against ``ht.conv_internal.turbulent_Dittus_Boelter`` on CoolProp properties.

A CDU's approach is the difference between the technology-loop supply and the facility-water supply
temperature; with balanced flows the required effectiveness is :math:`(T_{h,in} - T_{h,out})/(T_{h,in} - T_{c,in})`.
"""

from __future__ import annotations

import numpy as np

__all__ = ["effectiveness_counterflow", "ntu_counterflow", "cdu_effectiveness", "glycol_approach_factor",
           "FLUID_SIDE_SHARE"]

#: Share of a fin-and-tube dry cooler's thermal resistance on the fluid (tube) side with water [-]: engineering
#: assumption; air-side resistance dominates finned coils (ASHRAE Handbook — HVAC Systems and Equipment 2020,
#: Ch. 27 "Air-Cooling and Dehumidifying Coils": the air-side film is the controlling resistance), ~70-80 %.
FLUID_SIDE_SHARE = 0.25


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


def glycol_approach_factor(cp_w, mu_w, k_w, cp_g, mu_g, k_g, fluid_share=FLUID_SIDE_SHARE):
    """Factor [-] on a water-rated coil's approach when it runs with another coolant (module docstring).

    ``cp`` [J/(kg K)], ``mu`` [Pa s], ``k`` [W/(m K)] of water (``_w``) and of the mixture (``_g``) at the loop's
    mean temperature; ``fluid_share`` [-] of the resistance on the fluid side with water. 1 for water itself.
    """
    def h(cp, mu, k):
        return (1.0 / (np.asarray(cp) * np.asarray(mu))) ** 0.8 * (np.asarray(cp) * np.asarray(mu) / k) ** 0.3 * k

    return (1.0 - fluid_share) + fluid_share * h(cp_w, mu_w, k_w) / h(cp_g, mu_g, k_g)
