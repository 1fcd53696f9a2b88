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

import numbers
from dataclasses import dataclass

import numpy as np
import pint

from facility.bounds import MAX_ACCELERATORS
from facility.checks import number_arg
from facility.errors import ScenarioError, shorten
from facility.units import Q_, UnitParseError, parse_quantity

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
    f = "training_run_energy"
    if (not isinstance(accelerators, numbers.Integral) or isinstance(accelerators, bool | np.bool_)
            or not 1 <= accelerators <= MAX_ACCELERATORS):
        raise ScenarioError(f"got {shorten(accelerators, 40)}; expected a whole number from 1 to "
                            f"{MAX_ACCELERATORS:,}", key=f"{f}(accelerators)")
    accelerators = int(accelerators)
    pue = number_arg(pue, "pue", f, 1.0, 3.0)
    p = _quantity(power_per_accelerator, "[power]", "power_per_accelerator")
    if duration is not None:
        if total_flops is not None:
            raise ScenarioError("give duration or total_flops, not both", key=f"{f}(duration)")
        t = _quantity(duration, "[time]", "duration")
    else:
        if total_flops is None or peak_flops is None or mfu is None:
            raise ScenarioError("give duration, or total_flops with peak_flops and mfu", key=f"{f}(duration)")
        mfu = number_arg(mfu, "mfu", f, 0.0, 1.0, low_open=True)
        c = _quantity(total_flops, "[computation]", "total_flops")
        peak = _quantity(peak_flops, "[computation] / [time]", "peak_flops")
        t = (c / (accelerators * peak * mfu)).to("h")
    if not np.isfinite(t.magnitude) or t.m_as("h") > 1e6:
        raise ScenarioError(f"the run would last {t.m_as('year'):.3g} years; expected at most 1,000,000 hours (~114 "
                            "years): a smaller compute budget or more accelerators", key=f"{f}(total_flops)")
    hours = t.to("h")
    it = (accelerators * p * hours).to("Wh")
    return TrainingRun(accelerators, hours, (accelerators * hours).to("h"), it, (it * pue).to("Wh"), pue)


def _quantity(value, dimension: str, name: str) -> pint.Quantity:
    """A Quantity of ``dimension`` above 0 (a time, a power, a compute budget), else ScenarioError."""
    try:
        q = parse_quantity(value, dimension)
    except UnitParseError as exc:
        raise ScenarioError(str(exc), key=f"training_run_energy({name})") from None
    if not np.all(np.asarray(q.magnitude) > 0):
        raise ScenarioError(f"got {shorten(value, 40)}; expected a value above 0", key=f"training_run_energy({name})")
    return q


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
