r"""Conductors: busbars, busways and cables. Current, cross-section, :math:`I^2R` loss and copper mass.

Resistance of a conductor of length :math:`L` and section :math:`A` at temperature :math:`T`:

.. math:: R = \rho_{20} \left[1 + \alpha_{20} (T - 20\,^\circ C)\right] \frac{L}{A}

AC resistance (IEC 60287-1-1:2006+A1:2014, clause 2.1 [4]_): :math:`R = R'(1 + y_s + y_p)` with the skin effect

.. math:: x_s^2 = \frac{8\pi f}{R'} 10^{-7} k_s, \qquad y_s = \frac{x_s^4}{192 + 0.8 x_s^4} \quad (x_s \le 2.8)

(and the standard's two further ranges above 2.8) and the proximity effect of three single-core conductors

.. math:: y_p = \frac{x_p^4}{192 + 0.8 x_p^4}\left(\frac{d_c}{s}\right)^2\left[0.312\left(\frac{d_c}{s}\right)^2
          + \frac{1.18}{x_p^4/(192 + 0.8 x_p^4) + 0.27}\right], \qquad x_p^2 = \frac{8\pi f}{R'}10^{-7} k_p

with :math:`R'` the DC resistance per metre at operating temperature, :math:`k_s = k_p = 1` (round stranded
copper, extruded insulation, IEC 60287-1-1 Table 2). A circuit's section :math:`I_{amp}/J` is carried by parallel
conductors of at most 630 mm² (the largest common cable size, IEC 60228; engineering assumption also for
laminated busbars), in trefoil at an axial spacing :math:`s = 2 d_c` (engineering assumption: touching cables
with their insulation); the frequency is 60 Hz (the bundled sites; at 50 Hz :math:`y_s` is ~30 % smaller).
DC circuits have no skin or proximity effect.

Conductors counted in copper mass (issue #13 item 9): three-phase AC below 1 kV is 4-wire (TN-S): three phases,
a full-size neutral and a protective-earth conductor; three-phase MV circuits three phases (screens not counted,
engineering assumption); DC circuits two poles, plus a protective conductor above the extra-low-voltage band
(120 V DC, IEC 61140 / IEC 60364-4-41: a 50 V rack busbar is SELV/PELV and bonds through the rack frame). The
protective conductor follows IEC 60364-5-54 Table 54.2 [5]_ (S for S <= 16 mm², 16 mm² up to 35 mm², S/2 above)
or, for 480/600/208 V North American systems, NEC 250.122 Table 250.122 [6]_ (sized on the circuit's overcurrent
device, taken equal to its ampacity). The neutral and the PE carry no current at a balanced load (engineering
assumption: active-PFC rack supplies draw little triplen-harmonic current), so they add copper, not loss.

Line current: three-phase AC :math:`I = P/(\sqrt3\,V_{LL}\cos\varphi)` per phase conductor (3 conductors);
DC :math:`I = P/V` in the go and return conductors (2 conductors).

References
----------
.. [1] IEC 60028:1925, International standard of resistance for copper: annealed copper 1/58 Ω·mm²/m at
   20 °C (1.7241e-8 Ω·m), temperature coefficient 0.00393 /K, density 8,890 kg/m³.
.. [2] IEC 60889:1987, Hard-drawn aluminium wire: 2.8264e-8 Ω·m at 20 °C, 0.00403 /K, density 2,703 kg/m³.
.. [3] Copper Development Association, Publication 22, "Copper for Busbars" (2014): current ratings of
   busbars; 1.2–2 A/mm² for enclosed bars at typical temperature rises.
.. [4] IEC 60287-1-1:2006+A1:2014, Electric cables - Calculation of the current rating - Part 1-1, clause 2.1
   (AC resistance of the conductor: skin and proximity effect) and Table 2 (ks, kp).
.. [5] IEC 60364-5-54:2011, Low-voltage electrical installations - Earthing arrangements and protective
   conductors, Table 54.2 (minimum cross-section of protective conductors).
.. [6] NFPA 70, National Electrical Code (2023), 250.122 and Table 250.122 (minimum size of equipment grounding
   conductors, copper).
"""

from __future__ import annotations

import math

import numpy as np

from models.units import quantity_io

__all__ = ["MATERIALS", "resistivity", "line_current", "cross_section", "conductor_loss", "conductor_mass",
           "line_factor", "conductor_coefficients", "skin_effect", "proximity_effect", "pe_section_iec",
           "egc_section_nec", "conductors_in_mass", "FREQUENCY", "MAX_CONDUCTOR_SECTION"]

#: AC frequency of the bundled sites [Hz] (North America; engineering assumption, see the module docstring)
FREQUENCY = 60.0
#: Largest single conductor of a circuit [m2]: 630 mm2 (IEC 60228 sizes; engineering assumption for busbars)
MAX_CONDUCTOR_SECTION = 630e-6
#: NEC Table 250.122, copper equipment grounding conductors: overcurrent device rating [A] -> section [m2]
#: (AWG / kcmil converted with 1 kcmil = 0.5067 mm2)
_NEC_250_122 = ((15, 2.08e-6), (20, 3.31e-6), (60, 5.26e-6), (100, 8.37e-6), (200, 13.3e-6), (300, 21.2e-6),
                (400, 26.7e-6), (500, 33.6e-6), (600, 42.4e-6), (800, 53.5e-6), (1000, 67.4e-6), (1200, 85.0e-6),
                (1600, 107.2e-6), (2000, 126.7e-6), (2500, 177.3e-6), (3000, 202.7e-6), (4000, 253.4e-6),
                (5000, 354.7e-6), (6000, 405.4e-6))

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


def _y(x4):
    return x4 / (192.0 + 0.8 * x4)


def skin_effect(r_dc, frequency=FREQUENCY, ks=1.0):
    r"""Skin-effect factor :math:`y_s` of IEC 60287-1-1 clause 2.1.2 [4]_ for a conductor of DC resistance
    ``r_dc`` [ohm/m] at operating temperature, ``frequency`` [Hz], ``ks`` [-] (Table 2; 1 for round stranded).

    .. math:: x_s^2 = 8\pi f 10^{-7} k_s / R', \quad y_s = x_s^4 / (192 + 0.8 x_s^4) \ (x_s \le 2.8);
              -0.136 - 0.0177 x_s + 0.0563 x_s^2 \ (2.8 < x_s \le 3.8); \ 0.354 x_s - 0.733 \ (x_s > 3.8)

    Examples
    --------
    >>> round(float(skin_effect(0.0283e-3 * (1 + 0.00393 * 70), 50.0)), 4)  # 630 mm2 Cu at 90 degC, 50 Hz
    0.0601
    """
    r = np.asarray(r_dc, dtype=float)
    if np.any(r <= 0):
        raise ValueError(f"DC resistance must be positive; got {r_dc!r} ohm/m")
    xs2 = 8.0 * np.pi * frequency * 1e-7 * ks / r
    xs = np.sqrt(xs2)
    return np.where(xs <= 2.8, _y(xs2 * xs2),
                    np.where(xs <= 3.8, -0.136 - 0.0177 * xs + 0.0563 * xs2, 0.354 * xs - 0.733))


def proximity_effect(r_dc, diameter, spacing, frequency=FREQUENCY, kp=1.0):
    r"""Proximity-effect factor :math:`y_p` of IEC 60287-1-1 clause 2.1.4 [4]_ for three single-core cables (or
    three-core cables): DC resistance ``r_dc`` [ohm/m], conductor ``diameter`` [m], axial ``spacing`` [m],
    ``frequency`` [Hz], ``kp`` [-] (Table 2).

    Examples
    --------
    >>> round(float(proximity_effect(0.0283e-3 * 1.2751, 0.030, 0.060, 50.0)), 4)
    0.0549
    """
    r = np.asarray(r_dc, dtype=float)
    xp2 = 8.0 * np.pi * frequency * 1e-7 * kp / r
    f = _y(xp2 * xp2)
    ratio = np.asarray(diameter, dtype=float) / np.asarray(spacing, dtype=float)
    return f * ratio**2 * (0.312 * ratio**2 + 1.18 / (f + 0.27))


def pe_section_iec(phase_section):
    """Protective conductor section [m2] for a phase conductor of ``phase_section`` [m2] of the same material,
    IEC 60364-5-54 Table 54.2 [5]_: S (S <= 16 mm2), 16 mm2 (16 < S <= 35 mm2), S/2 (S > 35 mm2).

    Examples
    --------
    >>> [round(float(pe_section_iec(s * 1e-6)) * 1e6, 6) for s in (10, 25, 240)]
    [10.0, 16.0, 120.0]
    """
    s = np.asarray(phase_section, dtype=float)
    return np.where(s <= 16e-6, s, np.where(s <= 35e-6, 16e-6, s / 2.0))


def egc_section_nec(ocpd_rating):
    """Copper equipment grounding conductor [m2] for an overcurrent device of ``ocpd_rating`` [A], NEC Table
    250.122 [6]_ (the next row at or above the rating; above 6,000 A, 800 kcmil per 6,000 A).

    Examples
    --------
    >>> round(egc_section_nec(800.0) * 1e6, 1), round(egc_section_nec(4000.0) * 1e6, 1)
    (53.5, 253.4)
    """
    a = float(ocpd_rating)
    for rating, section in _NEC_250_122:
        if a <= rating:
            return section
    return _NEC_250_122[-1][1] * math.ceil(a / 6000.0)


def conductors_in_mass(system: str, voltage: float, phase_section: float, ampacity: float) -> float:
    """Copper of one circuit in units of its phase (pole) conductor's section [-]: 3 phases + full neutral + PE
    (LV AC), 3 (MV AC), 2 poles (+ PE above 120 V DC); see the module docstring."""
    if system == "ac3":
        if voltage >= 1000.0:
            return 3.0
        north_american = any(abs(voltage - v) < 1.0 for v in (208.0, 480.0, 600.0))
        pe = egc_section_nec(ampacity) if north_american else float(pe_section_iec(phase_section))
        return 4.0 + pe / phase_section
    if voltage > 120.0:
        return 2.0 + float(pe_section_iec(phase_section)) / phase_section
    return 2.0


def ac_resistance_factor(system: str, r_dc_per_m: float, area: float) -> float:
    """:math:`1 + y_s + y_p` of one circuit of section ``area`` [m2] with DC resistance ``r_dc_per_m`` [ohm/m]
    (the whole circuit's), made of parallel conductors of at most :data:`MAX_CONDUCTOR_SECTION`; 1 for DC."""
    if system != "ac3":
        return 1.0
    n_par = max(1, math.ceil(area / MAX_CONDUCTOR_SECTION - 1e-9))
    r_one = r_dc_per_m * n_par  # each parallel conductor
    d = math.sqrt(4.0 * area / n_par / math.pi)
    return 1.0 + float(skin_effect(r_one)) + float(proximity_effect(r_one, d, 2.0 * d))


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
    ``((A, B, C), copper mass [kg])`` of the ``installed`` circuits. AC resistance: :math:`R_c (1 + y_s + y_p)`
    (:func:`ac_resistance_factor`); mass: the phases with the neutral and protective conductors the system has
    (:func:`conductors_in_mass`)."""
    area = p["ampacity"] / p["current_density"]
    rho20, alpha, density = _material(p["material"])
    rho = rho20 * (1.0 + alpha * (p["temperature"] - 293.15))
    n_cond = 3 if system == "ac3" else 2
    r_c = rho * p["length"] / area * ac_resistance_factor(system, rho / area, area)
    in_mass = conductors_in_mass(system, float(v_out), area, p["ampacity"])
    k = line_factor(system, v_out, power_factor)
    inv = 1.0 / n if np.ndim(n) == 0 and n else (0.0 if np.ndim(n) == 0 else
                                                  np.divide(1.0, n, out=np.zeros(np.shape(n)), where=n > 0))
    mass = installed * in_mass * area * p["length"] * density
    return (0.0 * n, 0.0 * n, n_cond * r_c / (k * k) * inv), mass
