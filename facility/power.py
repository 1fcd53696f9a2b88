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
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pint

from facility.architectures import StageSpec, architecture_stages
from facility.batch import as_float, column, inverse_or_zero, ratio_or
from facility.catalog import Catalog
from facility.checks import power_arg
from facility.plan import ItLoad
from facility.redundancy import size_units
from facility.scenario import Scenario
from facility.units import Q_
from models.electrical.conductor import MATERIALS

__all__ = ["StageResult", "PowerDesign", "design_power_chain"]

_SQRT3 = math.sqrt(3.0)
_EQUIPMENT_KIND = ("transformer", "converter", "conductor")


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
        return _evaluate(self, p_it, p_mech)


# ---------------------------------------------------------------------------------------------- kernels
def _line_factor(system: str, voltage: float, pf: float) -> float:
    """P = factor * I for one circuit: sqrt(3) V pf (three-phase) or V (DC)."""
    return _SQRT3 * voltage * pf if system == "ac3" else voltage


def _stage_coefficients(cat: Catalog, spec: StageSpec, p_size: float, v_out: float, pf: float
                        ) -> tuple[tuple[float, float, float], Any, float, str, float]:
    """Size one stage (per group) on the power ``p_size`` [W].

    Returns ``((A, B, C), RedundancyResult, unit rating [W or VA or A], rating unit, copper mass [kg])``.
    """
    e = cat[spec.equipment]
    if e.kind == "transformer":
        rating = e.get("rating").m_as("VA")
        red = size_units(p_size / pf, rating, spec.redundancy)
        n = red.units_in_service
        p0, pk = e.get("no_load_loss").m_as("W"), e.get("load_loss").m_as("W")
        # loss = n P0 + n Pk (P / (pf n S))^2 = n P0 + Pk P^2 / (pf^2 n S^2)
        return (n * p0, 0.0 * n, pk / (pf * pf * rating * rating) * inverse_or_zero(n)), red, rating, "VA", 0.0 * n
    if e.kind == "converter":
        rating = e.get("rating").m_as("W")
        red = size_units(p_size, rating, spec.redundancy)
        n = red.units_in_service
        a, b, c = cat.loss_coefficients(spec.equipment)
        return (n * rating * a, b * (n > 0), c / rating * inverse_or_zero(n)), red, rating, "W", 0.0 * n
    # conductor: circuits of a given ampacity; sections from the design current density
    ampacity = e.get("ampacity").m_as("A")
    k = _line_factor(spec.system, v_out, pf)
    red = size_units(p_size / k, ampacity, spec.redundancy)
    n = red.units_in_service
    area = ampacity / e.get("current_density").m_as("A/m^2")
    length = e.get("length").m_as("m")
    rho20, alpha, density = MATERIALS[e.material]
    rho = rho20 * (1.0 + alpha * (e.get("temperature").m_as("degC") - 20.0))
    n_cond = 3 if spec.system == "ac3" else 2
    r_c = rho * length / area
    mass = red.units_installed * n_cond * area * length * density
    # loss = n_cond R_c I^2 / n, with I = P / k
    return (0.0 * n, 0.0 * n, n_cond * r_c / (k * k) * inverse_or_zero(n)), red, ampacity, "A", mass


def _loss(p: np.ndarray | float, abc: tuple[float, float, float]) -> np.ndarray | float:
    """Stage loss ``A + B P + C P^2`` [W] at output ``P`` [W] (terms whose coefficients are all zero skipped)."""
    a, b, c = abc
    loss = c * p * p
    if np.any(b):
        loss = loss + b * p
    if np.any(a):
        loss = loss + a
    return loss


def _inverse(p_in: np.ndarray | float, abc: tuple[float, float, float]) -> np.ndarray | float:
    a, b, c = abc
    net = np.maximum(np.asarray(p_in, dtype=float) - a, 0.0)
    return 2.0 * net / ((1.0 + b) + np.sqrt((1.0 + b) ** 2 + 4.0 * c * net))


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
    cat = scenario.hardware
    stages, mech_stages, pf = _stage_specs(scenario)
    mv = scenario.power.mv_voltage.m_as("V")
    p_mech = 0.0 if mechanical_power is None else mechanical_power.m_as("W")
    results: list[StageResult] = []
    warnings: list[str] = []
    rack_stages = [s for s in stages if s.zone == "rack"]
    it_stages = [s for s in stages if s.zone == "it"]
    trunk_stages = [s for s in stages if s.zone == "trunk"]

    def record(spec: StageSpec, dep: str | None, groups: int, p_out: float, p_in: float, abc, red, rating,
               rating_unit: str, mass: float, v_out: float, acc: tuple[int, float] | None) -> None:
        loss = p_in - p_out
        k = _line_factor(spec.system, v_out, pf)
        current = p_out / k if k > 0 else 0.0 * p_out
        n_on = red.units_in_service * groups
        # in-rack stages at N are single points of failure of their rack by design: no warning for those
        if np.any(red.overload_on_failure) and (spec.zone != "rack" or spec.redundancy != "N"):
            worst = float(np.max(np.where(red.overload_on_failure, red.loading_failed, 0.0)))
            warnings.append(f"{spec.name}{f' [{dep}]' if dep else ''}: a single failure loads the surviving units "
                            f"to {worst:.0%} of rating ({spec.redundancy})")
        results.append(StageResult(
            id=spec.id, name=spec.name, zone=spec.zone, deployment=dep, equipment=spec.equipment,
            kind=cat[spec.equipment].kind, system=spec.system, redundancy=spec.redundancy,
            voltage_out=Q_(v_out, "V"), power_out=Q_(p_out, "W"), power_in=Q_(p_in, "W"), loss=Q_(loss, "W"),
            efficiency=ratio_or(p_out, p_in, 1.0), current=Q_(current, "A"),
            current_per_unit=Q_(current * inverse_or_zero(n_on), "A"),
            current_per_accelerator=Q_(acc[1] / v_out, "A") if acc else None,
            units_required=red.units_required * groups, units_installed=red.units_installed * groups,
            units_in_service=n_on, unit_rating=Q_(rating, rating_unit), unit_rating_unit=rating_unit,
            loading_normal=red.loading_normal, loading_failed=red.loading_failed,
            overload_on_failure=red.overload_on_failure, copper_mass=Q_(mass * groups, "kg"), groups=groups,
            loss_coefficients=abc))

    # --- inside the racks: top-down from the rack input, per deployment
    delivered_chips = 0.0
    for d in load.deployments:
        v_core = cat.accelerator(d.system).get("core_voltage").m_as("V")
        p = d.rack_power_max.m_as("W")
        racks = d.racks
        acc_power = cat.accelerator(d.system).get("power_max").m_as("W")
        for spec in rack_stages:
            v_out = _voltage(spec, mv, v_core)
            abc, red, rating, unit, mass = _stage_coefficients(cat, spec, p, v_out, pf)
            p_out = as_float(_inverse(p, abc))
            # the accelerator's own power (its TDP, measured at the module input) through this last stage
            core = (d.accelerators, acc_power * p_out / p) if spec.voltage_out == "core" and p > 0 else None
            record(spec, d.name if len(load.deployments) > 1 else None, racks, p_out * racks, p * racks,
                   abc, red, rating, unit, mass, v_out, core)
            p = p_out
        delivered_chips += p * racks
    rack_results = results[:]
    results.clear()

    # --- outside the racks: bottom-up, IT branch then mechanical branch, then the trunk
    it_total = load.it_power.m_as("W")
    overhead_it = sum(o.it_power.m_as("W") for o in load.overheads)

    def walk_up(specs: list[StageSpec], p_out: float, p_size: float) -> tuple[float, float]:
        """Upward from the load ``p_out`` [W], units sized on ``p_size`` >= ``p_out`` [W]: (input, sizing input)."""
        for spec in reversed(specs):
            v_out = _voltage(spec, mv, math.nan)  # no "core" stage outside the racks
            abc, red, rating, unit, mass = _stage_coefficients(cat, spec, p_size, v_out, pf)
            p_in = p_out + as_float(_loss(p_out, abc))
            record(spec, None, 1, p_out, p_in, abc, red, rating, unit, mass, v_out, None)
            p_size = p_size + as_float(_loss(p_size, abc))
            p_out = p_in
        return p_out, p_size

    it_branch_in, _ = walk_up(it_stages, it_total, it_total)
    it_results = results[::-1]
    results.clear()
    mech_size = p_mech if mechanical_sizing is None else as_float(np.maximum(p_mech, mechanical_sizing.m_as("W")))
    mech_in, mech_size_in = walk_up(mech_stages, p_mech, mech_size)
    mech_results = results[::-1]
    results.clear()
    grid, _ = walk_up(trunk_stages, it_branch_in + mech_in, it_branch_in + mech_size_in)
    trunk_results = results[::-1]
    results.clear()

    trunk_ratio = ratio_or(grid, it_branch_in + mech_in, 1.0)
    stages_out = tuple(trunk_results + it_results + rack_results + mech_results)
    in_rack = sum(r.loss.m_as("W") for r in rack_results)
    outside = sum(r.loss.m_as("W") for r in trunk_results + it_results + mech_results)
    return PowerDesign(
        architecture=scenario.power.architecture, stages=stages_out, grid_voltage=scenario.site.grid_voltage,
        mv_voltage=scenario.power.mv_voltage, power_factor=pf, it_power=Q_(it_total, "W"),
        mechanical_power=Q_(p_mech, "W"), delivered_to_chips=Q_(delivered_chips, "W"),
        delivered_to_overhead_it=Q_(overhead_it, "W"), in_rack_loss=Q_(in_rack, "W"),
        electrical_loss=Q_(outside, "W"), grid_import=Q_(grid, "W"),
        grid_import_it=Q_(it_branch_in * trunk_ratio, "W"), grid_import_mechanical=Q_(mech_in * trunk_ratio, "W"),
        copper_mass=Q_(sum(r.copper_mass.m_as("kg") for r in stages_out), "kg"), warnings=tuple(warnings))


# ---------------------------------------------------------------------------------------------- arrays
def _evaluate(design: PowerDesign, p_it: np.ndarray, p_mech: np.ndarray) -> dict[str, np.ndarray]:
    return _evaluate_mechanical(design, _evaluate_it(design, p_it), p_mech)


def _by_zone(design: PowerDesign) -> dict[str, list[StageResult]]:
    by_zone: dict[str, list[StageResult]] = {"trunk": [], "it": [], "rack": [], "mechanical": []}
    for s in design.stages:
        by_zone[s.zone].append(s)
    return by_zone


def _up(stages: list[StageResult], p: np.ndarray, out: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Walk stages upward from their output ``p``: (input power, the stages' losses), each loss in ``out``."""
    total = 0.0
    for s in reversed(stages):
        loss = _loss(p, tuple(column(x) for x in s.loss_coefficients))
        out[f"loss:{s.id}"] = loss
        total = total + loss
        p = p + loss
    return p, total


def _evaluate_it(design: PowerDesign, p_it: np.ndarray) -> dict[str, np.ndarray]:
    """The part of the chain that depends on the IT load alone: rack stages and the IT branch (the hourly
    coupling evaluates it once and only the mechanical branch and the trunk again)."""
    out: dict[str, np.ndarray] = {}
    by_zone = _by_zone(design)
    # a batch of designs (stage values of shape (P,)) meets hourly arrays of shape (P, H) as columns (P, 1)
    u = p_it * column(inverse_or_zero(design.it_power.m_as("W")))
    # rack stages: per deployment, top-down from each deployment's rack input scaled by u
    chips = 0.0
    in_rack = 0.0
    deployments: dict[str | None, list[StageResult]] = {}
    for s in by_zone["rack"]:
        deployments.setdefault(s.deployment, []).append(s)
    for dep, stages in deployments.items():
        groups = column(stages[0].groups)
        p = u * column(stages[0].power_in.m_as("W") * inverse_or_zero(stages[0].groups))  # per rack
        for s in stages:
            p_out = _inverse(p, tuple(column(x) for x in s.loss_coefficients))
            loss = (p - p_out) * groups
            out[f"loss:{s.id}" + (f":{dep}" if dep else "")] = loss
            in_rack = in_rack + loss
            p = p_out
        chips = chips + p * groups
    it_in, electrical = _up(by_zone["it"], p_it, out)
    zeros = np.zeros_like(p_it)
    out.update(delivered_to_chips=chips + zeros, delivered_to_overhead_it=u * column(
        design.delivered_to_overhead_it.m_as("W")), in_rack_loss=in_rack + zeros, _it_in=it_in,
        _electrical_it=electrical + zeros)
    return out


def _evaluate_mechanical(design: PowerDesign, it_part: dict[str, np.ndarray], p_mech: np.ndarray
                         ) -> dict[str, np.ndarray]:
    """The chain given its IT part (:func:`_evaluate_it`) and the mechanical load: mechanical branch, trunk."""
    out = {k: v for k, v in it_part.items() if not k.startswith("_")}
    by_zone = _by_zone(design)
    it_in = it_part["_it_in"]
    mech_in, mech_loss = _up(by_zone["mechanical"], p_mech, out)
    grid, trunk_loss = _up(by_zone["trunk"], it_in + mech_in, out)
    ratio = np.divide(grid, it_in + mech_in, out=np.ones_like(grid), where=(it_in + mech_in) > 0)
    out.update(grid_import=grid, grid_import_it=it_in * ratio,
               electrical_loss=it_part["_electrical_it"] + mech_loss + trunk_loss, mechanical=p_mech)
    return out
