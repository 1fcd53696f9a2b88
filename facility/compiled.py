"""A sized campus compiled once to SI arrays: what the year walks over every hour.

:func:`compile_year` reads a :class:`facility.campus.CampusResult` (Quantities, the result edge) once and keeps
every design value the year needs as a float64 column of shape (P, 1) — P = 1 for one design, P points for a
sweep's batch — so that one code path evaluates ``(P, H)`` hourly arrays for one design and for a batch
(:func:`facility.simulate.year_arrays` squeezes P = 1 away at the result). No Quantity is touched inside the
year: the power chain's loss coefficients ``(A, B, C)`` per stage (:mod:`models.electrical.converter`), the loop
and plant specs (:mod:`models.thermal.plant`) and the scalars of the air side are all SI numbers here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from facility.units import Q_
from models.thermal.plant import LoopSpec, PlantSpec

if TYPE_CHECKING:
    from facility.campus import CampusResult
    from facility.power import PowerDesign

__all__ = ["CompiledStage", "CompiledChain", "CompiledLoop", "CompiledYear", "compile_chain", "compile_year",
           "col", "si", "quantity"]


@functools.lru_cache(maxsize=256)
def _container(unit: str):
    return Q_(1.0, unit)._units


def si(q: Any, unit: str) -> Any:
    """The magnitude of the Quantity ``q`` in ``unit`` (``q.m_as(unit)``), without pint's conversion machinery
    when ``q`` is already in that unit (~0.3 us instead of ~8 us: the edges read many SI Quantities)."""
    if q._units == _container(unit):
        return q._magnitude
    return q.m_as(unit)


#: Magnitudes pint stores as they are (its ``_to_magnitude`` with ``force_ndarray`` off): a Quantity of one of
#: these is built directly, as ``Quantity.__new__`` would build it, without its checks (~0.5 us instead of ~5).
_PLAIN = (float, int, np.floating, np.integer, np.ndarray)
_DIRECT = not (Q_._REGISTRY.force_ndarray or Q_._REGISTRY.force_ndarray_like)


def quantity(value: Any, unit: str) -> Any:
    """``Q_(value, unit)`` with the unit parsed once (the result edges build hundreds of Quantities per design)."""
    if _DIRECT and isinstance(value, _PLAIN) and not isinstance(value, bool):
        q = object.__new__(Q_)
        q._magnitude = value
        q._units = _container(unit)
        return q
    return Q_(value, _container(unit))


def col(x: Any) -> np.ndarray:
    """A design value (a number, or an array (P,) for a batch) as a float64 column (P, 1); P = 1 for a number."""
    a = np.asarray(x, dtype=float)
    return a.reshape(-1, 1) if a.ndim else a.reshape(1, 1)


def _columns(spec):
    """A loop or plant spec with every number or array (P,) field as a column (P, 1)."""
    changes: dict[str, Any] = {}
    for f in fields(spec):
        v = getattr(spec, f.name)
        if isinstance(v, bool) or v is None or f.name in ("device", "params"):
            continue
        if isinstance(v, int | float | np.ndarray | np.floating):
            changes[f.name] = col(v)
    if isinstance(spec, PlantSpec) and spec.params:
        changes["params"] = {k: (col(x) if isinstance(x, np.ndarray) and x.ndim == 1 else x)
                             for k, x in spec.params.items()}
    return replace(spec, **changes)


@dataclass(frozen=True)
class CompiledStage:
    """One stage of the chain: its key in :attr:`facility.power.ChainState.stage_loss`, its loss coefficients
    ``abc`` = (A [W], B [-], C [1/W]) as columns (P, 1), and whether its losses heat an electrical room."""

    key: str
    abc: tuple[np.ndarray, np.ndarray, np.ndarray]
    indoors: bool


@dataclass(frozen=True)
class CompiledDeployment:
    """The rack stages of one deployment, top-down: ``groups`` racks (P, 1), ``rack_input`` [W] per rack at
    design (P, 1)."""

    groups: np.ndarray
    rack_input: np.ndarray
    stages: tuple[CompiledStage, ...]


@dataclass(frozen=True)
class CompiledChain:
    """The power chain in SI columns (P, 1): design IT power and its inverse [W, 1/W], overhead IT at design [W],
    the rack stages per deployment and the IT, mechanical and trunk branches (each grid first, as
    :attr:`facility.power.PowerDesign.stages`)."""

    it_power: np.ndarray
    inverse_it_power: np.ndarray
    overhead_it: np.ndarray
    deployments: tuple[CompiledDeployment, ...]
    it: tuple[CompiledStage, ...]
    mechanical: tuple[CompiledStage, ...]
    trunk: tuple[CompiledStage, ...]

    @property
    def points(self) -> int:
        """P: the largest number of rows of any of its columns (1 for one design)."""
        stages = (*self.it, *self.mechanical, *self.trunk, *(s for d in self.deployments for s in d.stages))
        arrays = (self.it_power, self.overhead_it, *(d.groups for d in self.deployments),
                  *(d.rack_input for d in self.deployments), *(x for s in stages for x in s.abc))
        return max(len(a) for a in arrays)

    def indoor_keys(self, *zones: str) -> list[str]:
        """Keys of the stages of ``zones`` (``it``, ``mechanical``) whose losses heat an electrical room."""
        return [s.key for z in zones for s in getattr(self, z) if s.indoors]


def compile_chain(design: PowerDesign) -> CompiledChain:
    """The :class:`CompiledChain` of a sized chain (read once from its Quantities)."""
    it_w = col(si(design.it_power, "W"))
    inv = np.divide(1.0, it_w, out=np.zeros_like(it_w), where=it_w > 0)
    by_zone: dict[str, list] = {"trunk": [], "it": [], "rack": [], "mechanical": []}
    for s in design.stages:
        by_zone[s.zone].append(s)

    def stage(s, key: str) -> CompiledStage:
        return CompiledStage(key, tuple(col(x) for x in s.loss_coefficients), s.indoors)

    deps: dict[str | None, list] = {}
    for s in by_zone["rack"]:
        deps.setdefault(s.deployment, []).append(s)
    compiled = []
    for dep, stages in deps.items():
        groups = col(stages[0].groups)
        per_rack = col(si(stages[0].power_in, "W")) * np.divide(1.0, groups, out=np.zeros_like(groups),
                                                                  where=groups > 0)
        compiled.append(CompiledDeployment(groups, per_rack,
                                           tuple(stage(s, s.id + (f":{dep}" if dep else "")) for s in stages)))
    return CompiledChain(it_w, inv, col(si(design.delivered_to_overhead_it, "W")), tuple(compiled),
                         *(tuple(stage(s, s.id) for s in by_zone[z]) for z in ("it", "mechanical", "trunk")))


@dataclass(frozen=True)
class CompiledLoop:
    """A loop of the year: its ``spec`` in columns (P, 1), its ``supply`` and ``return_`` temperatures [K] (P, 1)
    and the ``plant`` serving it (a :class:`~models.thermal.plant.PlantSpec` in columns) or None."""

    spec: LoopSpec
    supply: np.ndarray
    return_: np.ndarray
    plant: PlantSpec | None


@dataclass(frozen=True)
class CompiledYear:
    """A sized campus in SI columns (P, 1), compiled once for its year (:func:`facility.simulate.year_arrays`).

    ``batch``: the design was a sweep's batch (keep P) rather than one design (P = 1, squeezed at the result);
    ``it_power``, ``house_load``, ``cooling_power`` at design [W], ``liquid_power`` the liquid side's part of it
    (pumps of ``tcs`` and ``fw``, the facility-water plant) [W]; ``liquid_fraction`` of the IT heat [-];
    ``air_design`` the air side's design heat (IT heat to air and electrical rooms) [W] and ``crah_fan_power`` at
    it [W]; ``chain`` the power chain; ``loops`` by key (``tcs``, ``fw``, ``chw`` when the design has heat to air).
    """

    batch: bool
    points: int
    it_power: np.ndarray
    house_load: np.ndarray
    cooling_power: np.ndarray
    liquid_power: np.ndarray
    liquid_fraction: np.ndarray
    air_design: np.ndarray
    crah_fan_power: np.ndarray
    chain: CompiledChain
    loops: dict[str, CompiledLoop]
    #: The plants' weather-only terms by loop key, for the weather year they were computed at (held with it:
    #: ``(weather, terms)``, one slot per loop key): a second year of the same design at the same weather year
    #: object (the full-load check after the year, a library caller's other load profile) reuses them
    #: (:func:`facility.simulate.year_arrays`); the weather year holds read-only copies of its arrays, so the key
    #: cannot go stale.
    weather_terms: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


def compile_year(result: CampusResult) -> CompiledYear:
    """Compile a sized campus (one design or a sweep's batch) for its year: see :class:`CompiledYear`."""
    cool, load = result.cooling, result.load
    cooling_power = si(cool.cooling_power, "W")
    it_w = si(result.power.it_power, "W")
    loops = {}
    for lp in cool.loops:
        plant = cool.plant(lp.key)
        loops[lp.key] = CompiledLoop(_columns(lp.spec), col(si(lp.supply, "K")), col(si(lp.return_, "K")),
                                     _columns(plant.spec) if plant is not None else None)
    chain = compile_chain(result.power)
    fw_plant = cool.plant("fw")
    liquid_power = si(cool.tcs.pump_power, "W") + si(cool.fw.pump_power, "W")
    if fw_plant is not None:
        liquid_power = liquid_power + (si(fw_plant.compressor_power, "W") + si(fw_plant.fan_power, "W")
                                       + si(fw_plant.condenser_pump_power, "W"))
    specs = [v for lp in cool.loops for v in (lp.spec, *([cool.plant(lp.key).spec] if cool.plant(lp.key) else []))]
    sizes = [np.size(getattr(sp, f.name)) for sp in specs for f in fields(sp)
             if isinstance(getattr(sp, f.name), np.ndarray)]
    points = max(chain.points, int(np.size(cooling_power)), *sizes)
    return CompiledYear(
        batch=points > 1 or np.ndim(cooling_power) > 0, points=points, it_power=chain.it_power,
        house_load=col(si(result.house_load, "W")) * np.ones((points, 1)), cooling_power=col(cooling_power),
        liquid_power=col(liquid_power),
        liquid_fraction=col(si(load.heat_to_liquid, "W") / it_w),
        air_design=col(si(cool.heat_to_air, "W") + si(cool.heat_electrical_rooms, "W")),
        crah_fan_power=col(si(cool.crah_fan_power, "W")), chain=chain, loops=loops)
