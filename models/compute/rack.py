r"""Rack power from the bottom up: component loads -> rails -> rack input through the in-rack stages.

The fixed quantities of a rack are the loads of its components (accelerators, CPUs, memory, switch ASICs,
NICs, fans, storage, board management), each from the catalog with its source. The rack's input is what the
in-rack conversion chain (power shelf or DC-DC, rack busbar, intermediate bus converter, point-of-load voltage
regulator) draws to serve them, walked *upward* stage by stage:

.. math:: P_{in,k} = P_{out,k} + A_k + B_k P_{out,k} + C_k P_{out,k}^2

(the three-term converter loss of :mod:`models.electrical.converter`; Erickson & Maksimovic, *Fundamentals of
Power Electronics*, 3rd ed., section 3.4: constant, conduction ~ I and I^2 losses).

Rails [1]_ [2]_: the point-of-load voltage regulator (the last stage, output at the core voltage) feeds only the
*regulated* loads (accelerators, CPUs, memory, switch ASICs, I/O dies). An accelerator's published maximum power (TDP /
TBP) is measured at the module's input, so it *includes* its regulator: the accelerators' core power is what the
regulator makes of their TDP (:func:`regulator_output`, the loss shared pro rata to output); the other regulated
loads (a CPU's TDP is its package power) are given at the regulator's output. The *direct* loads (fans, NICs, storage, board
management) take their power from the bus that feeds the regulator (12 V after an intermediate bus converter,
or the ~50 V bus), so the regulator's loss applies to the regulated loads alone:

.. math:: P_{in,VR} = P_{reg} + L_{VR}(P_{reg}) + P_{dir}

For the hourly evaluation, which walks the chain top-down from the rack input, the regulator and the direct
loads are one stage whose loss, written on its total output :math:`P = P_{reg} + P_{dir} = (1 + g) P_{reg}`
with :math:`g = P_{dir} / P_{reg}` fixed at design (every load scales with utilisation), has the coefficients
(:func:`regulator_with_bypass`)

.. math:: A' = A,\quad B' = B / (1 + g),\quad C' = C / (1 + g)^2

so the top-down walk from the design rack input returns the component loads exactly.

Changing the in-rack chain (a better power shelf, 800 V DC) changes the rack input, i.e. what the grid
supplies, never the power at the components.

References
----------
.. [1] Open Compute Project, *Open Rack V3 base specification* rev. 1.0 (2022), section 4: the 48-51 V rack bus
   feeds the trays; tray-level converters make 12 V for fans, NICs and drives and the point-of-load regulators.
.. [2] NVIDIA, *800 VDC architecture for next-generation AI factories* (technical blog and white paper, 2025):
   the rack's conversion stages and which loads each feeds.
"""

from __future__ import annotations

from collections.abc import Sequence

from models.electrical.converter import stage_loss

__all__ = ["rack_input_up", "regulator_output", "regulator_with_bypass", "REGULATED", "DIRECT"]

_loss = stage_loss.kernel

#: Catalog component fields fed through the point-of-load voltage regulator (core and memory rails).
REGULATED = ("cpu_power", "memory_power", "switch_power", "io_power")
#: Catalog component fields fed from the bus that feeds the regulator (not through it).
DIRECT = ("nic_power", "fan_power", "storage_power", "other_power")


def regulator_output(accelerator_input: float, other_output: float, abc: tuple[float, float, float],
                     rtol: float = 1e-13) -> float:
    r"""Total output [W] of a point-of-load regulator whose accelerator loads are known at its *input* (their TDP)
    and whose other loads at its output, the loss :math:`L(P) = A + B P + C P^2` shared pro rata to output:

    .. math:: (P - P_{oth}) \left(1 + \frac{L(P)}{P}\right) = P_{acc,in}

    solved by fixed-point iteration :math:`P \leftarrow P_{oth} + P_{acc,in} / (1 + L(P)/P)` (a contraction:
    :math:`L/P` varies slowly with :math:`P`).

    Parameters
    ----------
    accelerator_input : float
        The accelerators' power at the regulator's input (count x TDP). [W]
    other_output : float
        Other regulated loads at its output (CPUs, memory, switch ASICs). [W]
    abc : tuple of float
        The regulator's loss coefficients on its output: ``A`` [W], ``B`` [-], ``C`` [1/W].

    Returns
    -------
    float
        The regulator's total output ``P`` [W]; its input is ``P + L(P)`` and the accelerators' core power
        ``P - other_output``.

    Examples
    --------
    >>> p = regulator_output(1000.0, 0.0, (0.0, 0.1, 0.0))  # a flat 10 % loss on output
    >>> round(p, 9), round(p * 1.1, 9)
    (909.090909091, 1000.0)
    """
    if accelerator_input < 0 or other_output < 0:
        raise ValueError(f"loads must not be negative; got {accelerator_input!r} W, {other_output!r} W")
    p = other_output + accelerator_input
    if p == 0:
        return 0.0
    for _ in range(200):
        nxt = other_output + accelerator_input / (1.0 + float(_loss(p, *abc)) / p)
        if abs(nxt - p) <= rtol * nxt:
            return nxt
        p = nxt
    raise ValueError(f"regulator output did not converge for loss coefficients {abc!r}")


def regulator_with_bypass(abc: tuple[float, float, float], regulated: float, direct: float
                          ) -> tuple[float, float, float]:
    r"""Loss coefficients of the point-of-load regulator written on its total output (regulated + direct loads).

    .. math:: (A, B, C) \mapsto (A, B / (1 + g), C / (1 + g)^2), \quad g = P_{dir} / P_{reg}

    Parameters
    ----------
    abc : tuple of float
        The regulator's loss coefficients on its own output: ``A`` [W], ``B`` [-], ``C`` [1/W].
    regulated : float
        Load the regulator feeds (accelerators, CPUs, memory) at design. [W]
    direct : float
        Loads fed beside it from the same bus (fans, NICs, storage) at design. [W]

    Returns
    -------
    tuple of float
        ``(A [W], B [-], C [1/W])`` on the stage's total output ``regulated + direct``.

    Examples
    --------
    >>> regulator_with_bypass((1.0, 0.1, 1e-4), 1000.0, 0.0)
    (1.0, 0.1, 0.0001)
    >>> a, b, c = regulator_with_bypass((1.0, 0.1, 1e-4), 1000.0, 250.0)
    >>> round(a + b * 1250 + c * 1250 ** 2, 9)  # = the regulator's loss at its own 1,000 W
    201.0
    """
    if regulated < 0 or direct < 0:
        raise ValueError(f"loads must not be negative; got regulated={regulated!r} W, direct={direct!r} W")
    if regulated == 0:
        return (abc[0], 0.0, 0.0)
    f = regulated / (regulated + direct)
    return (abc[0], abc[1] * f, abc[2] * f * f)


def rack_input_up(regulated: float, direct: float, coefficients: Sequence[tuple[float, float, float]]
                  ) -> list[tuple[float, float]]:
    """Walk the in-rack stages upward from the component loads: ``(output, input)`` of each stage [W].

    Parameters
    ----------
    regulated : float
        Loads behind the point-of-load regulator, the last stage of ``coefficients``. [W]
    direct : float
        Loads fed from the regulator's input bus. [W]
    coefficients : sequence of (A [W], B [-], C [1/W])
        Loss coefficients of the in-rack stages, rack input first, the regulator last (its own coefficients,
        not :func:`regulator_with_bypass`).

    Returns
    -------
    list of (float, float)
        ``(power_out, power_in)`` per stage, in the order of ``coefficients`` [W]; the first ``power_in`` is the
        rack input. The regulator's row carries the direct loads through (``power_out = regulated + direct``).

    Examples
    --------
    >>> rows = rack_input_up(900.0, 100.0, [(0.0, 0.02, 0.0), (0.0, 0.1, 0.0)])
    >>> [(round(o, 6), round(i, 6)) for o, i in rows]
    [(1090.0, 1111.8), (1000.0, 1090.0)]
    """
    if not coefficients:
        return []
    rows: list[tuple[float, float]] = []
    *upper, last = coefficients
    p_out = regulated + direct
    p_in = regulated + float(_loss(regulated, *last)) + direct
    rows.append((p_out, p_in))
    for abc in reversed(upper):
        p_out = p_in
        p_in = p_out + float(_loss(p_out, *abc))
        rows.append((p_out, p_in))
    return rows[::-1]
