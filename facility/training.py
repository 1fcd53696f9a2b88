"""Energy of a training run: from its compute (FLOPs) or its duration, on a number of accelerators, to facility
energy.

The method of Patterson et al. [1]_ (their Table 4): facility energy = accelerators × average power per
accelerator (measured, including its share of the host) × time × PUE. From a compute budget the time is
:math:`t = C / (n \\cdot F_{peak} \\cdot MFU)` (model FLOPs utilisation, MFU, as defined by Chowdhery et al.,
"PaLM", 2022, Appendix B).

.. [1] D. Patterson, J. Gonzalez, Q. Le, C. Liang, L.-M. Munguia, D. Rothchild, D. So, M. Texier, J. Dean,
   "Carbon Emissions and Large Neural Network Training", arXiv:2104.10350 (2021), Table 4.
"""

from __future__ import annotations

from dataclasses import dataclass

import pint

from facility.units import Q_, parse_quantity

__all__ = ["TrainingRun", "training_run_energy", "training_run_on_campus"]


@dataclass(frozen=True)
class TrainingRun:
    """A training run: accelerators [-], duration [h], accelerator-hours [h], IT and facility energy [Wh]."""

    accelerators: int
    duration: pint.Quantity
    accelerator_hours: pint.Quantity
    it_energy: pint.Quantity
    facility_energy: pint.Quantity
    pue: float


def training_run_energy(*, accelerators: int, power_per_accelerator, pue: float, duration=None, total_flops=None,
                        peak_flops=None, mfu: float | None = None) -> TrainingRun:
    """Energy of a run on ``accelerators`` at ``power_per_accelerator`` (average, with host share) and ``pue``.

    Give either ``duration`` [time], or ``total_flops`` [flop] with ``peak_flops`` [FLOPS] per accelerator and
    ``mfu`` [-].

    Examples
    --------
    GPT-3 in Patterson et al. Table 4: 10,000 V100 for 14.8 days at 330 W and PUE 1.10 -> 1,287 MWh:

    >>> from facility.units import Q_
    >>> run = training_run_energy(accelerators=10_000, power_per_accelerator=Q_(330, "W"), pue=1.10,
    ...                           duration=Q_(14.8, "day"))
    >>> round(run.facility_energy.m_as("MWh"))
    1289
    """
    if isinstance(accelerators, bool) or not isinstance(accelerators, int) or accelerators < 1:
        raise ValueError(f"accelerators must be a whole number >= 1; got {accelerators!r}")
    if not 1.0 <= pue <= 3.0:
        raise ValueError(f"pue must lie in 1..3; got {pue!r}")
    p = parse_quantity(power_per_accelerator, "[power]")
    if duration is not None:
        if total_flops is not None:
            raise ValueError("give duration or total_flops, not both")
        t = parse_quantity(duration, "[time]")
    else:
        if total_flops is None or peak_flops is None or mfu is None:
            raise ValueError("give duration, or total_flops with peak_flops and mfu")
        if not 0.0 < mfu <= 1.0:
            raise ValueError(f"mfu must lie in (0, 1]; got {mfu!r}")
        c = parse_quantity(total_flops, "[computation]")
        f = parse_quantity(peak_flops, "[computation] / [time]")
        t = (c / (accelerators * f * mfu)).to("h")
    if t.magnitude <= 0:
        raise ValueError("the duration must be positive")
    hours = t.to("h")
    it = (accelerators * p * hours).to("Wh")
    return TrainingRun(accelerators, hours, (accelerators * hours).to("h"), it, (it * pue).to("Wh"), pue)


def training_run_on_campus(result, total_flops, mfu: float) -> TrainingRun:
    """A run of ``total_flops`` at ``mfu`` on every accelerator of a sized campus (:func:`facility.run`).

    The power per accelerator is the campus IT power at the load profile's mean (racks, hosts, network and
    storage included) shared over the accelerators; the PUE is the campus's annual PUE over its weather year.
    """
    load = result.load
    accelerators = load.accelerators
    peak = load.bf16_dense / accelerators
    mean_it = Q_(float(result.hourly["it_power"].mean()), "W")
    return training_run_energy(accelerators=accelerators, power_per_accelerator=mean_it / accelerators,
                               pue=result.annual["pue_annual"], total_flops=total_flops, peak_flops=peak, mfu=mfu)
