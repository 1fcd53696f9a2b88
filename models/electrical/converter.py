r"""Conversion stages with a quadratic loss curve.

Every conversion stage (UPS, rectifier, power shelf, DC-DC converter, and — with fixed coefficients —
transformers and conductors) is described by a loss that is quadratic in the power it delivers:

.. math:: P_{loss} = A + B\,P_{out} + C\,P_{out}^2

with :math:`A` [W] the no-load (fixed) loss, :math:`B` [-] the proportional loss and :math:`C` [1/W] the
resistive (:math:`I^2R`) loss. For ``n`` identical units of rating :math:`R` sharing the load, with per-unit
coefficients :math:`a, b, c` (loss as a fraction of rating against the per-unit load
:math:`x = P_{out}/(n R)`):

.. math:: A = n R a, \quad B = b, \quad C = c / (n R)

This is the standard three-term model of converter losses (no-load, linear and conduction terms):
N. Rasmussen, "Electrical Efficiency Modeling of Data Centers", APC/Schneider Electric White Paper 113 (2007);
M. Ton, B. Fortenbury, "High Performance Buildings: Data Centers — Uninterruptible Power Supplies",
LBNL/EPRI for the California Energy Commission (2005), which fit UPS efficiency curves the same way.

Energy closes by construction: :math:`P_{in} = P_{out} + P_{loss}`; the inverse (input known, output sought)
is the positive root of the quadratic.
"""

from __future__ import annotations

import numpy as np

from models.arrays import holds
from models.units import quantity_io

__all__ = ["stage_loss", "stage_input", "stage_output", "fit_loss_coefficients", "converter_coefficients", "nnls3"]


@quantity_io(returns="W", p_out="W", a="W", b="", c="1/W")
def stage_loss(p_out, a, b, c):
    r"""Loss of a stage delivering ``p_out``, :math:`A + B P + C P^2`.

    Parameters
    ----------
    p_out : Quantity
        Power delivered by the stage. [W]
    a : Quantity
        Fixed (no-load) loss of the units in service. [W]
    b : float
        Proportional loss coefficient. [-]
    c : Quantity
        Resistive loss coefficient. [1/W]

    Returns
    -------
    Quantity
        Loss. [W]
    """
    p = np.asarray(p_out, dtype=float)
    loss = b * p
    if not (isinstance(loss, np.ndarray) and holds(loss.shape, a, c)):
        return a + loss + c * p * p
    # in place on two temporaries: the same operations in the same order as a + b P + (c P) P
    np.add(a, loss, out=loss)
    quad = np.multiply(c, p)
    np.multiply(quad, p, out=quad)
    return np.add(loss, quad, out=loss)


@quantity_io(returns="W", p_out="W", a="W", b="", c="1/W")
def stage_input(p_out, a, b, c):
    r"""Power drawn by a stage delivering ``p_out``: :math:`P_{in} = P_{out} + A + B P_{out} + C P_{out}^2`.

    Parameters as :func:`stage_loss`. Returns the input power [W].

    Examples
    --------
    >>> import facility
    >>> from facility.units import Q_
    >>> stage_input(Q_(100, "kW"), Q_(1, "kW"), 0.01, Q_(1e-7, "1/W"))
    <Quantity(103000.0, 'watt')>
    """
    p = np.asarray(p_out, dtype=float)
    return p + a + b * p + c * p * p


@quantity_io(returns="W", p_in="W", a="W", b="", c="1/W")
def stage_output(p_in, a, b, c):
    r"""Power delivered by a stage that draws ``p_in``: the positive root of
    :math:`C P^2 + (1 + B) P + (A - P_{in}) = 0`.

    .. math:: P_{out} = \frac{2 (P_{in} - A)}{(1 + B) + \sqrt{(1 + B)^2 + 4 C (P_{in} - A)}}

    (the rationalised form, exact also for :math:`C = 0`). An input below the fixed loss :math:`A` delivers
    nothing (0 W).

    Parameters
    ----------
    p_in : Quantity
        Power drawn by the stage. [W]
    a, b, c
        As :func:`stage_loss`.

    Returns
    -------
    Quantity
        Power delivered. [W]

    Examples
    --------
    >>> import facility
    >>> from facility.units import Q_
    >>> stage_output(Q_(103, "kW"), Q_(1, "kW"), 0.01, Q_(1e-7, "1/W")).to("kW")
    <Quantity(100.0, 'kilowatt')>
    """
    net = np.maximum(np.asarray(p_in, dtype=float) - a, 0.0)
    return 2.0 * net / ((1.0 + b) + np.sqrt((1.0 + b) ** 2 + 4.0 * c * net))


def fit_loss_coefficients(load_fraction, efficiency) -> tuple[float, float, float]:
    r"""Fit per-unit loss coefficients :math:`(a, b, c)` to published efficiency points.

    At per-unit load :math:`x` and efficiency :math:`\eta` the per-unit loss is :math:`x (1/\eta - 1)`;
    the coefficients of :math:`a + b x + c x^2` are found by non-negative least squares, so that no term can
    be negative (a loss curve cannot fall with load). With three unknowns the NNLS optimum is found exactly by
    enumeration: the optimum is the unconstrained least-squares solution on its own support (Lawson & Hanson,
    *Solving Least Squares Problems*, 1974, ch. 23, KKT conditions), so the best non-negative solution among the
    seven supports is it. Tested equal to ``scipy.optimize.nnls``; numpy only, because scipy.optimize takes
    ~0.3 s to import and every run fits the catalog's curves.

    Parameters
    ----------
    load_fraction : array_like
        Output power as a fraction of the unit rating, e.g. ``[0.25, 0.5, 0.75, 1.0]``. [-]
    efficiency : array_like
        Efficiency at each point, 0..1. [-]

    Returns
    -------
    tuple of float
        ``(a, b, c)``, per unit of rating. [-]

    Raises
    ------
    ValueError
        Fewer than three points, a load fraction not in (0, 1.5], or an efficiency not in (0, 1).

    Examples
    --------
    >>> a, b, c = fit_loss_coefficients([0.25, 0.5, 1.0], [0.95, 0.965, 0.96])
    >>> round(1.0 / (1.0 + a + b + c), 3)  # the curve passes near the 100 % point
    0.96
    """
    x = np.asarray(load_fraction, dtype=float)
    eta = np.asarray(efficiency, dtype=float)
    if x.shape != eta.shape or x.ndim != 1 or x.size < 3:
        raise ValueError("need at least three (load fraction, efficiency) points")
    if np.any((x <= 0) | (x > 1.5)) or np.any((eta <= 0) | (eta >= 1)):
        raise ValueError("load fractions must lie in (0, 1.5] and efficiencies in (0, 1)")
    loss = x * (1.0 / eta - 1.0)
    # weight each point by 1/x so that the fit is in efficiency terms (relative loss), not absolute loss
    design = np.column_stack([np.ones_like(x), x, x * x]) / x[:, None]
    coef = nnls3(design, loss / x)
    return float(coef[0]), float(coef[1]), float(coef[2])


def nnls3(a, y) -> np.ndarray:
    """Non-negative least squares ``min |a c - y|, c >= 0`` for a few columns, exactly, by enumerating supports.

    Parameters
    ----------
    a : array_like
        Design matrix, shape (m, n) with n small (2^n - 1 supports are tried). [-]
    y : array_like
        Right-hand side, shape (m,). [-]

    Returns
    -------
    ndarray
        The non-negative coefficients, shape (n,). [-]
    """
    a = np.asarray(a, dtype=float)
    y = np.asarray(y, dtype=float)
    n = a.shape[1]
    best, best_res = np.zeros(n), float(y @ y)
    for mask in range(1, 2**n):
        cols = [j for j in range(n) if mask >> j & 1]
        c_sub, *_ = np.linalg.lstsq(a[:, cols], y, rcond=None)
        if np.any(c_sub < 0):
            continue
        c = np.zeros(n)
        c[cols] = c_sub
        r = a @ c - y
        res = float(r @ r)
        if res < best_res - 1e-15 * max(best_res, 1e-300):
            best, best_res = c, res
    return best


def _inverse_or_zero(n):
    """1 / n, and 0 where n is 0 (no units in service: no loss); a plain number for a plain number."""
    if np.ndim(n) == 0:
        return 1.0 / n if n else 0.0
    n = np.asarray(n, dtype=float)
    return np.divide(1.0, n, out=np.zeros_like(n), where=n > 0)


def converter_coefficients(p, n, installed, power_factor, v_out, system):
    r"""Stage coefficients :math:`(A, B, C)` of ``n`` converters in service (module docstring: :math:`A = n R a`,
    :math:`B = b`, :math:`C = c/(n R)`), from ``p["rating"]`` [W] and the fitted per-unit ``p["loss_per_unit"]``
    = (a, b, c) [-]; returns ``((A [W], B [-], C [1/W]), copper mass [kg] = 0)``."""
    rating = p["rating"]
    a, b, c = p["loss_per_unit"]
    return (n * rating * a, b * (n > 0), c / rating * _inverse_or_zero(n)), 0.0 * n
