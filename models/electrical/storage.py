r"""Energy storage that smooths a load: ramp-limited targets, state of charge, efficiency and limits.

Sign convention: ``b`` is the power the storage gives to its bus [W], positive when discharging, negative
when charging; the upstream supply then carries ``load - b``. Kernels on SI floats over numpy arrays.

Ramp-limited target (vectorised)
    A one-sided limit on falls, :math:`y_i = \max(x_i,\ y_{i-1} - R\,\Delta t)`, unrolls to
    :math:`y_i = \max_{j \le i}(x_j + R\,\Delta t\,j) - R\,\Delta t\,i` (a running maximum,
    ``np.maximum.accumulate``); a limit on rises is the mirror image with a running minimum. Applying the rise
    limit to the fall-limited series keeps both limits: where the second limiter passes its input through,
    :math:`z_i - z_{i-1} \ge y_i - y_{i-1} \ge -R\,\Delta t` because :math:`z_{i-1} \le y_{i-1}`.

State of charge
    .. math:: E_i = E_0 - \Delta t \sum_{k \le i} \left( \frac{b_k^+}{\eta_d} - \eta_c\, b_k^- \right)

    (:math:`b^+ = \max(b, 0)`, :math:`b^- = \max(-b, 0)`; the losses of charging and discharging).

A step :math:`\Delta P` held to a ramp :math:`R` by ideal storage needs the triangle
:math:`\int_0^{\Delta P / R} (\Delta P - R t)\,dt = \Delta P^2 / (2R)` of energy (:func:`step_energy`).

References
----------
.. [1] NREL, Annual Technology Baseline (2024), "Utility-Scale Battery Storage": round-trip efficiency 85 %
   (AC to AC) for lithium-ion plants.
.. [2] NVIDIA, "How New GB300 NVL72 Features Provide Steady Power for AI" (2025): energy storage in the rack
   power supplies, a power floor and ramp-rate limits smooth the rack's draw; peak grid demand down by up to
   30 %.
"""

from __future__ import annotations

import numpy as np

__all__ = ["dispatch_with_limits", "rate_limit", "state_of_charge", "step_energy"]


def rate_limit(x, dt: float, ramp_up: float, ramp_down: float | None = None) -> np.ndarray:
    r"""The series ``x`` with its rises limited to ``ramp_up`` and its falls to ``ramp_down`` (see the module
    docstring); it starts at ``x[0]``.

    Parameters
    ----------
    x : array
        The series, e.g. a load. [W]
    dt : float
        Sample step. [s]
    ramp_up, ramp_down : float
        Largest rise and fall rates (``ramp_down`` defaults to ``ramp_up``; ``inf`` for no limit). [W/s]

    Returns
    -------
    ndarray
        The ramp-limited series. [W]

    Examples
    --------
    >>> rate_limit([0.0, 10.0, 10.0, 10.0, 0.0, 0.0], dt=1.0, ramp_up=4.0)
    array([ 0.,  4.,  8., 10.,  6.,  2.])
    """
    x = np.asarray(x, dtype=float)
    ramp_down = ramp_up if ramp_down is None else ramp_down
    if not (ramp_up > 0 and ramp_down > 0 and dt > 0):
        raise ValueError(f"ramp rates and dt must be positive; got {ramp_up!r}, {ramp_down!r}, {dt!r}")
    if x.size == 0:
        return x.copy()
    i = np.arange(x.size, dtype=float)
    y = x
    if np.isfinite(ramp_down):
        k = ramp_down * dt
        y = np.maximum.accumulate(y + k * i) - k * i
    if np.isfinite(ramp_up):
        k = ramp_up * dt
        y = np.minimum.accumulate(y - k * i) + k * i
    return y


def state_of_charge(b, dt: float, energy_0: float, eta_charge: float = 1.0, eta_discharge: float = 1.0):
    r"""Stored energy after each sample of storage power ``b`` (see the module docstring). [J]

    Parameters
    ----------
    b : array
        Power given to the bus, + discharging, - charging. [W]
    dt : float
        Sample step. [s]
    energy_0 : float
        Stored energy before the first sample. [J]
    eta_charge, eta_discharge : float
        One-way efficiencies, 0..1 (round trip = their product). [-]

    >>> state_of_charge([1.0, -1.0], dt=1.0, energy_0=10.0, eta_charge=0.5, eta_discharge=0.5).tolist()
    [8.0, 8.5]
    """
    if not (0 < eta_charge <= 1 and 0 < eta_discharge <= 1):
        raise ValueError(f"efficiencies must lie in (0, 1]; got {eta_charge!r}, {eta_discharge!r}")
    b = np.asarray(b, dtype=float)
    drain = np.maximum(b, 0.0) / eta_discharge - eta_charge * np.maximum(-b, 0.0)
    return energy_0 - dt * np.cumsum(drain)


def step_energy(delta_p: float, ramp: float) -> float:
    r"""Energy that holds a step of ``delta_p`` [W] to a ramp of ``ramp`` [W/s]: :math:`\Delta P^2 / (2R)`. [J]

    >>> step_energy(100e6, 10e6) / 3.6e9   # 100 MW held to 10 MW/s: 500 MJ, 0.139 MWh
    0.1388888888888889
    """
    if not ramp > 0:
        raise ValueError(f"ramp must be positive; got {ramp!r}")
    return abs(delta_p) ** 2 / (2.0 * ramp)


def dispatch_with_limits(request, dt: float, power_max: float, energy_max: float, energy_0: float,
                         energy_min: float = 0.0, eta_charge: float = 1.0, eta_discharge: float = 1.0
                         ) -> tuple[np.ndarray, np.ndarray]:
    """Storage power that follows ``request`` [W] within its power and energy limits, and its stored energy.

    Every sample the request is clipped to ``±power_max`` and to what the stored energy allows in one step
    (down to ``energy_min`` discharging, up to ``energy_max`` charging). A sequential recursion (each limit
    depends on the energy left by the previous samples); about 0.3 µs per sample.

    Parameters
    ----------
    request : array
        Wanted storage power, + discharging. [W]
    dt : float
        Sample step. [s]
    power_max : float
        Power rating, both directions. [W]
    energy_max, energy_min, energy_0 : float
        Upper and lower limits of stored energy, and its initial value. [J]
    eta_charge, eta_discharge : float
        One-way efficiencies. [-]

    Returns
    -------
    (b, energy) : ndarray, ndarray
        Storage power [W] and stored energy after each sample [J].

    Examples
    --------
    >>> b, e = dispatch_with_limits([5.0, 5.0, 5.0, -5.0], dt=1.0, power_max=4.0, energy_max=10.0, energy_0=6.0)
    >>> b.tolist(), e.tolist()
    ([4.0, 2.0, 0.0, -4.0], [2.0, 0.0, 0.0, 4.0])
    """
    if not (energy_min <= energy_0 <= energy_max):
        raise ValueError(f"energy_0 must lie in [{energy_min}, {energy_max}]; got {energy_0!r}")
    if not power_max >= 0:
        raise ValueError(f"power_max must not be negative; got {power_max!r}")
    req = np.asarray(request, dtype=float).tolist()
    out = [0.0] * len(req)
    soc = [0.0] * len(req)
    e = float(energy_0)
    for i, r in enumerate(req):
        if r > 0:
            b = min(r, power_max, (e - energy_min) * eta_discharge / dt)
            e -= b / eta_discharge * dt
        else:
            b = -min(-r, power_max, (energy_max - e) / (eta_charge * dt))
            e -= b * eta_charge * dt
        out[i] = b
        soc[i] = e
    return np.asarray(out), np.asarray(soc)
