r"""Conductors: busbars, busways and cables. Current, cross-section, :math:`I^2R` loss and copper mass.

Resistance of a conductor of length :math:`L` and section :math:`A` at temperature :math:`T`:

.. math:: R = \rho_{20} \left[1 + \alpha_{20} (T - 20\,^\circ C)\right] \frac{L}{A}

DC resistance is used: at 50/60 Hz the skin depth in copper is ~9 mm, so for cables and laminated busbars
of the sizes used here the AC/DC resistance ratio is close to 1 (an engineering assumption; thick solid
bars at high current have ratios up to ~1.2, see Copper Development Association Pub. 22, §5).

Line current: three-phase AC :math:`I = P/(\sqrt3\,V_{LL}\cos\varphi)` per phase conductor (3 conductors);
DC :math:`I = P/V` in the go and return conductors (2 conductors).

References
----------
.. [1] IEC 60028:1925, International standard of resistance for copper: annealed copper 1/58 Ω·mm²/m at
   20 °C (1.7241e-8 Ω·m), temperature coefficient 0.00393 /K, density 8,890 kg/m³.
.. [2] IEC 60889:1987, Hard-drawn aluminium wire: 2.8264e-8 Ω·m at 20 °C, 0.00403 /K, density 2,703 kg/m³.
.. [3] Copper Development Association, Publication 22, "Copper for Busbars" (2014): current ratings of
   busbars; 1.2–2 A/mm² for enclosed bars at typical temperature rises.
"""

from __future__ import annotations

import numpy as np

from models.units import quantity_io

__all__ = ["MATERIALS", "resistivity", "line_current", "cross_section", "conductor_loss", "conductor_mass",
           "line_factor", "conductor_coefficients"]

#: material -> (resistivity at 20 degC [ohm m], temperature coefficient [1/K], density [kg/m3]); [1], [2]
MATERIALS = {
    "copper": (1.7241e-8, 0.00393, 8890.0),
    "aluminium": (2.8264e-8, 0.00403, 2703.0),
}


def _material(material: str) -> tuple[float, float, float]:
    try:
        return MATERIALS[material]
    except KeyError:
        raise ValueError(f"unknown conductor material {material!r}; expected one of {sorted(MATERIALS)}") from None


@quantity_io(returns="ohm*m", temperature="K")
def resistivity(material, temperature):
    r"""Resistivity of ``material`` ("copper" or "aluminium") at ``temperature``: :math:`\rho_{20}[1+\alpha(T-20)]`.

    Parameters
    ----------
    material : str
        "copper" or "aluminium".
    temperature : Quantity
        Conductor temperature. [K]

    Examples
    --------
    >>> import facility
    >>> from facility.units import Q_
    >>> resistivity("copper", Q_(20, "degC")).m_as("ohm*m")
    1.7241e-08
    """
    rho20, alpha, _ = _material(material)
    return rho20 * (1.0 + alpha * (np.asarray(temperature, dtype=float) - 293.15))


@quantity_io(returns="A", power="W", voltage="V", power_factor="")
def line_current(power, voltage, system="ac3", power_factor=1.0):
    r"""Line current for ``power`` at ``voltage``: :math:`P/(\sqrt3 V\cos\varphi)` (``"ac3"``) or :math:`P/V` (``"dc"``).

    Parameters
    ----------
    power : Quantity
        Real power carried. [W]
    voltage : Quantity
        Line-to-line voltage (AC) or pole-to-pole voltage (DC). [V]
    system : str
        ``"ac3"`` (three-phase) or ``"dc"``.
    power_factor : float
        Power factor (AC only). [-]

    Examples
    --------
    >>> import facility
    >>> from facility.units import Q_
    >>> line_current(Q_(120, "kW"), Q_(50, "V"), "dc")
    <Quantity(2400.0, 'ampere')>
    """
    p = np.asarray(power, dtype=float)
    if system == "ac3":
        return p / (np.sqrt(3.0) * voltage * power_factor)
    if system == "dc":
        return p / voltage
    raise ValueError(f"unknown system {system!r}; expected 'ac3' or 'dc'")


@quantity_io(returns="m**2", current="A", current_density="A/m**2")
def cross_section(current, current_density):
    """Conductor section for ``current`` at an allowed ``current_density``: :math:`A = I/J`. [m²]"""
    return np.asarray(current, dtype=float) / current_density


@quantity_io(returns="W", current="A", length="m", area="m**2", rho="ohm*m")
def conductor_loss(current, length, area, rho, n_conductors=3):
    r"""Joule loss :math:`n I^2 \rho L / A` of ``n_conductors`` each carrying ``current``.

    Parameters
    ----------
    current : Quantity
        Current in each conductor. [A]
    length : Quantity
        Route length. [m]
    area : Quantity
        Section of each conductor. [m²]
    rho : Quantity
        Resistivity at operating temperature. [Ω·m]
    n_conductors : int
        Current-carrying conductors: 3 for three-phase, 2 for DC. [-]
    """
    i = np.asarray(current, dtype=float)
    return n_conductors * i * i * rho * length / area


@quantity_io(returns="kg", area="m**2", length="m")
def conductor_mass(area, length, n_conductors=3, material="copper"):
    """Mass of ``n_conductors`` of section ``area`` and ``length``: :math:`n A L \\rho_m`. [kg]"""
    return n_conductors * np.asarray(area, dtype=float) * length * _material(material)[2]


def line_factor(system: str, voltage, power_factor):
    r"""Real power per ampere of one circuit [W/A]: :math:`\sqrt 3 V \cos\varphi` (three-phase ``"ac3"``) or
    :math:`V` (DC)."""
    return np.sqrt(3.0) * voltage * power_factor if system == "ac3" else voltage


def conductor_coefficients(p, n, installed, power_factor, v_out, system):
    r"""Stage coefficients of ``n`` parallel circuits in service: each of section :math:`A = I_{amp}/J`
    (ampacity over design current density), resistance :math:`R_c = \rho(T) L / A` per conductor; the current
    :math:`I = P/k` (:func:`line_factor`) shares equally, so the loss is :math:`n_c R_c I^2/n`: :math:`A = B = 0`,
    :math:`C = n_c R_c/(k^2 n)`, with :math:`n_c` = 3 conductors (three-phase) or 2 (DC). ``p``: ``ampacity``
    [A], ``current_density`` [A/m2], ``length`` [m], ``temperature`` [K], ``material``. Returns
    ``((A, B, C), copper mass [kg])`` of the ``installed`` circuits."""
    area = p["ampacity"] / p["current_density"]
    rho20, alpha, density = _material(p["material"])
    rho = rho20 * (1.0 + alpha * (p["temperature"] - 293.15))
    n_cond = 3 if system == "ac3" else 2
    r_c = rho * p["length"] / area
    k = line_factor(system, v_out, power_factor)
    inv = 1.0 / n if np.ndim(n) == 0 and n else (0.0 if np.ndim(n) == 0 else
                                                  np.divide(1.0, n, out=np.zeros(np.shape(n)), where=n > 0))
    mass = installed * n_cond * area * p["length"] * density
    return (0.0 * n, 0.0 * n, n_cond * r_c / (k * k) * inv), mass
