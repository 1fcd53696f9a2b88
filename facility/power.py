"""The power chain from the grid to the chip: stages as data, sized at design load, evaluated on arrays.

An architecture (``facility/architectures.toml``) is a list of stages from the point of interconnection to
the core rail of the chips, plus a mechanical branch for the cooling plant and house loads. Each stage names
an equipment entry of the catalog (a transformer, a converter or a conductor), its output voltage, its
redundancy scheme and whether its units are pooled for the campus or provisioned in every rack.

Sizing (:func:`design_power_chain`)

* Inside the racks (zone ``rack``) the rack input power is known (the IT power of the compute plan), and the
  stages are walked downward to the chip: each stage's units are sized on the power it draws (conservative),
  and its output follows from the inverse of its loss curve. What reaches the core rails is the power
  delivered to the chips (and other point-of-load consumers).
* Outside the racks (zones ``it``, ``mechanical``, ``trunk``) the stages are walked upward from the load:
  units sized on the power they deliver (apparent power for transformers and AC conductors), input = output
  + loss. The trunk carries the sum of the IT and mechanical branches.
* Every stage's loss is :math:`A + B P + C P^2` (see :mod:`models.electrical.converter`) with the units in
  service of the normal state; the same coefficients evaluate any array of loads without a Python loop over
  time (:meth:`PowerDesign.evaluate`).

Energy closes at every stage (input = output + loss) and in total: grid import = power delivered to the
chips and overhead IT + mechanical load + all losses.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np
import pint

from facility.architectures import StageSpec, architecture_stages
from facility.batch import as_float, inverse_or_zero, ratio_or
from facility.catalog import Catalog
from facility.checks import power_arg
from facility.compiled import CompiledChain, compile_chain, quantity, si
from facility.plan import ItLoad
from facility.rack_power import ab_feed_warnings, rack_power, stage_coefficients
from facility.scenario import Scenario
from facility.units import Q_
from models.electrical.conductor import line_factor
from models.electrical.converter import stage_loss, stage_output
from models.registry import stage_model

_stage_loss, _stage_output = stage_loss.kernel, stage_output.kernel

__all__ = ["StageResult", "PowerDesign", "design_power_chain", "ItSide", "ChainState", "SizedStage", "ChainSizing",
           "size_power_chain", "power_design", "ItSizing", "size_it_side", "evaluate_it_side", "evaluate_whole_chain",
           "mechanical_losses", "grid_import"]



@dataclass(frozen=True)
class StageResult:
    """A sized stage at the design point. Powers [W], currents [A], voltage [V], mass [kg] as Quantities.

    ``loss_coefficients`` are the SI coefficients ``(A [W], B [-], C [1/W])`` of the stage's loss at the units
    in service, per group (per rack for rack stages, times ``groups`` racks); :meth:`PowerDesign.evaluate`
    uses them on arrays.
    """

    id: str
    name: str
    zone: str
    deployment: str | None
    equipment: str
    kind: str
    system: str
    redundancy: str
    voltage_out: pint.Quantity
    power_out: pint.Quantity
    power_in: pint.Quantity
    loss: pint.Quantity
    efficiency: float
    current: pint.Quantity
    current_per_unit: pint.Quantity
    current_per_accelerator: pint.Quantity | None
    units_required: int
    units_installed: int
    units_in_service: int
    unit_rating: pint.Quantity
    unit_rating_unit: str
    loading_normal: float
    loading_failed: float
    overload_on_failure: bool
    copper_mass: pint.Quantity
    groups: int
    loss_coefficients: tuple[float, float, float]

    @property
    def indoors(self) -> bool:
        """Its losses heat an electrical room (the kind's registry attribute; transformers stand outdoors)."""
        return stage_model(self.kind).indoors


@dataclass(frozen=True)
class PowerDesign:
    """The sized power chain: stage results (grid first) and the totals at the design point [W]."""

    architecture: str
    stages: tuple[StageResult, ...]
    grid_voltage: pint.Quantity
    mv_voltage: pint.Quantity
    power_factor: float
    it_power: pint.Quantity
    mechanical_power: pint.Quantity
    delivered_to_chips: pint.Quantity
    delivered_to_overhead_it: pint.Quantity
    in_rack_loss: pint.Quantity
    electrical_loss: pint.Quantity
    grid_import: pint.Quantity
    grid_import_it: pint.Quantity
    grid_import_mechanical: pint.Quantity
    copper_mass: pint.Quantity
    warnings: tuple[str, ...] = field(default=())

    @property
    def total_loss(self) -> pint.Quantity:
        """All losses from the grid to the chips, in-rack included. [W]"""
        return self.in_rack_loss + self.electrical_loss

    def evaluate(self, it_power: Any, mechanical_power: Any = None) -> dict[str, np.ndarray]:
        """Evaluate the chain at arrays of IT power (and mechanical load), with the design's units in service.

        Every rack's input scales with ``it_power / design IT power`` (the compute plan runs at one
        utilisation); overhead IT scales the same way. No Python loop over the array: one vectorised pass per
        stage.

        Parameters
        ----------
        it_power : Quantity
            IT power at the rack inputs, scalar or array (e.g. 8,760 hours), at least 0. [W]
        mechanical_power : Quantity, optional
            Load of the mechanical branch (cooling plant and house loads). [W]

        Returns
        -------
        dict of ndarray (SI, watts)
            ``grid_import``, ``grid_import_it``, ``delivered_to_chips``, ``delivered_to_overhead_it``,
            ``in_rack_loss``, ``electrical_loss``, ``mechanical``, and ``loss:<stage id>[:deployment]`` per stage.
        """
        p_it, p_mech = power_arg(it_power, "it_power", "evaluate"), power_arg(mechanical_power, "mechanical_power",
                                                                              "evaluate", optional=True)
        p_mech = np.zeros_like(p_it) if p_mech is None else p_mech * np.ones_like(p_it)
        return self.evaluate_chain(p_it, p_mech).as_dict()

    def evaluate_chain(self, it_power: Any, mechanical_power: Any = None) -> ChainState:
        """As :meth:`evaluate`, returning a :class:`ChainState` (SI arrays, watts)."""
        p_it = np.asarray(it_power.m_as("W") if isinstance(it_power, pint.Quantity) else it_power, dtype=float)
        if mechanical_power is None:
            p_mech = np.zeros_like(p_it)
        else:
            p_mech = np.asarray(mechanical_power.m_as("W") if isinstance(mechanical_power, pint.Quantity)
                                else mechanical_power, dtype=float) * np.ones_like(p_it)
        return self.evaluate_mechanical(self.evaluate_it(p_it), p_mech)

    @functools.cached_property
    def compiled(self) -> CompiledChain:
        """The chain in SI columns (P, 1) (:func:`facility.compiled.compile_chain`), compiled on first use."""
        return compile_chain(self)

    def _one(self) -> bool:
        """One design (not a sweep's batch): its results take the shape of the loads they are evaluated at."""
        return np.ndim(self.it_power.magnitude) == 0 and self.compiled.points == 1

    def evaluate_it(self, it_power: np.ndarray) -> ItSide:
        """The rack stages and the IT branch at arrays of IT power [W] (they do not depend on the mechanical
        load: the hourly coupling evaluates them once). A batch of designs meets hours (P, H) as columns."""
        p_it = np.asarray(it_power, dtype=float)
        it = evaluate_it_side(self.compiled, p_it)
        return _shaped(it, np.shape(p_it)) if self._one() and p_it.ndim < 2 else it

    def evaluate_mechanical(self, it: ItSide, mechanical_power: np.ndarray) -> ChainState:
        """The whole chain from its IT side (:meth:`evaluate_it`) and the mechanical load [W]."""
        p_mech = np.asarray(mechanical_power, dtype=float)
        state = evaluate_whole_chain(self.compiled, it, p_mech)
        shape = np.broadcast_shapes(np.shape(it.branch_input), p_mech.shape)
        return _shaped(state, shape) if self._one() and len(shape) < 2 else state

    def mechanical_branch_losses(self, mechanical_power: np.ndarray) -> dict[str, np.ndarray]:
        """The losses [W] of the mechanical branch's stages (by stage id) at a mechanical load [W]."""
        p = np.asarray(mechanical_power, dtype=float)
        out = mechanical_losses(self.compiled, p)
        return {k: np.reshape(v, p.shape) for k, v in out.items()} if self._one() and p.ndim < 2 else out

    def electrical_room_loss(self) -> Any:
        """Losses [W] of the indoor stages outside the racks (IT and mechanical branches): the heat of the
        electrical rooms the air side cools (transformers stand outdoors)."""
        return sum(si(st.loss, "W") for st in self.stages if st.zone in ("it", "mechanical") and st.indoors)

    def indoor_stage_keys(self, *zones: str) -> list[str]:
        """Keys of the stages of ``zones`` whose losses heat an electrical room (their kind's registry attribute
        ``indoors``; transformers stand outdoors)."""
        return [s.id for s in self.stages if s.zone in zones and s.indoors]


# ---------------------------------------------------------------------------------------------- kernels
def _loss(p: np.ndarray | float, abc: tuple[float, float, float]) -> np.ndarray | float:
    """Stage loss ``A + B P + C P^2`` [W] at output ``P`` [W] (:func:`models.electrical.converter.stage_loss`)."""
    return _stage_loss(p, *abc)


def _inverse(p_in: np.ndarray | float, abc: tuple[float, float, float]) -> np.ndarray | float:
    """Stage output [W] for an input ``p_in`` [W] (:func:`models.electrical.converter.stage_output`)."""
    return _stage_output(p_in, *abc)


# ---------------------------------------------------------------------------------------------- sizing
def _voltage(spec: StageSpec, mv: float, core: float) -> float:
    if spec.voltage_out == "mv":
        return mv
    if spec.voltage_out == "core":
        return core
    return _volts(spec.voltage_out)


@functools.cache
def _volts(text: str) -> float:
    return Q_(text).m_as("V")


def _stage_specs(scenario: Scenario) -> tuple[list[StageSpec], list[StageSpec], float]:
    stages, mech, pf = architecture_stages(scenario.power.architecture)
    overrides = scenario.power.stages

    def apply(s: StageSpec) -> StageSpec:
        o = overrides.get(s.id)
        if o is None:
            return s
        return StageSpec(**{**s.__dict__, **{k: v for k, v in o.model_dump().items() if v is not None}})

    return [apply(s) for s in stages], [apply(s) for s in mech], pf


@dataclass(frozen=True)
class SizedStage:
    """One sized stage in SI numbers (floats, or arrays (P,) for a batch): what :class:`StageResult` shows as
    Quantities. Powers [W] per the whole stage (``groups`` racks for rack stages); ``abc`` its loss coefficients."""

    spec: StageSpec
    kind: str
    deployment: str | None
    groups: int
    power_out: Any
    power_in: Any
    abc: tuple
    redundancy: Any
    rating: float
    rating_unit: str
    copper_mass: Any
    voltage_out: float
    accelerator: tuple[int, float] | None

    @property
    def loss(self) -> Any:
        """Loss [W]: input - output."""
        return self.power_in - self.power_out


@dataclass(frozen=True)
class ChainSizing:
    """The power chain sized in SI numbers (:func:`size_power_chain`): the stages (grid first, as
    :attr:`PowerDesign.stages`) and the totals [W]. The coupling iterates on it; :func:`design_power_chain`
    turns it into the Quantities of a :class:`PowerDesign` once."""

    stages: tuple[SizedStage, ...]
    power_factor: float
    it_power: Any
    mechanical_power: Any
    delivered_to_chips: Any
    delivered_to_overhead_it: Any
    in_rack_loss: Any
    electrical_loss: Any
    grid_import: Any
    branch_input_it: Any
    branch_input_mechanical: Any

    def electrical_room_loss(self) -> Any:
        """Losses [W] of the indoor stages outside the racks (IT and mechanical branches), the heat of the
        electrical rooms the air side cools (a kind's registry attribute ``indoors``: transformers stand outdoors)."""
        return sum(st.loss for st in self.stages if st.spec.zone in ("it", "mechanical") and stage_model(st.kind).indoors)


@dataclass(frozen=True)
class ItSizing:
    """The part of the chain sizing that does not depend on the mechanical load (:func:`size_it_side`): the
    stage specs, the rack stages and the IT branch sized on SI numbers, and what they deliver and draw [W]. The
    coupling computes it once and sizes only the mechanical branch and the trunk on each pass."""

    mech_specs: tuple[StageSpec, ...]
    trunk_specs: tuple[StageSpec, ...]
    power_factor: float
    mv: float
    rack: tuple[SizedStage, ...]
    it: tuple[SizedStage, ...]
    it_power: Any
    overhead_it: Any
    delivered_to_chips: Any
    branch_input: Any


def _walk_up(cat: Catalog, specs, p_out, p_size, mv: float, pf: float, sized: list[SizedStage]):
    """Upward from the load ``p_out`` [W], units sized on ``p_size`` >= ``p_out`` [W]: (input, sizing input);
    each stage appended to ``sized`` (load first)."""
    for spec in reversed(specs):
        v_out = _voltage(spec, mv, math.nan)  # no "core" stage outside the racks
        abc, red, rating, unit, mass = stage_coefficients(cat, spec, p_size, v_out, pf)
        p_in = p_out + as_float(_loss(p_out, abc))
        sized.append(SizedStage(spec, cat[spec.equipment].kind, None, 1, p_out, p_in, abc, red, rating, unit, mass,
                                v_out, None))
        p_size = p_size + as_float(_loss(p_size, abc))
        p_out = p_in
    return p_out, p_size


def size_it_side(scenario: Scenario, load: ItLoad) -> ItSizing:
    """Size the rack stages (top-down from each deployment's rack input) and the IT branch (upward from the IT
    load) on SI numbers: see :class:`ItSizing`."""
    cat = scenario.hardware
    stages, mech_stages, pf = _stage_specs(scenario)
    mv = si(scenario.power.mv_voltage, "V")
    sized: list[SizedStage] = []
    it_stages = [s for s in stages if s.zone == "it"]
    trunk_stages = [s for s in stages if s.zone == "trunk"]

    # --- inside the racks: bottom-up from the component loads to the rack input (facility.rack_power, #13 item 1)
    delivered_chips = 0.0
    for d in load.deployments:
        rack = rack_power(scenario, d.system, pf)
        racks = d.racks
        for st in rack.stages:
            # the accelerator's core power: its TDP (at the module input) through the regulator
            core = (d.accelerators, rack.core_per_accelerator) if st.spec.voltage_out == "core" else None
            sized.append(SizedStage(st.spec, cat[st.spec.equipment].kind,
                                    d.name if len(load.deployments) > 1 else None, racks, st.power_out * racks,
                                    st.power_in * racks, st.abc, st.redundancy, st.rating, st.rating_unit,
                                    st.mass * racks, st.voltage_out, core))
        delivered_chips += rack.delivered * racks
    rack_results = tuple(sized)

    # --- outside the racks: bottom-up, the IT branch
    it_total = si(load.it_power, "W")
    overhead_it = sum(si(o.it_power, "W") for o in load.overheads)
    it_sized: list[SizedStage] = []
    it_branch_in, _ = _walk_up(cat, it_stages, it_total, it_total, mv, pf, it_sized)
    return ItSizing(tuple(mech_stages), tuple(trunk_stages), pf, mv, rack_results, tuple(it_sized[::-1]), it_total,
                    overhead_it, delivered_chips, it_branch_in)


def size_power_chain(scenario: Scenario, load: ItLoad, mechanical_power: Any = 0.0,
                     mechanical_sizing: Any = None, it_side: ItSizing | None = None) -> ChainSizing:
    """Size the power chain on SI numbers: as :func:`design_power_chain`, with the mechanical load and its sizing
    floor in watts (floats, or arrays (P,) for a batch). No Quantity is built here. ``it_side``: the rack stages
    and IT branch already sized (:func:`size_it_side`; the coupling sizes them once), else sized here."""
    cat = scenario.hardware
    it = size_it_side(scenario, load) if it_side is None else it_side
    mv, pf, p_mech = it.mv, it.power_factor, mechanical_power
    mech_size = p_mech if mechanical_sizing is None else as_float(np.maximum(p_mech, mechanical_sizing))
    mech_results: list[SizedStage] = []
    mech_in, mech_size_in = _walk_up(cat, it.mech_specs, p_mech, mech_size, mv, pf, mech_results)
    trunk_results: list[SizedStage] = []
    grid, _ = _walk_up(cat, it.trunk_specs, it.branch_input + mech_in, it.branch_input + mech_size_in, mv, pf,
                       trunk_results)
    trunk_results.reverse()
    mech_results.reverse()
    in_rack = sum(r.loss for r in it.rack)
    outside = sum(r.loss for r in (*trunk_results, *it.it, *mech_results))
    return ChainSizing((*trunk_results, *it.it, *it.rack, *mech_results), pf, it.it_power, p_mech,
                       it.delivered_to_chips, it.overhead_it, in_rack, outside, grid, it.branch_input, mech_in)


def design_power_chain(scenario: Scenario, load: ItLoad, mechanical_power: pint.Quantity | None = None,
                       mechanical_sizing: pint.Quantity | None = None) -> PowerDesign:
    """Size the power chain of a scenario for its IT load (and a mechanical/house load) at design.

    Parameters
    ----------
    scenario
        A validated scenario (``power.architecture``, ``power.mv_voltage``, ``power.stages`` overrides).
    load
        Its IT load (:func:`facility.it_load`): rack input power of every deployment and the overhead IT.
    mechanical_power
        Electric load of the cooling plant and house loads, fed through the mechanical branch. [W]
        Default 0 (the cooling chain supplies it once sized).
    mechanical_sizing
        Size the units of the mechanical branch and the trunk for at least this mechanical load [W] (losses
        are still those at ``mechanical_power``). The campus coupling uses it where the fixed point would
        otherwise cycle between two unit counts (:func:`facility.campus.design_campus`). Default: none.

    Returns
    -------
    PowerDesign
        Stage table (grid first), equipment, losses, currents, copper, grid import.
    """
    sizing = size_power_chain(scenario, load, 0.0 if mechanical_power is None else mechanical_power.m_as("W"),
                              None if mechanical_sizing is None else mechanical_sizing.m_as("W"))
    return power_design(scenario, sizing)


def power_design(scenario: Scenario, sizing: ChainSizing) -> PowerDesign:
    """The :class:`PowerDesign` (Quantities, the result edge) of a chain sized in SI numbers."""
    Q_ = quantity  # (Quantities with their units parsed once: ~120 per design)
    pf = sizing.power_factor
    results: list[StageResult] = []
    for st in sizing.stages:
        spec, red, groups, v_out, acc = st.spec, st.redundancy, st.groups, st.voltage_out, st.accelerator
        p_out, p_in = st.power_out, st.power_in
        k = line_factor(spec.system, v_out, pf)
        current = p_out / (k if k > 0 else math.inf)  # (k: one number; no line current where the system has none)
        n_on = red.units_in_service * groups
        results.append(StageResult(
            id=spec.id, name=spec.name, zone=spec.zone, deployment=st.deployment, equipment=spec.equipment,
            kind=st.kind, system=spec.system, redundancy=spec.redundancy,
            voltage_out=Q_(v_out, "V"), power_out=Q_(p_out, "W"), power_in=Q_(p_in, "W"), loss=Q_(st.loss, "W"),
            efficiency=ratio_or(p_out, p_in, 1.0), current=Q_(current, "A"),
            current_per_unit=Q_(current * inverse_or_zero(n_on), "A"),
            current_per_accelerator=Q_(acc[1] / v_out, "A") if acc else None,
            units_required=red.units_required * groups, units_installed=red.units_installed * groups,
            units_in_service=n_on, unit_rating=Q_(st.rating, st.rating_unit), unit_rating_unit=st.rating_unit,
            loading_normal=red.loading_normal, loading_failed=red.loading_failed,
            overload_on_failure=red.overload_on_failure, copper_mass=Q_(st.copper_mass, "kg"), groups=groups,
            loss_coefficients=st.abc))
    # warnings in the order of the walk (racks, IT branch upward, mechanical upward, trunk upward), as before
    order = {"rack": 0, "it": 1, "mechanical": 2, "trunk": 3}
    stages = sizing.stages
    walk = sorted(range(len(stages)), key=lambda i: (order[stages[i].spec.zone],
                                                     i if stages[i].spec.zone == "rack" else -i))
    by_stage = {id(s): w for s, w in zip(stages, _stage_warnings(stages), strict=True)}
    warnings = [by_stage[id(stages[i])] for i in walk if by_stage[id(stages[i])]] + ab_feed_warnings(scenario)
    s, it_in, mech_in, grid = sizing, sizing.branch_input_it, sizing.branch_input_mechanical, sizing.grid_import
    trunk_ratio = ratio_or(grid, it_in + mech_in, 1.0)
    return PowerDesign(
        architecture=scenario.power.architecture, stages=tuple(results), grid_voltage=scenario.site.grid_voltage,
        mv_voltage=scenario.power.mv_voltage, power_factor=pf, it_power=Q_(s.it_power, "W"),
        mechanical_power=Q_(s.mechanical_power, "W"), delivered_to_chips=Q_(s.delivered_to_chips, "W"),
        delivered_to_overhead_it=Q_(s.delivered_to_overhead_it, "W"), in_rack_loss=Q_(s.in_rack_loss, "W"),
        electrical_loss=Q_(s.electrical_loss, "W"), grid_import=Q_(grid, "W"),
        grid_import_it=Q_(it_in * trunk_ratio, "W"), grid_import_mechanical=Q_(mech_in * trunk_ratio, "W"),
        copper_mass=Q_(sum(st.copper_mass for st in stages), "kg"), warnings=tuple(warnings))


def _stage_warnings(stages) -> list[str]:
    """The single-failure warning of each stage ("" for none)."""
    out = []
    for st in stages:
        spec, red = st.spec, st.redundancy
        w = ""
        # in-rack stages at N are single points of failure of their rack by design: no warning for those
        if np.any(red.overload_on_failure) and (spec.zone != "rack" or spec.redundancy != "N"):
            worst = float(np.max(np.where(red.overload_on_failure, red.loading_failed, 0.0)))
            what = ("drops its load: no unit survives" if math.isinf(worst)
                    else f"loads the surviving units to {worst:.0%} of rating")
            w = f"{spec.name}{f' [{st.deployment}]' if st.deployment else ''}: a single failure {what} ({spec.redundancy})"
        out.append(w)
    return out


# ---------------------------------------------------------------------------------------------- arrays
@dataclass(frozen=True)
class ItSide:
    """The part of the chain that depends on the IT load alone, evaluated on arrays [W]: rack stages and the IT
    branch. ``stage_loss`` by stage key (``id``, or ``id:deployment`` for rack stages of several deployments);
    ``branch_input`` what the IT branch draws from the trunk; ``branch_loss`` the IT branch's losses."""

    stage_loss: dict[str, np.ndarray]
    delivered_to_chips: np.ndarray
    delivered_to_overhead_it: np.ndarray
    in_rack_loss: np.ndarray
    branch_input: np.ndarray
    branch_loss: np.ndarray


@dataclass(frozen=True)
class ChainState:
    """The whole chain evaluated on arrays [W] (:meth:`PowerDesign.evaluate_chain`): every stage's loss by stage
    key, the totals and the grid import. Energy closes: ``grid_import = delivered_to_chips +
    delivered_to_overhead_it + in_rack_loss + electrical_loss + mechanical``."""

    stage_loss: dict[str, np.ndarray]
    delivered_to_chips: np.ndarray
    delivered_to_overhead_it: np.ndarray
    in_rack_loss: np.ndarray
    electrical_loss: np.ndarray
    grid_import: np.ndarray
    grid_import_it: np.ndarray
    mechanical: np.ndarray

    def as_dict(self) -> dict[str, np.ndarray]:
        """The flat dict of :meth:`PowerDesign.evaluate`: totals by name and ``loss:<stage key>``."""
        out = {f"loss:{k}": v for k, v in self.stage_loss.items()}
        out.update(delivered_to_chips=self.delivered_to_chips, delivered_to_overhead_it=self.delivered_to_overhead_it,
                   in_rack_loss=self.in_rack_loss, grid_import=self.grid_import, grid_import_it=self.grid_import_it,
                   electrical_loss=self.electrical_loss, mechanical=self.mechanical)
        return out


def _up(stages, p: np.ndarray, out: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Walk compiled stages (grid first) upward from their output ``p``: (input power, the stages' losses), each
    loss in ``out`` by its key."""
    total = 0.0
    for s in reversed(stages):
        loss = _loss(p, s.abc)
        out[s.key] = loss
        total = total + loss
        p = p + loss
    return p, total


def evaluate_it_side(chain: CompiledChain, p_it: np.ndarray) -> ItSide:
    """The rack stages and the IT branch of a compiled chain (columns (P, 1)) at IT power ``p_it`` [W]."""
    out: dict[str, np.ndarray] = {}
    u = p_it * chain.inverse_it_power
    # rack stages: per deployment, top-down from each deployment's rack input scaled by u
    chips = 0.0
    in_rack = 0.0
    for dep in chain.deployments:
        groups = dep.groups
        p = u * dep.rack_input  # per rack
        for s in dep.stages:
            p_out = _inverse(p, s.abc)
            loss = (p - p_out) * groups
            out[s.key] = loss
            in_rack = in_rack + loss
            p = p_out
        chips = chips + p * groups
    it_in, electrical = _up(chain.it, p_it, out)
    zeros = np.zeros(np.broadcast(p_it, chain.it_power).shape)
    return ItSide(out, chips + zeros, u * chain.overhead_it, in_rack + zeros, it_in, electrical + zeros)


def evaluate_whole_chain(chain: CompiledChain, it: ItSide, p_mech: np.ndarray) -> ChainState:
    """The whole compiled chain from its IT side and the mechanical load ``p_mech`` [W]."""
    out = dict(it.stage_loss)
    mech_in, mech_loss = _up(chain.mechanical, p_mech, out)
    grid, trunk_loss = _up(chain.trunk, it.branch_input + mech_in, out)
    total_in = it.branch_input + mech_in
    ratio = np.divide(grid, total_in, out=np.ones_like(grid), where=total_in > 0)
    return ChainState(out, it.delivered_to_chips, it.delivered_to_overhead_it, it.in_rack_loss,
                      it.branch_loss + mech_loss + trunk_loss, grid, it.branch_input * ratio, p_mech)


def grid_import(chain: CompiledChain, branch_input: np.ndarray, p_mech: np.ndarray) -> np.ndarray:
    """The grid import [W] of a compiled chain alone (:func:`evaluate_whole_chain`'s, by the same operations) from
    its IT branch's input ``branch_input`` [W] (:attr:`ItSide.branch_input`) and the mechanical load [W]."""
    return _input(chain.trunk, branch_input + _input(chain.mechanical, p_mech, {}), {})


def mechanical_losses(chain: CompiledChain, p_mech: np.ndarray) -> dict[str, np.ndarray]:
    """The losses [W] of a compiled chain's mechanical branch (by stage key) at a mechanical load [W]."""
    out: dict[str, np.ndarray] = {}
    _input(chain.mechanical, p_mech, out)
    return out


def _input(stages, p: np.ndarray, out: dict[str, np.ndarray]) -> np.ndarray:
    """:func:`_up` without the sum of the losses (the coupling passes need the losses alone, the grid import the
    input alone): the input power, each loss in ``out`` by its key; the same operations."""
    for s in reversed(stages):
        loss = _loss(p, s.abc)
        out[s.key] = loss
        p = p + loss
    return p


def _shaped(state, shape: tuple[int, ...]):
    """An :class:`ItSide` or :class:`ChainState` of one design (columns P = 1) with its arrays back in the shape
    of the loads it was evaluated at (the result edge of the one path)."""
    changes = {}
    for f in fields(state):
        v = getattr(state, f.name)
        changes[f.name] = ({k: np.reshape(x, shape) for k, x in v.items()} if isinstance(v, dict)
                           else np.reshape(v, shape))
    return replace(state, **changes)
