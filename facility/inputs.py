"""The design inputs of a scenario compiled once to SI numbers: what the sizing reads.

The validated :class:`facility.scenario.Scenario` is the edge object for the structure of a design (catalog
choices, strings, which stages and plants exist). The numbers a sweep may vary as arrays
(:data:`facility.sweep.ARRAY_KEYS`: coolant temperatures and rises, pressure drops, pumps, deployment counts, load
level) are compiled from it once, here, into a small frozen :class:`DesignInputs` of SI numbers: every value a
float for one design, or an array (P,) for a batch of P points. The sizing (:mod:`facility.campus`,
:mod:`facility.cooling`, :mod:`facility.loops`, :mod:`facility.house`, :mod:`facility.plan`) reads these numbers,
not ``scenario.*``; a sweep builds them with its arrays (:func:`compile_inputs` with ``overrides``), each value
validated alone before, so no pydantic model ever holds an array.

Units (SI, as the kernels take them): temperatures [K], temperature rises [K], pressure drops [Pa], lengths [m],
velocities [m/s], friction rates [Pa/m], efficiencies and fractions [-], compute targets [FLOPS].

>>> from facility import load_scenario
>>> s = load_scenario("scenarios/default.toml")
>>> inp = compile_inputs(s)
>>> round(inp.tcs_supply - 273.15, 6) == round(s.cooling.tcs_supply.m_as("degC"), 6)
True
>>> compile_inputs(s, {"cooling.tcs_delta_t": np.array([8.0, 10.0])}).tcs_delta_t
array([ 8., 10.])
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pint

from facility.compiled import si

if TYPE_CHECKING:
    from facility.scenario import Scenario

__all__ = ["DesignInputs", "compile_inputs", "deployment_counts", "COOLING_SI", "COUNT_KEYS"]

#: The numeric cooling keys of a design and the SI unit each is compiled to (``None``: a plain number [-]).
COOLING_SI: dict[str, str | None] = {
    "tcs_supply": "K", "tcs_delta_t": "K", "facility_delta_t": "K", "tcs_pressure_drop": "Pa",
    "facility_pressure_drop": "Pa", "pipe_length": "m", "pipe_velocity": "m/s", "pipe_friction_rate": "Pa/m",
    "pump_efficiency": None, "air_supply": "K", "chw_delta_t": "K", "house_load_fraction": None,
}
#: The keys that count a deployment (exactly one is set), and their SI unit (``None``: a whole number).
COUNT_KEYS: dict[str, str | None] = {"accelerators": None, "nodes": None, "racks": None, "pods": None,
                                     "compute_target": "FLOPS"}
_DEPLOYMENT = re.compile(r"compute\.deployments\[(\d+)\]\.(\w+)")  # an override of a deployment's count


@dataclass(frozen=True)
class DesignInputs:
    """A scenario's design numbers in SI: each a float (an int for counts) for one design, or an array (P,).

    Cooling (``[cooling]``): technology-loop supply ``tcs_supply`` [K] and rise ``tcs_delta_t`` [K],
    facility-water rise ``facility_delta_t`` [K], summed component pressure drops ``tcs_pressure_drop`` and
    ``facility_pressure_drop`` [Pa] (None: the catalog's component list), mains ``pipe_length`` [m],
    ``pipe_velocity`` [m/s] and ``pipe_friction_rate`` [Pa/m], wire-to-water ``pump_efficiency`` [-], supply air
    ``air_supply`` [K], chilled-water rise ``chw_delta_t`` [K], ``house_load_fraction`` [-] (None: itemised).
    Compute: ``counts``, one ``(key, value)`` per deployment (the count key set, e.g. ``("racks", 1563)``;
    ``compute_target`` in [FLOPS]). Load: ``level`` [-] of design IT power (None: the typical power).
    """

    tcs_supply: Any
    tcs_delta_t: Any
    facility_delta_t: Any
    tcs_pressure_drop: Any
    facility_pressure_drop: Any
    pipe_length: Any
    pipe_velocity: Any
    pipe_friction_rate: Any
    pump_efficiency: Any
    air_supply: Any
    chw_delta_t: Any
    house_load_fraction: Any
    counts: tuple[tuple[str, Any], ...]
    level: Any

    @property
    def points(self) -> int:
        """P: the number of design points, the length of the arrays (P,) of a batch, 1 for one design (as
        :attr:`facility.compiled.CompiledYear.points`; a batch of one point is also 1: tell them apart by whether a
        value is an array)."""
        for v in (*self.__dict__.values(), *(c[1] for c in self.counts)):
            if isinstance(v, np.ndarray) and v.ndim:
                return len(v)
        return 1


def deployment_counts(scenario: Scenario) -> tuple[tuple[str, Any], ...]:
    """The ``counts`` of :func:`compile_inputs` alone (what :func:`facility.plan.it_load` reads), without compiling
    the cooling numbers: one ``(count key, value)`` per deployment, in order; a whole number [-] for
    ``accelerators``, ``nodes``, ``racks`` and ``pods``, a float in [FLOPS] for ``compute_target``."""
    return tuple((k, _si(v, COUNT_KEYS[k])) for k, v in _counts(scenario))


def _counts(scenario: Scenario) -> list[tuple[str, Any]]:
    """``(count key, validated value)`` of each deployment, in order (one count key is set per deployment)."""
    return [(k, getattr(d, k)) for d in scenario.compute.deployments for k in COUNT_KEYS if getattr(d, k) is not None]


def _si(value: Any, unit: str | None) -> Any:
    """A validated value (a Quantity, a number, or an array of them from a sweep) in SI; None stays None."""
    if value is None:
        return None
    if isinstance(value, pint.Quantity):
        value = si(value, unit)  # (no pint conversion for a value already in its SI unit)
    if isinstance(value, np.ndarray):
        return value.astype(float) if unit is not None or value.dtype.kind != "i" else value
    return value if unit is None and isinstance(value, int) else float(value)


def compile_inputs(scenario: Scenario, overrides: Mapping[str, Any] | None = None) -> DesignInputs:
    """Compile the design numbers of ``scenario`` (see :class:`DesignInputs`).

    Parameters
    ----------
    scenario
        A validated scenario: the numbers of one design.
    overrides
        Key path -> value replacing the scenario's (a sweep's batch: Quantities or numbers of shape (P,), every
        value validated alone first): ``cooling.<key>`` of :data:`COOLING_SI`,
        ``compute.deployments[i].<count>`` of :data:`COUNT_KEYS` (replacing that deployment's count), and
        ``load.level``. Another key, or a deployment index out of the scenario's range, raises a ``KeyError``
        naming the key and the keys accepted: only :func:`facility.sweep.sweep` passes overrides, after
        validating every key path and value against the scenario (a user's bad key is a ``ScenarioError`` there),
        so this is a caller's error, not a user's.

    Returns
    -------
    DesignInputs
        The design numbers in SI: floats (ints for whole counts) for one design; with array overrides, those
        values as arrays (P,) and the others as the scenario's single values (they broadcast against them).
    """
    c = scenario.cooling
    cooling = {k: getattr(c, k) for k in COOLING_SI}
    counts = [[k, v] for k, v in _counts(scenario)]
    level = scenario.load.level
    for path, value in (overrides or {}).items():
        head, _, tail = path.partition(".")
        deployment = _DEPLOYMENT.fullmatch(path)
        if head == "cooling" and tail in COOLING_SI:
            cooling[tail] = value
        elif path == "load.level":
            level = value
        elif deployment and deployment[2] in COUNT_KEYS and int(deployment[1]) < len(counts):
            counts[int(deployment[1])] = [deployment[2], value]
        else:  # (a caller's error: the sweep validates its keys first and overrides only facility.sweep.ARRAY_KEYS)
            raise KeyError(f"cannot override {path!r}: expected cooling.<{'|'.join(COOLING_SI)}>, "
                           f"compute.deployments[i].<{'|'.join(COUNT_KEYS)}> with 0 <= i < {len(counts)} (the "
                           "scenario's deployments) or load.level")
    return DesignInputs(**{k: _si(v, COOLING_SI[k]) for k, v in cooling.items()},
                        counts=tuple((k, _si(v, COUNT_KEYS[k])) for k, v in counts), level=level)
