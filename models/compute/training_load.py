r"""Sub-second power of synchronous training jobs: load synthesis and replay of measured traces.

A data-parallel training job runs in lockstep: every step alternates a compute-heavy phase (the accelerators at
or near their power limit) and a communication-heavy phase (gradients exchanged, the accelerators mostly waiting,
at a much lower power). Every checkpoint, every failure and every start or stop moves the whole job at once.
The power of the job is therefore a square wave at the step frequency, with deep dips at checkpoints and
restarts [1]_ [2]_ [3]_.

Kernels here are on SI floats over numpy arrays (time [s], power [W]); no Python loop over samples.

Step phases with jitter
    The ranks of a job do not switch phase at exactly the same instant: collective launches are skewed by a
    jitter :math:`J`. With start offsets spread uniformly over :math:`[0, J]`, the fraction of accelerators in
    the compute phase is the square wave :math:`s(t)` (period :math:`T`, compute share :math:`c`) averaged over
    the window :math:`J`:

    .. math:: f(t) = \frac{1}{J} \int_{t-J}^{t} s(\tau)\,d\tau = \frac{S(t) - S(t - J)}{J}, \qquad
              S(x) = \lfloor x/T \rfloor c T + \min(x - \lfloor x/T \rfloor T,\ c T)

    (exact: :math:`S` is the integral of the square wave). :math:`J \to 0` gives the square wave itself.

Power of one accelerator
    .. math:: p(t) = p_{idle} + r(t)\,\big[p_{comm} - p_{idle} + (p_{comp} - p_{comm}) f(t)\big]

    with :math:`r(t) \in [0, 1]` the share of the job running its step loop: 0 before its start, during a
    checkpoint write and while it restarts after a failure; ramping linearly at start and stop.

References
----------
.. [1] E. Choukse et al. (Microsoft, OpenAI, NVIDIA), "Power Stabilization for AI Training Datacenters",
   arXiv:2508.14318 (2025): compute and communication phases of every iteration swing the power of the
   whole job; swing frequencies from a fraction of a hertz to a few hertz.
.. [2] Llama Team, Meta, "The Llama 3 Herd of Models", arXiv:2407.21783 (2024), section 3.3.4: "tens of
   thousands of GPUs may increase or decrease power consumption at the same time, for example, due to all
   GPUs waiting for checkpointing or collective communications to finish, or the startup or shutdown of the
   entire training job ... on the order of tens of megawatts"; 466 job interruptions (419 unexpected) in a
   54-day snapshot on 16,384 H100.
.. [3] NVIDIA, "How New GB300 NVL72 Features Provide Steady Power for AI" (NVIDIA technical blog, 2025):
   abrupt transitions between idle and high-power states of synchronised GPUs.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

__all__ = ["compute_fraction", "failure_times", "job_power", "read_trace", "replay_trace", "running_share"]


def _integral_square(x: np.ndarray, period: float, on: float) -> np.ndarray:
    """:math:`S(x)`: integral from 0 to ``x`` of a square wave of ``period`` [s] that is 1 for the first ``on``
    seconds of every period. [s]"""
    k = np.floor(x / period)
    return k * on + np.minimum(x - k * period, on)


def compute_fraction(t, step_time: float, compute_share: float, jitter: float = 0.0, phase: float = 0.0):
    r"""Share of a job's accelerators in the compute phase at times ``t`` (see the module docstring).

    Parameters
    ----------
    t : array
        Times. [s]
    step_time : float
        Duration of one training step (iteration), compute and communication. [s]
    compute_share : float
        Share of the step spent in the compute phase, 0..1. [-]
    jitter : float
        Spread of the phase switches across the ranks (uniform). [s]
    phase : float
        Time at which a step starts. [s]

    Returns
    -------
    ndarray
        Fraction of accelerators computing, 0..1. [-]

    Examples
    --------
    >>> compute_fraction([0.0, 0.5, 1.5], step_time=2.0, compute_share=0.5)
    array([1., 1., 0.])
    >>> round(float(compute_fraction(1.05, step_time=2.0, compute_share=0.5, jitter=0.1)), 12)  # half-way down
    0.5
    """
    if not step_time > 0:
        raise ValueError(f"step_time must be positive; got {step_time!r}")
    if not 0.0 <= compute_share <= 1.0:
        raise ValueError(f"compute_share must lie in 0..1; got {compute_share!r}")
    if jitter < 0:
        raise ValueError(f"jitter must not be negative; got {jitter!r}")
    x = np.asarray(t, dtype=float) - phase
    on = compute_share * step_time
    if jitter == 0.0:
        return (x - np.floor(x / step_time) * step_time < on).astype(float)
    return (_integral_square(x, step_time, on) - _integral_square(x - jitter, step_time, on)) / jitter


def failure_times(duration: float, rate: float, rng: np.random.Generator) -> np.ndarray:
    """Times of job failures in ``[0, duration)``: a Poisson process of ``rate`` [1/s] (one draw per event).

    A synchronous job restarts as a whole after any failure of one of its parts [2]_, so the job's failure
    rate is the per-accelerator rate times its accelerators. [s]
    """
    if rate < 0:
        raise ValueError(f"rate must not be negative; got {rate!r}")
    if rate == 0 or duration <= 0:
        return np.empty(0)
    n = rng.poisson(rate * duration)
    return np.sort(rng.uniform(0.0, duration, n))


def running_share(t, *, start: float | None = None, stop: float | None = None, start_ramp: float = 0.0,
                  stop_ramp: float = 0.0, checkpoint_interval: float | None = None, checkpoint_duration: float = 0.0,
                  failures=(), restart_time: float = 0.0):
    """Share of a job running its step loop, 0..1, at times ``t`` [s] (0: the accelerators idle).

    Parameters
    ----------
    t : array
        Times, ascending. [s]
    start, stop : float or None
        Start and stop of the job (``None``: running before / after the trace). [s]
    start_ramp, stop_ramp : float
        Linear ramps of the share at start (and after a restart) and at stop. [s]
    checkpoint_interval, checkpoint_duration : float
        A checkpoint write, with the whole job waiting, of ``checkpoint_duration`` every ``checkpoint_interval``
        (the first at ``checkpoint_interval``); ``None``: no checkpoints. [s]
    failures : array
        Times of failures: the job stops at once, idles for ``restart_time``, then ramps back over
        ``start_ramp``. [s]
    restart_time : float
        Time from a failure to the restart of the step loop. [s]

    Returns
    -------
    ndarray
        Running share. [-]
    """
    t = np.asarray(t, dtype=float)
    r = np.ones_like(t)
    if start is not None:
        r = np.minimum(r, _ramp_up(t, start, start_ramp))
    if stop is not None:
        r = np.minimum(r, np.clip((stop - t) / stop_ramp, 0.0, 1.0) if stop_ramp > 0 else (t < stop).astype(float))
    if checkpoint_interval is not None and checkpoint_duration > 0 and t.size:
        phase = np.mod(t, checkpoint_interval)
        writing = (phase < checkpoint_duration) & (t >= checkpoint_interval)
        r = np.where(writing, 0.0, r)
    for tf in np.asarray(failures, dtype=float):  # a few events, not samples
        r = np.minimum(r, np.where(t < tf, 1.0, _ramp_up(t, tf + restart_time, start_ramp)))
    return r


def _ramp_up(t: np.ndarray, t0: float, ramp: float) -> np.ndarray:
    if ramp > 0:
        return np.clip((t - t0) / ramp, 0.0, 1.0)
    return (t >= t0).astype(float)


def job_power(t, *, step_time: float, compute_share: float, power_compute: float, power_comm: float,
              power_idle: float, jitter: float = 0.0, phase: float = 0.0, running=None):
    r"""Power of one accelerator of a synchronous job at times ``t`` (see the module docstring). [W]

    .. math:: p(t) = p_{idle} + r(t)\,[p_{comm} - p_{idle} + (p_{comp} - p_{comm}) f(t)]

    Parameters
    ----------
    t : array
        Times. [s]
    step_time, compute_share, jitter, phase
        As :func:`compute_fraction`. [s], [-], [s], [s]
    power_compute, power_comm, power_idle : float
        Power of an accelerator in the compute phase, the communication phase and idle. [W]
    running : array, optional
        Running share :func:`running_share` (default: always running). [-]

    Examples
    --------
    >>> job_power([0.0, 1.5], step_time=2.0, compute_share=0.5, power_compute=700.0, power_comm=300.0,
    ...           power_idle=100.0)
    array([700., 300.])
    """
    for name, v in (("power_compute", power_compute), ("power_comm", power_comm), ("power_idle", power_idle)):
        if not v >= 0:
            raise ValueError(f"{name} must not be negative; got {v!r}")
    f = compute_fraction(t, step_time, compute_share, jitter, phase)
    r = np.ones_like(f) if running is None else np.asarray(running, dtype=float)
    return power_idle + r * (power_comm - power_idle + (power_compute - power_comm) * f)


def read_trace(path: str | Path) -> tuple[np.ndarray, np.ndarray, str]:
    """Read a measured power trace: a CSV with a header, a column ``time_s`` and one power column.

    The power column is one of ``power_w``, ``power_kw``, ``power_mw`` (power of the measured group) or
    ``fraction`` (of the accelerator's maximum power). Returns ``(time [s], value, column)`` with powers in W.

    Raises
    ------
    ValueError
        Missing columns, too few rows, a time that does not increase, a non-finite or negative value.
    """
    scale = {"power_w": 1.0, "power_kw": 1e3, "power_mw": 1e6, "fraction": 1.0}
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        try:
            header = [h.strip().lower() for h in next(reader)]
        except StopIteration:
            raise ValueError("the file is empty; expected a header time_s,power_w (or power_kw, power_mw, "
                             "fraction)") from None
        rows = [row for row in reader if row and any(c.strip() for c in row)]
    if "time_s" not in header or not any(c in header for c in scale):
        raise ValueError(f"columns {header}; expected time_s and one of {', '.join(scale)}")
    col = next(c for c in scale if c in header)
    it, ip = header.index("time_s"), header.index(col)
    try:
        data = np.array([[float(r[it]), float(r[ip])] for r in rows], dtype=float)
    except (ValueError, IndexError) as exc:
        raise ValueError(f"a row is not two numbers ({exc}); expected time_s and {col} on every row") from None
    if len(data) < 2:
        raise ValueError(f"{len(data)} row(s); expected at least 2 samples")
    time, value = data[:, 0], data[:, 1] * scale[col]
    if not (np.all(np.isfinite(time)) and np.all(np.isfinite(value))):
        raise ValueError("a value is not a finite number")
    if np.any(np.diff(time) <= 0):
        raise ValueError("time_s must increase from row to row")
    if np.any(value < 0):
        raise ValueError(f"{col} has a negative value; expected power drawn (>= 0)")
    return time, value, col


def replay_trace(time_src, value_src, t):
    """A measured trace on the time axis ``t`` [s]: linear interpolation, repeated end to start when ``t`` is
    longer than the trace (its period is the measured span plus one sample step). Same unit as ``value_src``.

    >>> replay_trace([0.0, 1.0], [1.0, 3.0], [0.0, 0.5, 2.0, 2.5])
    array([1., 2., 1., 2.])
    """
    ts = np.asarray(time_src, dtype=float) - float(time_src[0])
    vs = np.asarray(value_src, dtype=float)
    period = ts[-1] + (ts[-1] - ts[-2])
    x = np.mod(np.asarray(t, dtype=float), period)
    return np.interp(x, np.append(ts, period), np.append(vs, vs[0]))
