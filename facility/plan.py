"""Compute plan -> IT load: accelerators, nodes, racks by type, halls, IT power and the heat split.

Counting rules (stated so a planner can check them by hand):

* A deployment installs whole units of its system (a rack, or a pod of racks): asking for 100,000 H100 in
  64-GPU racks installs ceil(100,000 / 64) = 1,563 racks, i.e. 100,032 GPUs. The rack is the unit that is
  provisioned with power and cooling, so design power counts whole racks.
* A compute target (peak dense BF16) becomes ceil(target / per-accelerator throughput) accelerators, then
  whole units as above. "100 EFLOPS of Dojo" at 362 TFLOPS per D1 is 276,244 D1.
* Overhead IT (network, storage, management) is a power per installed accelerator; its racks are
  ceil(overhead power / provisioned rack power).
* Design IT power has every rack at its maximum power: the rack input computed from the component loads up
  through the in-rack stages of the scenario's architecture (:mod:`facility.rack_power`); typical IT power at
  its sustained training power (the catalog's typical/maximum ratio).
  Heat to liquid is each system's liquid fraction times its power; the rest goes to air.
* Halls: a fixed count (racks spread evenly), a capacity in racks, or an IT capacity in power; none given,
  one hall.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pint

from facility.batch import whole
from facility.bounds import MAX_ACCELERATORS, MAX_IT_POWER_W
from facility.errors import ScenarioError
from facility.inputs import DesignInputs, deployment_counts
from facility.rack_power import rack_power
from facility.scenario import Deployment, Scenario
from facility.units import Q_

__all__ = ["DeploymentLoad", "ItLoad", "OverheadLoad", "it_load"]

# Relative tolerance when a compute target divides exactly (362 TFLOPS x 25 must not become 26 chips).
_EXACT = 1e-9


@dataclass(frozen=True)
class DeploymentLoad:
    """IT load of one deployment. Powers are Quantities [W]; counts are whole numbers [-]."""

    name: str
    system: str
    system_kind: str
    accelerator: str
    accelerators_requested: int
    accelerators: int
    nodes: int
    racks: int
    pods: int
    rack_power_max: pint.Quantity
    rack_power_typical: pint.Quantity
    it_power: pint.Quantity
    it_power_typical: pint.Quantity
    liquid_fraction: float
    heat_to_liquid: pint.Quantity
    heat_to_air: pint.Quantity
    bf16_dense: pint.Quantity


@dataclass(frozen=True)
class OverheadLoad:
    """IT load of one overhead category (network, storage, management)."""

    name: str
    racks: int
    it_power: pint.Quantity
    it_power_typical: pint.Quantity
    liquid_fraction: float
    heat_to_liquid: pint.Quantity
    heat_to_air: pint.Quantity


@dataclass(frozen=True)
class ItLoad:
    """The campus IT load: counts, design (maximum) and typical power, heat to liquid and to air.

    ``it_power`` [W] is the design IT power (every rack at maximum); ``it_power_typical`` [W] the sustained
    training power; ``heat_to_liquid + heat_to_air == it_power`` [W]; ``rack_density`` [W] is the mean design
    power of a compute rack; ``hall_it_power`` [W] the design IT power per hall (racks spread evenly).
    """

    deployments: tuple[DeploymentLoad, ...]
    overheads: tuple[OverheadLoad, ...]
    accelerators_requested: int
    accelerators: int
    nodes: int
    compute_racks: int
    overhead_racks: int
    racks: int
    racks_by_type: dict[str, int]
    halls: int
    racks_per_hall: int
    hall_it_power: pint.Quantity
    it_power: pint.Quantity
    it_power_typical: pint.Quantity
    heat_to_liquid: pint.Quantity
    heat_to_air: pint.Quantity
    bf16_dense: pint.Quantity
    rack_density: pint.Quantity


def _deployment(s: Scenario, i: int, d: Deployment, count: tuple[str, object]) -> DeploymentLoad:
    """The load of deployment ``d`` counted by ``count``: ``(key, value)`` from the design inputs (one number, or an
    array (P,) for a batch; ``compute_target`` in FLOPS)."""
    cat = s.hardware
    key, n = count
    unit = d.system
    acc_per_unit = cat.accelerators_per(unit)
    racks_per_unit = cat.count_of(unit, "rack")
    nodes_per_unit = cat.count_of(unit, "node")
    acc = cat.accelerator(unit)
    if key == "accelerators":
        requested = n
        units = whole(requested / acc_per_unit)
    elif key == "compute_target":
        per = acc.get("bf16_dense").m_as("FLOPS")
        ratio = n / per
        requested = whole(ratio * (1 - _EXACT))
        units = whole(requested / acc_per_unit)
    elif key == "nodes":
        units = whole(n / nodes_per_unit)
        requested = n * (acc_per_unit // nodes_per_unit)
    elif key == "racks":
        units = whole(n / racks_per_unit)
        requested = n * (acc_per_unit // racks_per_unit)
    else:
        units = n
        requested = units * acc_per_unit
    # rack input from the component loads up through the scenario's in-rack stages (#13 item 1); typical power
    # keeps the catalog's typical/maximum ratio (engineering assumption: every load scales alike in training)
    p_name = cat.power_max(unit).m_as("W")
    p_max = racks_per_unit * rack_power(s, unit).input
    p_typ = cat.power_typical(unit).m_as("W") * (p_max / p_name if p_name > 0 else 1.0)
    lf = cat.liquid_fraction(unit)
    it = units * p_max
    return DeploymentLoad(
        name=d.name or f"{d.system} #{i}",
        system=d.system,
        system_kind=cat[unit].kind,
        accelerator=acc.name,
        accelerators_requested=requested,
        accelerators=units * acc_per_unit,
        nodes=units * nodes_per_unit,
        racks=units * racks_per_unit,
        pods=units if cat[unit].kind == "pod" else 0,
        rack_power_max=Q_(p_max / racks_per_unit, "W"),
        rack_power_typical=Q_(p_typ / racks_per_unit, "W"),
        it_power=Q_(it, "W"),
        it_power_typical=Q_(units * p_typ, "W"),
        liquid_fraction=lf,
        heat_to_liquid=Q_(lf * it, "W"),
        heat_to_air=Q_(it - lf * it, "W"),
        bf16_dense=Q_(units * cat.bf16_dense(unit).m_as("FLOPS"), "FLOPS"),
    )


def _overhead(s: Scenario, name: str, accelerators: int) -> OverheadLoad:
    e = s.hardware[name]
    p_max = accelerators * e.get("power_per_accelerator_max").m_as("W")
    p_typ = accelerators * e.get("power_per_accelerator_typical").m_as("W")
    lf = e.get("liquid_fraction")
    return OverheadLoad(name=name, racks=whole(p_max / e.get("rack_power_max").m_as("W") * (1 - _EXACT)),
                        it_power=Q_(p_max, "W"), it_power_typical=Q_(p_typ, "W"), liquid_fraction=lf,
                        heat_to_liquid=Q_(lf * p_max, "W"), heat_to_air=Q_(p_max - lf * p_max, "W"))


def _check_campus_size(s: Scenario, deps: tuple[DeploymentLoad, ...], accelerators) -> None:
    """The campus within the sizes this tool is for (:data:`facility.bounds.MAX_ACCELERATORS`, ``MAX_IT_POWER_W``)."""
    it = sum(d.it_power.m_as("W") for d in deps)
    if np.any(np.asarray(accelerators) > MAX_ACCELERATORS) or np.any(np.asarray(it) > MAX_IT_POWER_W):
        worst = max(range(len(deps)), key=lambda i: float(np.max(deps[i].it_power.m_as("W"))))
        raise ScenarioError(f"the compute plan installs {float(np.max(accelerators)):,.0f} accelerators drawing "
                            f"{float(np.max(it)) / 1e9:,.4g} GW at design; expected at most {MAX_ACCELERATORS:,} "
                            f"accelerators and {MAX_IT_POWER_W / 1e9:g} GW of IT, the campus sizes this tool plans",
                            source=s.source, key=f"compute.deployments[{worst}]")


def it_load(scenario: Scenario, inputs: DesignInputs | None = None) -> ItLoad:
    """The IT load of a scenario's compute plan.

    Parameters
    ----------
    scenario
        A validated :class:`facility.Scenario`.
    inputs
        Its design numbers in SI (:func:`facility.inputs.compile_inputs`): the deployments' counts, arrays (P,)
        for a batch. Default: compiled here from the scenario.

    Returns
    -------
    ItLoad
        Counts, design and typical IT power [W], heat to liquid and to air [W], halls.

    Raises
    ------
    ScenarioError
        If the hall layout cannot hold the plan (more halls than racks).
    """
    counts = deployment_counts(scenario) if inputs is None else inputs.counts
    deps = tuple(_deployment(scenario, i, d, counts[i]) for i, d in enumerate(scenario.compute.deployments))
    accelerators = sum(d.accelerators for d in deps)
    _check_campus_size(scenario, deps, accelerators)
    ovs = tuple(_overhead(scenario, n, accelerators) for n in scenario.compute.overheads)
    by_type: dict[str, int] = {}
    for d in deps:
        rack = next(e.name for e in scenario.hardware.chain(d.system) if e.kind == "rack")
        by_type[rack] = by_type.get(rack, 0) + d.racks
    for o in ovs:
        if np.any(o.racks):
            by_type[f"{o.name} (overhead)"] = o.racks
    compute_racks = sum(d.racks for d in deps)
    overhead_racks = sum(o.racks for o in ovs)
    racks = compute_racks + overhead_racks
    parts = deps + ovs
    it = sum(p.it_power.m_as("W") for p in parts)
    liquid = sum(p.heat_to_liquid.m_as("W") for p in parts)
    halls_cfg = scenario.compute.halls
    if halls_cfg is None:
        halls = 1
    elif halls_cfg.count is not None:
        halls = halls_cfg.count
        if np.any(halls > racks):
            raise ScenarioError(f"{halls} halls for {racks} racks leaves halls empty; expected at most {racks}",
                                source=scenario.source, key="compute.halls.count")
    elif halls_cfg.racks_per_hall is not None:
        halls = whole(racks / halls_cfg.racks_per_hall)
    else:
        halls = whole(it / halls_cfg.it_capacity.m_as("W") * (1 - _EXACT))
        if np.any(halls > racks):
            raise ScenarioError(f"halls of {halls_cfg.it_capacity:~P} make {halls} halls for {racks} racks, leaving "
                                "halls empty; expected a hall capacity of at least one rack's power",
                                source=scenario.source, key="compute.halls.it_capacity")
    racks_per_hall = whole(racks / halls)
    return ItLoad(
        deployments=deps,
        overheads=ovs,
        accelerators_requested=sum(d.accelerators_requested for d in deps),
        accelerators=accelerators,
        nodes=sum(d.nodes for d in deps),
        compute_racks=compute_racks,
        overhead_racks=overhead_racks,
        racks=racks,
        racks_by_type=by_type,
        halls=halls,
        racks_per_hall=racks_per_hall,
        hall_it_power=Q_(it / halls, "W"),
        it_power=Q_(it, "W"),
        it_power_typical=Q_(sum(p.it_power_typical.m_as("W") for p in parts), "W"),
        heat_to_liquid=Q_(liquid, "W"),
        heat_to_air=Q_(it - liquid, "W"),
        bf16_dense=Q_(sum(d.bf16_dense.m_as("FLOPS") for d in deps), "FLOPS"),
        rack_density=Q_(sum(d.it_power.m_as("W") for d in deps) / compute_racks, "W"),
    )
