r"""Synchronous training swings and the grid: a sub-second load trace through the campus, its compliance with
grid limits, and the smallest mitigation of each layer that brings it inside them.

What it does (:func:`simulate_swings`)

1. **Load**: the power of every accelerator from the jobs of the ``[swings]`` section (step time, compute and
   communication shares and power levels, jitter, checkpoints, failures and restarts, start and stop;
   :mod:`models.compute.training_load`) or a measured trace replayed and scaled to the fleet. The IT power at
   the rack inputs is :math:`P_{IT}(t) = P_{fixed} + P_{acc,max}\,a(t)`: :math:`P_{acc,max}` the accelerators'
   maximum power (catalog ``power_max`` × count), :math:`a(t)` their mean power as a fraction of it, and
   :math:`P_{fixed}` the rest of the racks (hosts, NICs, fans; held at its maximum: engineering assumption, these
   do not follow a sub-second step) plus the overhead IT (network, storage, management) at design.
2. **Through the chain**: the sized power chain at every sample (``PowerDesign.evaluate``: losses at each
   instant), with the mechanical load from a cooling plant that sees the heat through the thermal inertia of its
   loops: a first-order lag :math:`\tau\,\dot Q_{plant} = P_{IT} - Q_{plant}` with :math:`\tau` the transit time
   of the facility water mains, pipe length / velocity (well-mixed loop: engineering assumption), and plant
   power proportional to the heat it rejects at the design weather. Heat in = heat rejected + heat stored in
   the loop water, at every sample.
3. **Compliance** of the grid-side power: ramp rates over windows (0.1 s to 60 s), the Welch spectrum
   (``scipy.signal.welch``) and the RMS of the oscillation in a critical band (default 0.1-20 Hz), the largest
   step within 0.1 s, and the load the grid loses in a fault ride-through event.
4. **Mitigation**, three layers each sized alone against the same limits: a GPU power floor with ramp limits
   (the energy it burns), storage in the racks' power shelves, a site battery (power, energy, inverter MVA,
   cycles per day, round-trip losses). :mod:`models.electrical.storage` holds the kernels.

Energy closes at every sample: grid = IT + mechanical + electrical losses + storage charging − discharging.

Sources of the defaults
-----------------------
.. [1] E. Choukse et al., "Power Stabilization for AI Training Datacenters", arXiv:2508.14318 (2025): swings
   between compute and communication phases of every iteration; frequencies from ~0.2 Hz to a few Hz; GPU power
   floor and smoothing, rack energy storage and site batteries as mitigations.
.. [2] Llama Team, "The Llama 3 Herd of Models", arXiv:2407.21783 (2024), section 3.3.4: swings of tens of MW
   at checkpoints, collectives, job start and stop; 419 unexpected interruptions in 54 days on 16,384 H100
   (1.97e-5 per accelerator-hour).
.. [3] NVIDIA, "How New GB300 NVL72 Features Provide Steady Power for AI" (technical blog, 2025): power-supply
   energy storage, power floor and ramp limits (NVML power smoothing); peak grid demand down by up to 30 %.
.. [4] NERC, "Incident Review: Considering Simultaneous Voltage-Sensitive Load Reductions" (Jan 2025) and Level 3
   alert on large loads (2025): ~1,500 MW of data-center load dropped off the grid during a transmission fault
   in Virginia (July 2024), transferred to backup power.
.. [5] NREL, Annual Technology Baseline (2024), utility-scale battery storage: 85 % round-trip efficiency.
.. [6] IEEE Std 2800-2022: reactive power capability at 0.95 power factor at rated active power.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import numpy as np
from pydantic import BeforeValidator, Field, ValidationError, model_validator

from facility.errors import ScenarioError, did_you_mean
from facility.schema import StrictModel
from facility.units import Q_, parse_quantity

__all__ = ["SWINGS_KEYS", "Job", "Limits", "StorageSettings", "Swings", "SwingsResult", "Trace", "check_expect",
           "compliance", "simulate_swings"]

_HOUR = 3600.0
#: Averaging windows a storage layer may follow [s]: from a few training steps to half an hour.
_WINDOWS = (2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0)
_STEPS = 10           # bisection steps of the sizing searches (a 2**-10 share of the search range)
_YEAR_S = 8760.0 * _HOUR


# ---------------------------------------------------------------------------------------------- schema
def _q(dimension: str, what: str, *, low: float | None = None, high: float | None = None, si: str = "",
       allow_zero: bool = False):
    """A quantity of ``dimension`` kept as a Quantity; ``low``/``high`` bounds in the SI unit ``si``."""
    def check(value: Any):
        q = parse_quantity(value, dimension)
        m = float(q.m_as(si)) if si else float(q.magnitude)
        if m < 0 or (m == 0 and not allow_zero):
            raise ValueError(f"got {value!r}; expected a {'non-negative' if allow_zero else 'positive'} {what}")
        if (low is not None and m < low) or (high is not None and m > high):
            raise ValueError(f"got {value!r}; expected {what} from {low:g} to {high:g} {si}")
        return q
    return BeforeValidator(check)


def _fraction(low: float, high: float):
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not (low <= value <= high):
            raise ValueError(f"got {value!r}; expected a number from {low:g} to {high:g}")
        return float(value)
    return BeforeValidator(check)


def _seed(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"got {value!r}; expected a whole number >= 0")
    return value


Time = Annotated[Any, _q("[time]", "duration", si="s")]
TimeOrZero = Annotated[Any, _q("[time]", "duration", si="s", allow_zero=True)]
Power = Annotated[Any, _q("[power]", "power", si="W")]
PowerOrZero = Annotated[Any, _q("[power]", "power", si="W", allow_zero=True)]


_Strict = StrictModel  # unknown keys refused, immutable once validated (facility.schema)


class Job(_Strict):
    """One synchronous training job on a share of the campus's accelerators. Power levels are fractions of each
    accelerator's maximum power (catalog ``power_max``)."""

    name: str | None = Field(None, description="A label for reports.")
    share: Annotated[float, _fraction(0.0, 1.0)] = Field(
        1.0, description="Share of every deployment's accelerators running this job. [-] Default 1 (one job on "
                         "the whole campus, as a frontier pre-training run).")
    step_time: Time = Field(
        default_factory=lambda: Q_(2.0, "s"),
        description="Duration of one training step. [s] Default 2 s: a 0.5 Hz swing, inside the ~0.2 Hz to a few "
                    "Hz range of production jobs in [1].")
    compute_share: Annotated[float, _fraction(0.0, 1.0)] = Field(
        0.7, description="Share of the step in the compute phase. [-] Default 0.7 (engineering assumption: "
                         "communication partly overlapped with compute, [1] fig. 1 shows mostly-high steps).")
    compute_level: Annotated[float, _fraction(0.0, 1.5)] = Field(
        1.0, description="Accelerator power in the compute phase / power_max. [-] Default 1: at the power limit "
                         "(GPUs reach TDP in dense GEMMs, [1], [3]).")
    communication_level: Annotated[float, _fraction(0.0, 1.5)] = Field(
        0.45, description="Accelerator power in the communication phase / power_max. [-] Default 0.45 "
                          "(engineering assumption from the swing depth in [1] fig. 1; measure your job).")
    jitter: TimeOrZero = Field(
        default_factory=lambda: Q_(20, "ms"),
        description="Spread of phase switches across ranks. [s] Default 20 ms (engineering assumption: "
                    "collective launch skew).")
    phase: TimeOrZero = Field(default_factory=lambda: Q_(0, "s"), description="Start of the first step. [s]")
    checkpoint_interval: Time = Field(
        default_factory=lambda: Q_(30, "min"),
        description="Time between checkpoints (the whole job waits). [s] Default 30 min (engineering "
                    "assumption).")
    checkpoint_duration: TimeOrZero = Field(
        default_factory=lambda: Q_(20, "s"),
        description="Time the job waits for a checkpoint write; \"0 s\": no checkpoints. [s] Default 20 s "
                    "(engineering assumption: asynchronous checkpointing leaves a short blocking copy; [2] saw "
                    "checkpoint bursts).")
    failure_rate: Annotated[Any, _q("1 / [time]", "failure rate", si="1/h", allow_zero=True)] = Field(
        default_factory=lambda: Q_(419 / (54 * 24 * 16384), "1/h"),
        description="Interruptions per accelerator-hour; the job stops on any. [1/h] Default 1.97e-5/h: 419 "
                    "unexpected interruptions in 54 days on 16,384 H100 [2].")
    restart_time: TimeOrZero = Field(
        default_factory=lambda: Q_(10, "min"),
        description="Time from a failure to the restart of the step loop. [s] Default 10 min (engineering "
                    "assumption: automated restart from the last checkpoint, [2]).")
    start: TimeOrZero | None = Field(None, description="Job start in the trace (none: running before). [s]")
    stop: TimeOrZero | None = Field(None, description="Job stop in the trace (none: running after). [s]")
    start_ramp: TimeOrZero = Field(
        default_factory=lambda: Q_(5, "s"),
        description="Ramp of the job at start and restart. [s] Default 5 s (engineering assumption: ranks join "
                    "within seconds; [3] shows start-up as a near-step without smoothing).")
    stop_ramp: TimeOrZero = Field(default_factory=lambda: Q_(1, "s"),
                                  description="Ramp of the job at stop. [s] Default 1 s (engineering assumption).")

    @model_validator(mode="after")
    def _order(self) -> Job:
        if self.start is not None and self.stop is not None and self.stop <= self.start:
            raise ValueError("@stop@stop must come after start")
        return self


class Trace(_Strict):
    """A measured power trace to replay instead of the jobs: CSV ``time_s`` + ``power_w|power_kw|power_mw`` (the
    power of ``accelerators`` accelerators) or ``fraction`` (of power_max)."""

    file: str = Field(description="CSV path, relative to the scenario file.")
    accelerators: Annotated[int | None, BeforeValidator(lambda v: v if v is None else _count(v))] = Field(
        None, description="Accelerators the measured power covers (needed for power columns). [-]")


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"got {value!r}; expected a whole number greater than 0")
    return value


def _band(value: Any) -> tuple:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ValueError(f"got {value!r}; expected two frequencies [low, high], e.g. [\"0.1 Hz\", \"20 Hz\"]")
    lo, hi = (parse_quantity(v, "1 / [time]") for v in value)
    if not 0 < lo.m_as("Hz") < hi.m_as("Hz"):
        raise ValueError(f"got {list(value)!r}; expected 0 < low < high")
    return lo, hi


def _windows(value: Any) -> list:
    if not isinstance(value, list) or not value:
        raise ValueError(f"got {value!r}; expected a list of durations, e.g. [\"0.1 s\", \"1 s\", \"60 s\"]")
    out = [parse_quantity(v, "[time]") for v in value]
    if any(q.magnitude <= 0 for q in out):
        raise ValueError(f"got {value!r}; expected positive durations")
    return out


class Limits(_Strict):
    """Grid limits on the campus's grid-side power. Defaults are engineering assumptions standing in for the
    figures of an interconnection agreement (utilities now write such limits for large loads, [1], [4])."""

    ramp: Annotated[Any, _q("[power] / [time]", "ramp rate", si="W/s")] = Field(
        default_factory=lambda: Q_(1, "MW/s"),
        description="Largest ramp rate over every window. [W/s] Default 1 MW/s (engineering assumption: "
                    "generation follows in one to 90 minutes [3]; 60 MW per minute).")
    ramp_windows: Annotated[list, BeforeValidator(_windows)] = Field(
        default_factory=lambda: [Q_(0.1, "s"), Q_(1, "s"), Q_(10, "s"), Q_(60, "s")],
        description="Windows over which ramp rates are measured. [s] Default 0.1, 1, 10, 60 s.")
    band: Annotated[tuple, BeforeValidator(_band)] = Field(
        default_factory=lambda: (Q_(0.1, "Hz"), Q_(20, "Hz")),
        description="Critical band of oscillations (generator shafts, inter-area modes). [Hz] Default 0.1-20 Hz "
                    "(issue #15 after [1]).")
    band_rms: Power = Field(
        default_factory=lambda: Q_(1, "MW"),
        description="Largest RMS of the grid power's oscillation inside the band. [W] Default 1 MW (engineering "
                    "assumption).")
    step: Power = Field(default_factory=lambda: Q_(10, "MW"),
                        description="Largest change within step_window. [W] Default 10 MW (engineering assumption).")
    step_window: Time = Field(default_factory=lambda: Q_(0.1, "s"),
                              description="Window of a step. [s] Default 0.1 s (six cycles at 60 Hz).")
    fault_duration: Time = Field(
        default_factory=lambda: Q_(150, "ms"),
        description="Voltage dip of the ride-through event. [s] Default 150 ms (engineering assumption: a "
                    "transmission fault cleared in ~9 cycles; [4] had repeated dips of this order).")


class StorageSettings(_Strict):
    """Storage of the mitigation layers."""

    hold_up: TimeOrZero = Field(
        default_factory=lambda: Q_(20, "ms"),
        description="Hold-up of the rack power supplies at full load. [s] Default 20 ms (engineering assumption: "
                    "the hold-up class of OCP ORv3 power shelves, one 50/60 Hz cycle plus margin).")
    rack_round_trip: Annotated[float, _fraction(0.5, 1.0)] = Field(
        0.95, description="Round-trip efficiency of the rack-level storage. [-] Default 0.95 (engineering "
                          "assumption: capacitors with a DC-DC stage of ~97.5 % each way).")
    bess_round_trip: Annotated[float, _fraction(0.5, 1.0)] = Field(
        0.85, description="Round-trip efficiency of the site battery, AC to AC. [-] Default 0.85 [5].")
    bess_soc_min: Annotated[float, _fraction(0.0, 0.5)] = Field(
        0.1, description="Lowest state of charge. [-] Default 0.1 (engineering assumption, Li-ion window).")
    bess_soc_max: Annotated[float, _fraction(0.5, 1.0)] = Field(
        0.9, description="Highest state of charge. [-] Default 0.9 (engineering assumption, Li-ion window).")
    bess_power_factor: Annotated[float, _fraction(0.5, 1.0)] = Field(
        0.95, description="Power factor at which the inverter delivers its rated power. [-] Default 0.95 [6].")


#: The longest trace [samples]: ~480 bytes of memory a sample (measured: 285 MB peak for 360,000 samples, 766 MB
#: for 1.44 million, 1 h and 4 h at 10 ms), so ~1.5 GB at the limit: 8.3 h at 10 ms, 3.5 days at 100 ms.
MAX_SAMPLES = 3_000_000


class Swings(_Strict):
    """The ``[swings]`` section of a scenario: the sub-second load, the grid limits and the storage."""

    seconds: Time = Field(default_factory=lambda: Q_(1, "h"),
                          description="Length of the trace. [s] Default 1 h (a checkpoint or two, maybe a failure).")
    resolution: Annotated[Any, _q("[time]", "resolution", low=0.001, high=0.1, si="s")] = Field(
        default_factory=lambda: Q_(10, "ms"), description="Sample step, 1-100 ms. [s] Default 10 ms.")
    seed: Annotated[int, BeforeValidator(_seed)] = Field(0, description="Seed of the failure draws. [-]")
    idle_level: Annotated[float, _fraction(0.0, 1.0)] = Field(
        0.1, description="Idle accelerator power / power_max (waiting, checkpoints, restarts, no job). [-] Default "
                         "0.1 (engineering assumption: an H100 idles at ~70 W of 700 W).")
    jobs: list[Job] = Field(default_factory=lambda: [Job()], description="Training jobs sharing the campus.")
    trace: Trace | None = Field(None, description="A measured trace to replay instead of the jobs.")
    limits: Limits = Field(default_factory=Limits)
    storage: StorageSettings = Field(default_factory=StorageSettings)
    cooling_time_constant: Time | None = Field(
        None, description="Time constant of the cooling loops. [s] Default: pipe_length / pipe_velocity of the "
                          "facility mains (transit time, well-mixed: engineering assumption).")
    expect: dict[str, Annotated[tuple, BeforeValidator(lambda v: _expect_band(v))]] = Field(
        default_factory=dict, description="Bands [low, high] of swings results (checked by `facility swings`).")

    @model_validator(mode="after")
    def _shares(self) -> Swings:
        total = sum(j.share for j in self.jobs)
        if total > 1.0 + 1e-9:
            raise ValueError(f"@jobs@the job shares add up to {total:g}; expected at most 1 (of the accelerators)")
        for key in self.expect:
            if key not in SWINGS_KEYS:
                raise ValueError(f"@expect.{key}@unknown result {key!r}; {did_you_mean(key, SWINGS_KEYS)}"
                                 f"expected one of {', '.join(sorted(SWINGS_KEYS))}")
        return self


def _expect_band(value: Any) -> tuple[float, float]:
    if (not isinstance(value, list | tuple) or len(value) != 2
            or any(isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x) for x in value)
            or value[0] > value[1]):
        raise ValueError(f"got {value!r}; expected a band [low, high] of two numbers, low <= high")
    return float(value[0]), float(value[1])


#: Results of the swings JSON document: key -> description with unit (one table for JSON, Dataset and docs).
SWINGS_KEYS: dict[str, str] = {
    "seconds": "length of the trace [s]",
    "resolution_s": "sample step [s]",
    "samples": "samples in the trace [-]",
    "it_power_mean_mw": "mean IT power at the rack inputs [MW]",
    "it_swing_mw": "largest minus smallest IT power [MW]",
    "swing_mw": "largest minus smallest grid-side power, no mitigation [MW]",
    "grid_mean_mw": "mean grid-side power [MW]",
    "grid_peak_mw": "largest grid-side power [MW]",
    "max_ramp_mw_per_s": "largest ramp rate over the ramp windows [MW/s]",
    "largest_step_mw": "largest change within the step window [MW]",
    "band_rms_mw": "RMS of the grid-side oscillation inside the critical band [MW]",
    "band_energy_fraction": "share of the grid-side fluctuation's energy inside the critical band [-]",
    "dominant_frequency_hz": "frequency of the largest spectral peak [Hz]",
    "ride_through_load_lost_mw": "load the grid loses in the fault ride-through event [MW]",
    "compliant": "ramp, band and step inside their limits, no mitigation [bool]",
    "floor_fraction": "GPU power floor that, with the GPU ramp limits, brings the trace inside the limits / power_max [-]",
    "smoothing_energy_mwh_per_year": "energy the GPU floor and ramp limits burn, per year of this trace [MWh]",
    "smoothing_throttled_mwh_per_year": "energy the GPU ramp-up limit withholds from compute, per year [MWh]",
    "rack_storage_kwh_per_rack": "usable energy of the rack-level storage, per compute rack [kWh]",
    "rack_storage_kw_per_rack": "power of the rack-level storage, per compute rack [kW]",
    "rack_storage_loss_mwh_per_year": "round-trip losses of the rack-level storage per year [MWh]",
    "rack_storage_peak_reduction": "peak grid demand reduction by the rack-level storage [-]",
    "bess_power_mw": "site battery power rating [MW]",
    "bess_energy_mwh": "site battery energy rating (state-of-charge window included) [MWh]",
    "bess_inverter_mva": "site battery inverter rating [MVA]",
    "bess_cycles_per_day": "equivalent full cycles of the site battery per day [-]",
    "bess_loss_mwh_per_year": "round-trip losses of the site battery per year [MWh]",
}


# ---------------------------------------------------------------------------------------------- results
@dataclass(frozen=True)
class _Layer:
    """One mitigation layer: its grid-side power [W] and its storage power [W] and energy [J] (None for the
    floor), and its figures for JSON."""

    name: str
    grid: np.ndarray
    figures: dict[str, Any]
    storage_power: np.ndarray | None = None
    storage_energy: np.ndarray | None = None
    it_power: np.ndarray | None = None
    capacity: float | None = None


@dataclass(frozen=True)
class SwingsResult:
    """A campus's swings: the trace through the chain, the compliance metrics and the mitigation layers.

    Arrays are SI (time [s], power [W], energy [J]); :meth:`dataset` builds the ``xarray.Dataset`` and
    :meth:`to_json` the JSON document (keys of :data:`SWINGS_KEYS`).
    """

    scenario: str
    time: np.ndarray
    accelerator_share: np.ndarray
    it_power: np.ndarray
    heat_to_plant: np.ndarray
    mechanical: np.ndarray
    chain: dict[str, np.ndarray]
    metrics: dict[str, Any]
    frequency: np.ndarray
    psd: np.ndarray
    layers: tuple[_Layer, ...]
    limits: dict[str, Any]
    dt: float
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def grid(self) -> np.ndarray:
        """Grid-side power with no mitigation. [W]"""
        return self.chain["grid_import"]

    def to_json(self) -> dict[str, Any]:
        """The JSON document: :data:`SWINGS_KEYS`, ``ramp_mw_per_s`` per window, ``limits`` and ``layers``."""
        doc = {k: self.figures[k] for k in SWINGS_KEYS if k in self.figures}
        doc["scenario"] = self.scenario
        doc["ramp_mw_per_s"] = self.metrics["ramps"]
        doc["limits"] = self.limits
        doc["layers"] = {lay.name: lay.figures for lay in self.layers}
        return doc

    def dataset(self):
        """The trace as an ``xarray.Dataset`` on ``time`` [s] (and the spectra on ``frequency`` [Hz]), every
        variable with its ``units``."""
        import xarray as xr

        def var(a, units, desc):
            return ("time", np.asarray(a, dtype=float), {"units": units, "description": desc})

        data = {
            "accelerator_share": var(self.accelerator_share, "1", "mean accelerator power / power_max"),
            "it_power": var(self.it_power, "W", "IT power at the rack inputs"),
            "heat_to_plant": var(self.heat_to_plant, "W", "heat reaching the cooling plant (loop inertia)"),
            "mechanical_power": var(self.mechanical, "W", "cooling plant and house loads"),
            "electrical_loss": var(self.chain["electrical_loss"], "W", "losses outside the racks"),
            "in_rack_loss": var(self.chain["in_rack_loss"], "W", "losses inside the racks"),
            "grid_power": var(self.grid, "W", "grid import, no mitigation"),
            "psd_grid": ("frequency", self.psd, {"units": "W^2/Hz", "description": "Welch spectrum, grid power"}),
        }
        for lay in self.layers:
            data[f"grid_power_{lay.name}"] = var(lay.grid, "W", f"grid import with {lay.name}")
            if lay.storage_power is not None:
                data[f"{lay.name}_power"] = var(lay.storage_power, "W", "storage power, + discharging")
                data[f"{lay.name}_energy"] = var(lay.storage_energy, "J", "stored energy")
                soc = lay.storage_energy / lay.capacity if lay.capacity else np.zeros_like(lay.storage_energy)
                data[f"{lay.name}_soc"] = var(soc, "1", "state of charge: stored energy / energy rating")
        ds = xr.Dataset(data, coords={"time": ("time", self.time, {"units": "s"}),
                                      "frequency": ("frequency", self.frequency, {"units": "Hz"})})
        ds.attrs.update({"scenario": self.scenario, "resolution_s": self.dt})
        return ds


# ---------------------------------------------------------------------------------------------- compliance
def _welch(p: np.ndarray, dt: float) -> tuple[np.ndarray, np.ndarray]:
    from scipy.signal import welch

    n = p.size
    nper = min(n, 1 << math.ceil(math.log2(max(60.0 / dt, 16.0))))  # >= 60 s segments: 1/60 Hz resolution
    return welch(p, fs=1.0 / dt, nperseg=nper, detrend="constant")


def compliance(grid: np.ndarray, dt: float, limits: dict[str, Any], spectrum: bool = True) -> dict[str, Any]:
    """Compliance metrics of a grid-side power trace [W] at step ``dt`` [s] against ``limits`` (SI dict).

    Ramp rate over a window :math:`w`: :math:`\\max_t |P(t + w) - P(t)| / w`; largest step the same change over
    the step window; band RMS :math:`\\sqrt{\\int_{band} S(f)\\,df}` of the Welch spectrum :math:`S`; band
    energy fraction that integral over the whole spectrum above 0 Hz.
    """
    ramps = {}
    for w in limits["ramp_windows_s"]:
        k = max(1, round(w / dt))
        ramps[f"{w:g} s"] = float(np.max(np.abs(grid[k:] - grid[:-k]))) / (k * dt) / 1e6 if grid.size > k else 0.0
    k = max(1, round(limits["step_window_s"] / dt))
    step = float(np.max(np.abs(grid[k:] - grid[:-k]))) if grid.size > k else 0.0
    out: dict[str, Any] = {"ramps": ramps, "max_ramp": max(ramps.values()) * 1e6, "step": step}
    if spectrum:
        f, s = _welch(grid, dt)
        lo, hi = limits["band_hz"]
        df = f[1] - f[0]
        in_band = (f >= lo) & (f <= hi)
        total = float(np.sum(s[1:])) * df
        band = float(np.sum(s[in_band])) * df
        out.update(frequency=f, psd=s, band_rms=math.sqrt(band), band_fraction=band / total if total > 0 else 0.0,
                   dominant=float(f[1:][np.argmax(s[1:])]) if f.size > 1 else 0.0)
    out["ok"] = (out["max_ramp"] <= limits["ramp_w_per_s"] * (1 + 1e-9) and step <= limits["step_w"] * (1 + 1e-9)
                 and (not spectrum or out["band_rms"] <= limits["band_rms_w"]))
    return out


def _complies(grid: np.ndarray, dt: float, limits: dict[str, Any]) -> bool:
    """:func:`compliance`'s verdict, the spectrum computed only when the ramps and the step pass."""
    return compliance(grid, dt, limits, spectrum=False)["ok"] and \
        _band_rms(grid, dt, limits["band_hz"]) <= limits["band_rms_w"]


def _band_rms(grid: np.ndarray, dt: float, band: tuple[float, float]) -> float:
    f, s = _welch(grid, dt)
    return math.sqrt(float(np.sum(s[(f >= band[0]) & (f <= band[1])])) * (f[1] - f[0]))


# ---------------------------------------------------------------------------------------------- the campus
@dataclass(frozen=True)
class _Fleet:
    p_fixed: float      # racks' non-accelerator power at max + overhead IT [W]
    p_acc_max: float    # accelerators x power_max [W]
    accelerators: int
    compute_racks: int


def _fleet(result) -> _Fleet:
    cat = result.scenario.hardware
    p_acc = 0.0
    p_racks = 0.0
    for d in result.load.deployments:
        acc = cat.accelerator(d.system).get("power_max").m_as("W") * d.accelerators
        p_acc += min(acc, d.racks * d.rack_power_max.m_as("W"))
        p_racks += d.racks * d.rack_power_max.m_as("W")
    overhead = sum(o.it_power.m_as("W") for o in result.load.overheads)
    return _Fleet(p_racks - p_acc + overhead, p_acc, result.load.accelerators,
                  sum(d.racks for d in result.load.deployments))


def _accelerator_share(cfg: Swings, t: np.ndarray, fleet: _Fleet, base: Path | None, source: str) -> np.ndarray:
    """Mean accelerator power of the fleet / power_max at every sample. [-]"""
    from models.compute.training_load import failure_times, job_power, read_trace, replay_trace, running_share

    if cfg.trace is not None:
        path = Path(cfg.trace.file).expanduser()
        path = path if path.is_absolute() or base is None else base / path
        try:
            ts, value, col = read_trace(path)
        except (OSError, ValueError) as exc:
            raise ScenarioError(f"{cfg.trace.file!r}: {exc}", source=source, key="swings.trace.file") from None
        if col == "fraction":
            return replay_trace(ts, value, t)
        if cfg.trace.accelerators is None:
            raise ScenarioError(f"the trace gives {col}; expected swings.trace.accelerators, the number of "
                                "accelerators it measured", source=source, key="swings.trace.accelerators")
        per_acc = replay_trace(ts, value, t) / cfg.trace.accelerators
        return per_acc / (fleet.p_acc_max / fleet.accelerators)
    seconds = float(t[-1] + (t[1] - t[0])) if t.size > 1 else 0.0
    share = np.full_like(t, (1.0 - sum(j.share for j in cfg.jobs)) * cfg.idle_level)
    for i, j in enumerate(cfg.jobs):
        s = lambda q: None if q is None else float(q.m_as("s"))  # noqa: E731
        rng = np.random.default_rng([cfg.seed, i])
        fails = failure_times(seconds, float(j.failure_rate.m_as("1/s")) * j.share * fleet.accelerators, rng)
        run = running_share(t, start=s(j.start), stop=s(j.stop), start_ramp=s(j.start_ramp), stop_ramp=s(j.stop_ramp),
                            checkpoint_interval=s(j.checkpoint_interval), checkpoint_duration=s(j.checkpoint_duration),
                            failures=fails, restart_time=s(j.restart_time))
        share += j.share * job_power(t, step_time=s(j.step_time), compute_share=j.compute_share,
                                     power_compute=j.compute_level, power_comm=j.communication_level,
                                     power_idle=cfg.idle_level, jitter=s(j.jitter), phase=s(j.phase), running=run)
    return share


def _lag(x: np.ndarray, dt: float, tau: float) -> np.ndarray:
    """First-order lag :math:`\\tau \\dot y = x - y` (exact for a sample-and-hold input), starting steady."""
    from scipy.signal import lfilter

    a = math.exp(-dt / tau)
    y, _ = lfilter([1.0 - a], [1.0, -a], x, zi=[a * x[0]])
    return y


class _Chain:
    """The campus from IT power to grid power: cooling lag, mechanical load and the sized chain (exact), with a
    tabulated version for the sizing searches (second order in the mechanical load: error < 1 W on 500 MW)."""

    def __init__(self, result, dt: float, tau: float):
        self.power = result.power
        self.dt, self.tau = dt, tau
        self.it_design = result.power.it_power.m_as("W")
        self.cooling = result.cooling.cooling_power.m_as("W")
        self.house = result.house_load.m_as("W")
        self._table = None

    def heat_and_mech(self, it: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        heat = _lag(it, self.dt, self.tau)
        return heat, self.house + self.cooling * heat / self.it_design

    def exact(self, it: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        heat, mech = self.heat_and_mech(it)
        return heat, mech, self.power.evaluate_chain(it, mech).as_dict()

    def slope(self, lo: float, hi: float) -> float:
        """The steepest grid W per IT W of the chain between IT powers ``lo`` and ``hi`` [W]. [-]"""
        self.grid(np.array([lo]))
        levels, g0, _, _ = self._table
        d = np.diff(g0) / np.diff(levels)
        inside = (levels[1:] >= lo) & (levels[:-1] <= hi)
        return float(np.max(d[inside])) if inside.any() else float(np.max(d))

    def grid(self, it: np.ndarray) -> np.ndarray:
        """Grid import for IT power ``it`` [W], tabulated (the sizing searches call it many times)."""
        _heat, mech = self.heat_and_mech(it)
        if self._table is None:
            levels = np.linspace(0.0, 1.6 * self.it_design, 401)
            m0 = self.house + self.cooling
            g0 = self.power.evaluate_chain(levels, np.full_like(levels, m0)).grid_import
            g1 = self.power.evaluate_chain(levels, np.full_like(levels, m0 + 1e6)).grid_import
            self._table = (levels, g0, (g1 - g0) / 1e6, m0)
        levels, g0, slope, m0 = self._table
        return np.interp(it, levels, g0) + (mech - m0) * np.interp(it, levels, slope)


def _limits_si(cfg: Swings) -> dict[str, Any]:
    lim = cfg.limits
    return {"ramp_w_per_s": lim.ramp.m_as("W/s"), "ramp_windows_s": [w.m_as("s") for w in lim.ramp_windows],
            "band_hz": tuple(b.m_as("Hz") for b in lim.band), "band_rms_w": lim.band_rms.m_as("W"),
            "step_w": lim.step.m_as("W"), "step_window_s": lim.step_window.m_as("s"),
            "fault_s": lim.fault_duration.m_as("s")}


def _bisect(ok, lo: float, hi: float, steps: int) -> float:
    """The smallest x in [lo, hi] with ok(x) (ok monotone: false below, true above); hi if none below."""
    if ok(lo):
        return lo
    for _ in range(steps):
        mid = 0.5 * (lo + hi)
        if ok(mid):
            hi = mid
        else:
            lo = mid
    return hi


def _moving_average(x: np.ndarray, k: int) -> np.ndarray:
    """Causal moving average over ``k`` samples, the first ``k`` samples repeated before the start (the campus
    was in the same regime before the trace)."""
    k = min(k, x.size)
    cs = np.concatenate(([0.0], np.cumsum(np.concatenate((x[:k], x)))))
    return (cs[k + 1:] - cs[1:-k]) / k


def _smallest_storage(complies) -> float:
    """The shortest averaging window of :data:`_WINDOWS` whose dispatch complies (the longest when none does).

    A longer window smooths more and needs more energy (the storage carries the load's departures from a
    slower mean), so the shortest compliant window is the smallest storage of this controller.
    """
    for w in _WINDOWS:
        if complies(w):
            return w
    return _WINDOWS[-1]


def _storage_loss(b: np.ndarray, eta_rt: float) -> np.ndarray:
    """Loss power of storage giving ``b`` [W] (+ discharging) at round-trip ``eta_rt``, split evenly. [W]"""
    eta = math.sqrt(eta_rt)
    return np.maximum(b, 0.0) * (1.0 / eta - 1.0) + np.maximum(-b, 0.0) * (1.0 - eta)


def _storage_smoothing(load: np.ndarray, dt: float, ramp: float, window: float, eta_rt: float
                       ) -> tuple[np.ndarray, np.ndarray]:
    """Ideal storage that holds ``load`` [W] to the moving average over ``window`` [s], ramp-limited to ``ramp``
    [W/s]: its power (+ discharging) [W] and stored energy relative to the start [J].

    The supply follows the mean of the load (so the state of charge stays bounded) no faster than the ramp
    limit, and makes up the storage losses (their mean, from a first pass).
    """
    from models.electrical.storage import rate_limit, state_of_charge

    eta = math.sqrt(eta_rt)
    mean = _moving_average(load, max(1, round(window / dt)))
    makeup = 0.0
    for _ in range(2):
        b = load - rate_limit(mean + makeup, dt, ramp)
        makeup = float(np.mean(_storage_loss(b, eta_rt)))
    return b, state_of_charge(b, dt, 0.0, eta, eta)


def simulate_swings(result, config: Swings | None = None, *, seconds=None, resolution=None,
                    mitigation: bool = True) -> SwingsResult:
    """Run a sized campus (:func:`facility.run`, ``year=False`` is enough) through its ``[swings]`` trace.

    Parameters
    ----------
    result
        A :class:`facility.CampusResult`.
    config
        The swings settings (default: the scenario's ``swings`` section, or the defaults).
    seconds, resolution
        Override the length of the trace and its step (Quantities or strings with units). [s]
    mitigation
        Size the three mitigation layers (default true).

    Raises
    ------
    ScenarioError
        A band above the Nyquist frequency of the trace, a trace shorter than the band's lowest period, a bad
        trace file.
    """
    scenario = result.scenario
    source = scenario.source
    cfg = config if config is not None else (getattr(scenario, "swings", None) or Swings())
    try:
        if seconds is not None:
            cfg = cfg.model_copy(update={"seconds": Swings.model_validate({"seconds": seconds}).seconds})
        if resolution is not None:
            cfg = cfg.model_copy(update={"resolution": Swings.model_validate({"resolution": resolution}).resolution})
    except ValidationError as exc:  # the override is bad input
        err = exc.errors(include_url=False)[0]
        key = "--seconds" if err["loc"] and err["loc"][0] == "seconds" else "--resolution"
        raise ScenarioError(str(err["msg"]).removeprefix("Value error, "), source=source, key=key) from None
    dt = float(cfg.resolution.m_as("s"))
    n = round(float(cfg.seconds.m_as("s")) / dt)
    lim = _limits_si(cfg)
    nyquist = 0.5 / dt
    if lim["band_hz"][1] > nyquist:
        raise ScenarioError(f"the band's upper edge {lim['band_hz'][1]:g} Hz is above the Nyquist frequency "
                            f"{nyquist:g} Hz of a trace at {dt * 1e3:g} ms; expected a band up to {nyquist:g} Hz or a "
                            "finer resolution", source=source, key="swings.limits.band")
    if n * dt < 2.0 / lim["band_hz"][0] or n < 16:
        raise ScenarioError(f"a trace of {n * dt:g} s is too short for a band from {lim['band_hz'][0]:g} Hz; expected "
                            f"at least {2.0 / lim['band_hz'][0]:g} s", source=source, key="swings.seconds")
    if n > MAX_SAMPLES:
        raise ScenarioError(f"a trace of {n * dt:g} s at {dt * 1e3:g} ms is {n:,} samples; expected at most "
                            f"{MAX_SAMPLES:,} ({MAX_SAMPLES * dt / 3600:.3g} h at this resolution: a shorter trace or a "
                            "coarser resolution)", source=source, key="swings.seconds")
    t = np.arange(n) * dt
    fleet = _fleet(result)
    where = Path(source)
    share = _accelerator_share(cfg, t, fleet, where.resolve().parent if where.is_file() else None, source)
    it = fleet.p_fixed + fleet.p_acc_max * share
    inputs = result.inputs
    tau = (float(cfg.cooling_time_constant.m_as("s")) if cfg.cooling_time_constant is not None
           else float(inputs.pipe_length / inputs.pipe_velocity))  # the mains' transit time [s]
    chain = _Chain(result, dt, tau)
    heat, mech, flows = chain.exact(it)
    grid = flows["grid_import"]
    m = compliance(grid, dt, lim)

    # ride-through: a dip longer than the supplies' hold-up drops the racks off the grid (to UPS / BBU, or off)
    worst = int(np.argmax(grid))
    hold = float(cfg.storage.hold_up.m_as("s"))
    lost = float(flows["grid_import_it"][worst]) if lim["fault_s"] > hold else 0.0

    figures = {
        "seconds": n * dt, "resolution_s": dt, "samples": n, "it_power_mean_mw": float(np.mean(it)) / 1e6,
        "it_swing_mw": float(np.ptp(it)) / 1e6, "swing_mw": float(np.ptp(grid)) / 1e6,
        "grid_mean_mw": float(np.mean(grid)) / 1e6, "grid_peak_mw": float(np.max(grid)) / 1e6,
        "max_ramp_mw_per_s": m["max_ramp"] / 1e6, "largest_step_mw": m["step"] / 1e6,
        "band_rms_mw": m["band_rms"] / 1e6, "band_energy_fraction": m["band_fraction"],
        "dominant_frequency_hz": m["dominant"], "ride_through_load_lost_mw": lost / 1e6, "compliant": bool(m["ok"]),
    }
    layers = _mitigate(cfg, chain, fleet, share, it, grid, dt, lim) if mitigation else ()
    for lay in layers:
        figures.update({k: v for k, v in lay.figures.items() if k in SWINGS_KEYS and k != "compliant"})
    figures = {k: (round(v, 6) if isinstance(v, float) else v) for k, v in figures.items()}
    limits_doc = {"ramp_mw_per_s": lim["ramp_w_per_s"] / 1e6, "ramp_windows_s": lim["ramp_windows_s"],
                  "band_hz": list(lim["band_hz"]), "band_rms_mw": lim["band_rms_w"] / 1e6,
                  "step_mw": lim["step_w"] / 1e6, "step_window_s": lim["step_window_s"],
                  "fault_duration_s": lim["fault_s"], "hold_up_s": hold}
    return SwingsResult(scenario.name, t, share, it, heat, mech, flows,
                        {"ramps": m["ramps"]}, m["frequency"], m["psd"], tuple(layers), limits_doc, dt, figures)


def _mitigate(cfg: Swings, chain: _Chain, fleet: _Fleet, share: np.ndarray, it: np.ndarray, grid: np.ndarray,
              dt: float, lim: dict[str, Any]) -> list[_Layer]:
    """Size the three layers, each alone, to bring the grid-side trace inside the limits."""
    from models.electrical.storage import rate_limit

    ramp = lim["ramp_w_per_s"]
    slope = chain.slope(float(np.min(it)), float(np.max(it)))  # grid W per IT W, steepest over the trace
    margin = 0.995  # aim just inside the ramp limit

    def ok(g: np.ndarray) -> bool:
        return _complies(g, dt, lim)

    def fit_ramp(grid_of, r0: float) -> float:
        """The ramp ``r`` (from ``r0`` down) at which ``grid_of(r)`` meets the ramp and step limits: the
        cooling load and the chain's losses add a little to the ramps of what is limited."""
        r = r0
        for _ in range(4):
            c = compliance(grid_of(r), dt, lim, spectrum=False)
            worst = max(c["max_ramp"] / lim["ramp_w_per_s"], c["step"] / lim["step_w"])
            if worst <= 1.0:
                break
            r *= margin / worst
        return r

    layers: list[_Layer] = []
    # --- 1. GPU power floor with ramp limits (NVML power smoothing [3]): burns energy, throttles ramp-ups
    lowest = float(np.min(share))
    r_acc = fit_ramp(lambda r: chain.grid(fleet.p_fixed + fleet.p_acc_max * rate_limit(share, dt, r)),
                     margin * ramp / slope / fleet.p_acc_max)  # share per second

    def smoothed(floor: float) -> np.ndarray:
        return rate_limit(np.maximum(share, floor), dt, r_acc)

    top = float(np.max(share))
    phi = _bisect(lambda x: ok(chain.grid(fleet.p_fixed + fleet.p_acc_max * smoothed(x))), lowest, top, _STEPS)
    s1 = smoothed(phi)
    it1 = fleet.p_fixed + fleet.p_acc_max * s1
    g1 = chain.exact(it1)[2]["grid_import"]
    burn = float(np.mean(np.maximum(s1 - share, 0.0))) * fleet.p_acc_max
    held = float(np.mean(np.maximum(share - s1, 0.0))) * fleet.p_acc_max
    layers.append(_Layer("gpu_smoothing", g1, {
        "floor_fraction": round(phi, 6), "smoothing_energy_mwh_per_year": round(burn * _YEAR_S / 3.6e9, 3),
        "smoothing_throttled_mwh_per_year": round(held * _YEAR_S / 3.6e9, 3), "compliant": ok(g1)},
        it_power=it1))

    # --- 2. storage in the racks' power shelves [3]: the rack input held to a slow, ramp-limited mean
    eta_r = cfg.storage.rack_round_trip

    def rack(w: float, r: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        b, e = _storage_smoothing(it, dt, r, w, eta_r)
        return b, e, it - b

    r_it = fit_ramp(lambda r: chain.grid(rack(_WINDOWS[3], r)[2]), margin * ramp / slope)

    w2 = _smallest_storage(lambda w: ok(chain.grid(rack(w, r_it)[2])))
    b2, e2, it2 = rack(w2, r_it)
    g2 = chain.exact(it2)[2]["grid_import"]
    loss2 = float(np.mean(_storage_loss(b2, eta_r)))
    racks = max(fleet.compute_racks, 1)
    layers.append(_Layer("rack_storage", g2, {
        "rack_storage_kwh_per_rack": round(float(np.ptp(e2)) / 3.6e6 / racks, 6),
        "rack_storage_kw_per_rack": round(float(np.max(np.abs(b2))) / 1e3 / racks, 6),
        "rack_storage_loss_mwh_per_year": round(loss2 * _YEAR_S / 3.6e9, 3),
        "rack_storage_peak_reduction": round(1.0 - float(np.max(g2)) / float(np.max(grid)), 6),
        "window_s": w2, "compliant": ok(g2)},
        storage_power=b2, storage_energy=e2 - float(np.min(e2)), it_power=it2, capacity=float(np.ptp(e2))))

    # --- 3. site battery at the point of interconnection: the grid import held the same way
    st = cfg.storage

    def bess(w: float) -> tuple[np.ndarray, np.ndarray]:
        return _storage_smoothing(grid, dt, margin * ramp, w, st.bess_round_trip)  # on the grid side: exact ramps

    w3 = _smallest_storage(lambda w: ok(grid - bess(w)[0]))
    b3, e3 = bess(w3)
    g3 = grid - b3
    usable = float(np.ptp(e3))
    window = st.bess_soc_max - st.bess_soc_min
    capacity = usable / window
    energy = st.bess_soc_min * capacity + (e3 - float(np.min(e3)))  # stored energy inside its window [J]
    p_rating = float(np.max(np.abs(b3)))
    discharged = float(np.sum(np.maximum(b3, 0.0))) * dt * _HOUR * 24 / (share.size * dt)
    layers.append(_Layer("bess", g3, {
        "bess_power_mw": round(p_rating / 1e6, 6), "bess_energy_mwh": round(capacity / 3.6e9, 6),
        "bess_inverter_mva": round(p_rating / st.bess_power_factor / 1e6, 6),
        "bess_cycles_per_day": round(discharged / usable, 4) if usable > 0 else 0.0,
        "bess_loss_mwh_per_year": round(float(np.mean(_storage_loss(b3, st.bess_round_trip))) * _YEAR_S / 3.6e9, 3),
        "window_s": w3, "compliant": ok(g3)},
        storage_power=b3, storage_energy=energy, capacity=capacity))
    return layers


def check_expect(cfg: Swings, doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``[swings.expect]`` bands against a JSON document: rows ``{quantity, band, value, ok}``."""
    rows = []
    for key, (lo, hi) in cfg.expect.items():
        value = doc.get(key)
        ok = value is not None and lo <= float(value) <= hi
        rows.append({"quantity": key, "band": [lo, hi], "value": value, "ok": bool(ok)})
    return rows
