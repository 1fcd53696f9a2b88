"""A system's rack input from its component loads, through the scenario's in-rack stages (issue #13 item 1).

The component loads per rack come from the catalog (:func:`rack_loads`): the accelerators (count x their
maximum power) and the ``cpu_power``, ``memory_power``, ``switch_power`` (regulated rails) and ``nic_power``,
``fan_power``, ``storage_power``, ``other_power`` (fed beside the regulator) of every level of the system (node,
rack, module), times the level's count per rack. The rack input is walked up through the in-rack stages of the
scenario's architecture (:func:`models.compute.rack.rack_input_up`), each stage's units sized on the power it
draws (iterated until the unit count settles). A system with no component figure, or one whose ``power_max`` a scenario
sets without component loads (:attr:`facility.catalog.Entry.nameplate`), keeps that nameplate as the rack input
and the chain is walked down from it (the behaviour before #13); :attr:`RackLoads.itemised` says which.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from facility.architectures import StageSpec, architecture_stages
from facility.catalog import Catalog
from facility.compiled import si
from facility.redundancy import RedundancyResult, size_units
from facility.units import Q_
from models.compute.rack import DIRECT, REGULATED, regulator_output, regulator_with_bypass
from models.electrical.conductor import line_factor
from models.electrical.converter import stage_loss, stage_output
from models.registry import stage_model

__all__ = ["RackLoads", "RackStage", "RackPower", "rack_loads", "rack_power", "rack_stage_specs"]

_loss, _output = stage_loss.kernel, stage_output.kernel
_MAX_ITER = 20


@dataclass(frozen=True)
class RackLoads:
    """Component loads of one rack at maximum [W]: the accelerators (count x TDP, at the regulator's input), the
    other regulated loads (at its output), the direct loads (beside it), the breakdown by component
    (``accelerators``, ``cpu_power``, ...), accelerators per rack, and whether any component was itemised."""

    accelerators: float
    regulated_other: float
    direct: float
    by_component: dict[str, float]
    accelerator_count: float
    itemised: bool

    @property
    def total(self) -> float:
        """Sum of the published component powers [W] (accelerators at their module input)."""
        return self.accelerators + self.regulated_other + self.direct


@dataclass(frozen=True)
class RackStage:
    """One in-rack stage of one rack: its loss coefficients (on its total output), sizing and powers [W]."""

    spec: StageSpec
    abc: tuple[float, float, float]
    redundancy: RedundancyResult
    rating: float
    rating_unit: str
    mass: float
    voltage_out: float
    power_out: float
    power_in: float


@dataclass(frozen=True)
class RackPower:
    """A rack's input [W] from its loads, the stages (rack input first) and the loads."""

    input: float
    stages: tuple[RackStage, ...]
    loads: RackLoads
    core_per_accelerator: float

    @property
    def delivered(self) -> float:
        """Power reaching the components (the last stage's output) [W]."""
        return self.stages[-1].power_out if self.stages else self.input


def rack_loads(cat: Catalog, system: str) -> RackLoads:
    """The component loads of one rack of ``system`` [W] from the catalog (see the module docstring)."""
    chain = cat.chain(system)
    racks_per_unit = cat.count_of(system, "rack")
    by: dict[str, float] = {"accelerators": 0.0, **{k: 0.0 for k in REGULATED + DIRECT}}
    itemised = False
    per_unit = 1  # how many units of the current level one unit of ``system`` holds
    for e in chain:
        if e.kind == "accelerator":
            by["accelerators"] = per_unit * si(e.get("power_max"), "W")
            break
        for k in REGULATED + DIRECT:
            v = e.get(k)
            if v is not None:
                by[k] += per_unit * si(v, "W")
                itemised = True
        per_unit *= e.get("count")
    if any(e.nameplate for e in chain):
        itemised = False
    by = {k: v / racks_per_unit for k, v in by.items()}
    return RackLoads(by["accelerators"], sum(by[k] for k in REGULATED), sum(by[k] for k in DIRECT), by,
                     cat.accelerators_per(system) / racks_per_unit, itemised)


def rack_stage_specs(scenario: Any) -> list[StageSpec]:
    """The in-rack stages of a scenario's architecture with its ``power.stages`` overrides applied."""
    return _specs(scenario.power.architecture, tuple(sorted(
        (k, tuple(sorted((f, v) for f, v in o.model_dump().items() if v is not None)))
        for k, o in scenario.power.stages.items())))


@functools.cache
def _specs(architecture: str, overrides: tuple) -> list[StageSpec]:
    stages, _, _ = architecture_stages(architecture)
    over = {k: dict(v) for k, v in overrides}
    return [StageSpec(**{**s.__dict__, **over.get(s.id, {})}) for s in stages if
            {**s.__dict__, **over.get(s.id, {})}["zone"] == "rack"]


def stage_coefficients(cat: Catalog, spec: StageSpec, p_size, v_out: float, pf: float):
    """Size one stage (per group) on the power ``p_size`` [W] (a number, or an array of design points), through
    the registered model of its kind (:mod:`models.registry`): units sized on apparent power, real power or
    current as the kind says. The one sizing of a stage, for the racks here and for the chain outside them
    (:mod:`facility.power`).

    Returns ``((A, B, C), RedundancyResult, unit rating [W or VA or A], rating unit, copper mass [kg])``.
    """
    model = stage_model(cat[spec.equipment].kind)
    p = cat.si(spec.equipment)
    rating = p[model.rating_field]
    if model.size_on == "apparent":
        size = p_size / pf
    elif model.size_on == "real":
        size = p_size
    else:
        size = p_size / line_factor(spec.system, v_out, pf)
    red = size_units(size, rating, spec.redundancy)
    abc, mass = model.coefficients(p, red.units_in_service, red.units_installed, pf, v_out, spec.system)
    return abc, red, rating, model.rating_unit, mass


def _size(cat: Catalog, spec: StageSpec, p_size: float, v_out: float, pf: float):
    """:func:`stage_coefficients` of one rack's stage, as plain floats."""
    abc, red, rating, unit, mass = stage_coefficients(cat, spec, p_size, v_out, pf)
    return tuple(float(x) for x in abc), red, rating, unit, float(mass)


def _volts(spec: StageSpec, core: float) -> float:
    return core if spec.voltage_out == "core" else _voltage_of(spec.voltage_out)


@functools.lru_cache(maxsize=256)
def _voltage_of(text: str) -> float:
    """A stage's output voltage [V] from its text (parsed once per text)."""
    return Q_(text).m_as("V")


def rack_power(scenario: Any, system: str, pf: float | None = None) -> RackPower:
    """Size the in-rack stages of one rack of ``system`` on its component loads and return its input [W].

    Parameters
    ----------
    scenario
        A validated scenario: its catalog (``hardware``), architecture and stage overrides.
    system
        A compute system of the catalog (node, rack or pod).
    pf
        Power factor of the architecture (default: the architecture's).

    Returns
    -------
    RackPower
        The rack input [W] and every in-rack stage (rack input first) with its loss coefficients on its total
        output; the point-of-load regulator's include the direct loads that bypass it
        (:func:`models.compute.rack.regulator_with_bypass`).
    """
    cat = scenario.hardware
    specs = rack_stage_specs(scenario)
    if pf is None:
        pf = architecture_stages(scenario.power.architecture)[2]
    core = cat.si(cat.accelerator(system).name)["core_voltage"]
    loads = rack_loads(cat, system)
    if not loads.itemised:
        return _top_down(cat, specs, system, loads, core, pf)
    # bottom-up: from the regulator to the rack input; each stage sized on what it draws (iterated)
    rows: list[RackStage] = []
    p_dir = loads.direct
    core_each = 0.0
    for i in range(len(specs) - 1, -1, -1):
        spec = specs[i]
        v_out = _volts(spec, core)
        regulator = i == len(specs) - 1 and spec.voltage_out == "core"
        p_out = rows[0].power_in if rows else loads.total
        p_in, units = (loads.accelerators + loads.regulated_other if regulator else p_out), -1
        for _ in range(_MAX_ITER):
            abc, red, rating, unit, mass = _size(cat, spec, p_in, v_out, pf)
            if regulator:
                p_out = regulator_output(loads.accelerators, loads.regulated_other, abc)
            p_in = p_out + float(_loss(p_out, *abc))
            if red.units_in_service == units:
                break
            units = red.units_in_service
        if regulator:
            core_each = (p_out - loads.regulated_other) / loads.accelerator_count
            rows.insert(0, RackStage(spec, regulator_with_bypass(abc, p_out, p_dir), red, rating, unit, mass, v_out,
                                     p_out + p_dir, p_in + p_dir))
        else:
            rows.insert(0, RackStage(spec, abc, red, rating, unit, mass, v_out, p_out, p_in))
    return RackPower(rows[0].power_in if rows else loads.total, tuple(rows), loads, core_each)


def _top_down(cat: Catalog, specs: list[StageSpec], system: str, loads: RackLoads, core: float, pf: float
              ) -> RackPower:
    """A system without component figures: its nameplate is the rack input, the chain walked down from it."""
    p = cat.power_max(system).m_as("W") / cat.count_of(system, "rack")
    rows = []
    for spec in specs:
        v_out = _volts(spec, core)
        abc, red, rating, unit, mass = _size(cat, spec, p, v_out, pf)
        p_out = float(_output(p, *abc))
        rows.append(RackStage(spec, abc, red, rating, unit, mass, v_out, p_out, p))
        p = p_out
    inp = rows[0].power_in if rows else p
    # the accelerator's own power (its TDP, at the module input) through the last stage
    last = rows[-1] if rows else None
    each = (loads.by_component["accelerators"] / loads.accelerator_count * last.power_out / last.power_in
            if last is not None and last.spec.voltage_out == "core" and last.power_in > 0 else 0.0)
    return RackPower(inp, tuple(rows), loads, each)


def ab_feed_warnings(scenario: Any) -> list[str]:
    """Rack supplies that a lost feed would drop (issue #13 item 7).

    When the last stage outside the racks is fed A/B (scheme ``2N``: each busway sized for the whole load, the
    racks dual-corded), losing one feed takes half of every rack's first converters (power-shelf PSUs, 800->50 V
    DC-DC) with it: they must be N+N (``2N``, each half able to carry the rack, <= 50 % load at design). Any other
    scheme on a dual-fed rack drops racks when a feed is lost. Returns one message per such stage ("" never).
    """
    stages, _, _ = architecture_stages(scenario.power.architecture)
    over = scenario.power.stages
    eff = [StageSpec(**{**s.__dict__, **({k: v for k, v in over[s.id].model_dump().items() if v is not None}
                                          if s.id in over else {})}) for s in stages]
    it = [s for s in eff if s.zone == "it"]
    rack = [s for s in eff if s.zone == "rack" and stage_model(scenario.hardware[s.equipment].kind).kind
            == "converter"]
    if not it or not rack or it[-1].redundancy.replace(" ", "") != "2N":
        return []
    first = rack[0]
    if first.redundancy.replace(" ", "") in ("2N", "2(N+1)"):
        return []
    return [f"{first.name}: {first.redundancy} on racks fed A/B by the {it[-1].name} (2N): losing one feed takes "
            f"half of each rack's units and drops the rack; expected N+N (redundancy = \"2N\") so each feed's half "
            "carries the whole rack"]
