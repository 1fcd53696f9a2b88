r"""Air side for the residual heat: CRAH / fan-wall airflow and fan power.

Airflow that removes :math:`Q` with an air temperature rise :math:`\Delta T`: :math:`\dot V = Q/(\rho c_p \Delta T)`;
fan power :math:`P = \dot V \Delta p / \eta` (ASHRAE Handbook — HVAC Systems and Equipment 2020, Ch. 21).
Air density at the site from the barometric pressure: :math:`\rho = p/(R_a T)`, :math:`R_a = 287.055` J/(kg·K).
"""

from __future__ import annotations

import numpy as np

from models.thermal.heat_rejection import CP_AIR

__all__ = ["air_density", "airflow", "R_AIR"]

#: Specific gas constant of dry air [J/(kg K)].
R_AIR = 287.055


def air_density(pressure, temperature):
    """Dry-air density [kg/m³] at ``pressure`` [Pa] and ``temperature`` [K]."""
    return np.asarray(pressure, dtype=float) / (R_AIR * np.asarray(temperature, dtype=float))


def airflow(heat, delta_t, rho):
    """Volume airflow [m³/s] removing ``heat`` [W] with a rise ``delta_t`` [K] at density ``rho`` [kg/m³]."""
    return np.asarray(heat, dtype=float) / (rho * CP_AIR * delta_t)
