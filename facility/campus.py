"""The orchestrator: a scenario in, the sized campus out.

IT load -> power chain -> cooling chain, and back: the cooling plant's electric load (plus house loads) feeds the
mechanical branch of the power chain, whose indoor losses the cooling must remove. The coupling is solved by
fixed-point iteration (the cooling power is a small, smooth function of the electrical losses, so it contracts
quickly: a few iterations to 1 W).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pint

from facility.batch import any_point, as_float, squeeze
from facility.bounds import MAX_IT_POWER_W
from facility.checks import envelope_arg, scenario_arg
from facility.compiled import CompiledYear, compile_year
from facility.cooling import CoolingDesign, air_spec, coupling_cooling_power, design_cooling, design_liquid_side
from facility.design_conditions import design_conditions
from facility.errors import InfeasibleDesign, ScenarioError
from facility.house import house_load, ups_recharge
from facility.inputs import COUNT_KEYS, DesignInputs, compile_inputs
from facility.plan import ItLoad, it_load
from facility.power import PowerDesign, power_design, size_it_side, size_power_chain
from facility.scenario import Scenario
from facility.simulate import YearArrays, annual_from_arrays, design_check, year_arrays, year_dataset
from facility.units import Q_

__all__ = ["CampusResult", "run", "design_campus", "fit_to_grid"]

_TOLERANCE_W = 1.0
_MAX_ITERATIONS = 50
#: Passes after which a coupling still moving is cycling: the mechanical load sits where one more unit (a
#: transformer, a UPS block) switches in, whose no-load loss moves the load back. From then on the mechanical
#: branch is sized for the larger of the two loads (more conservative), and the losses, now continuous,
#: converge. The contraction is ~0.3 % per pass, so a smooth coupling meets 1 W in 4-5 passes.
_CYCLE_AFTER = 8


@dataclass(frozen=True)
class CampusResult:
    """Everything sized for one scenario at design: IT load, power chain, cooling chain and the totals."""

    scenario: Scenario
    load: ItLoad
    power: PowerDesign
    cooling: CoolingDesign
    house_load: pint.Quantity
    iterations: int
    #: The design numbers the campus was sized with, in SI (:func:`facility.inputs.compile_inputs`; a batch's
    #: arrays (P,)).
    inputs: DesignInputs
    #: Recharge of the UPS batteries after a ride-through at design (:func:`facility.house.ups_recharge`), in the
    #: facility power at design when ``cooling.ups_recharge_at_design``; never in the year.
    ups_recharge: pint.Quantity | None = None
    #: The weather year on SI arrays (:class:`facility.simulate.YearArrays`), when run with ``year=True``.
    year: YearArrays | None = None
    annual: dict | None = None
    design_check: dict | None = None
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def compiled(self) -> CompiledYear:
        """The sized campus in SI columns (P, 1) for its year (:func:`facility.compiled.compile_year`), compiled
        once."""
        if "compiled" not in self._cache:
            self._cache["compiled"] = compile_year(self)
        return self._cache["compiled"]

    @property
    def hourly(self) -> Any:
        """The weather year as an ``xarray.Dataset`` on ``time`` (built, and xarray imported, on first use), or
        None when the campus was sized without its year."""
        if self.year is None:
            return None
        if "ds" not in self._cache:
            self._cache["ds"] = year_dataset(self, self.year)
        return self._cache["ds"]

    @property
    def facility_power(self) -> pint.Quantity:
        """Grid import at design: IT, cooling, house loads and all losses. [W]"""
        return self.power.grid_import

    @property
    def pue(self) -> float:
        """Design PUE: facility power over IT power at the rack inputs (The Green Grid, PUE: A Comprehensive
        Examination of the Metric, 2012)."""
        return squeeze((self.power.grid_import / self.power.it_power).m_as(""))


def design_campus(scenario: Scenario, load: ItLoad, inputs: DesignInputs | None = None) -> CampusResult:
    """Size power and cooling for ``load`` and solve their coupling (see the module docstring).

    The scenario gives the structure (catalog choices, stages, plants); ``inputs`` its design numbers in SI
    (:func:`facility.inputs.compile_inputs`; default: compiled here from the scenario). Inputs and load may hold
    arrays of design points (a batch of a sweep, :mod:`facility.sweep`): every point then iterates exactly as it
    would alone — a point whose coupling has converged keeps its value while the others go on — so a point of a
    batch equals its single run to round-off.
    """
    inputs = compile_inputs(scenario) if inputs is None else inputs
    conditions = design_conditions(scenario.weather_path, scenario.cooling.design_basis, source=scenario.source)
    house = house_load(scenario, load, inputs)  # itemised (facility.house)
    mech = house
    floor = None  # sizing floor of the mechanical branch, once the fixed point cycles between unit counts
    active = np.ones(np.shape(house), dtype=bool)
    liquid = design_liquid_side(scenario, load, conditions, inputs)  # independent of the power chain: once
    it_side = size_it_side(scenario, load)  # racks and IT branch: independent of the mechanical load, once
    air = air_spec(scenario, load, conditions, inputs)  # the air side's constants: once
    unsettled = None
    for i in range(1, _MAX_ITERATIONS + 1):
        power = size_power_chain(scenario, load, mech, floor, it_side)  # SI numbers: Quantities once, after the loop
        new = coupling_cooling_power(scenario, load, power, conditions, liquid, air, inputs) + house
        if scenario.cooling.ups_recharge_at_design:  # a design-hour event on top of the house loads (facility.house)
            new = new + ups_recharge(scenario, power)
        step = np.abs(new - mech) >= _TOLERANCE_W
        if i >= _CYCLE_AFTER:  # still moving: a unit count flips; size for the larger load from now on
            size = np.where(step, np.maximum(mech, new), 0.0)
            floor = as_float(size if floor is None else np.maximum(floor, size))
        # one path for one design (shape ()) and a batch (P,): converged now, keep new; converged before, keep its
        # value (one design: a plain float again)
        final = as_float(np.where(active, new, mech))
        active = active & step  # (a NaN point, infeasible, stops too)
        previous, mech = mech, final
        if not active.any():
            new = final
            break
    else:
        # still moving after every pass: the cooling plant sits on a staging step at the design weather (one more
        # chiller at its no-load power flips the load back) and the coupling has no fixed point. One design says so;
        # a batch marks those points infeasible (NaN in a sweep) instead of failing its other points.
        if np.ndim(active) == 0:
            lo, hi = sorted((float(previous - house), float(new - house)))
            raise InfeasibleDesign(
                f"the power and cooling design does not settle: the cooling plant's electric load alternates between "
                f"{lo / 1e6:.3f} and {hi / 1e6:.3f} MW at the design weather ({_MAX_ITERATIONS} passes; a chiller or "
                "unit staging step); expected a design off the step: change the rack count, a supply temperature "
                "or the chiller capacity slightly")
        unsettled, new = active, mech
    chain = size_power_chain(scenario, load, new, floor, it_side)
    power = power_design(scenario, chain)
    cooling = design_cooling(scenario, load, power, conditions, liquid, air, inputs)
    if unsettled is not None:
        cooling = replace(cooling, infeasible=np.asarray(cooling.infeasible, dtype=bool) | unsettled)
    # the last guard: a design whose power is not a finite number (inputs the checks above let through, at the edge
    # of what the models carry) is infeasible, never a NaN in a result: one design says so, a batch marks the points
    grid, cool = power.grid_import.magnitude, cooling.cooling_power.magnitude
    broken = ~(np.isfinite(grid) & np.isfinite(cool)) & ~np.asarray(cooling.infeasible, dtype=bool)
    if any_point(broken):
        if np.ndim(broken) == 0:
            raise InfeasibleDesign(
                f"the design has no finite solution (facility power {float(grid):g} W, cooling power {float(cool):g} W)"
                ": an input lies where the models' flows, pressures or efficiencies lose meaning; expected loop "
                "rises, pressure drops and equipment ratings within their catalog ranges")
        cooling = replace(cooling, infeasible=np.asarray(cooling.infeasible, dtype=bool) | broken)
    return CampusResult(scenario, load, power, cooling, Q_(house, "W"), i, inputs,
                        ups_recharge=Q_(ups_recharge(scenario, chain), "W"))


def run(scenario: Scenario, year: bool = True) -> CampusResult:
    """Size a scenario: compute plan -> IT load -> power and cooling chains, coupled, at design conditions; then
    (``year=True``) run it through its weather year: ``year`` (SI arrays), ``hourly`` (an xarray.Dataset built
    from them when first asked for), ``annual`` KPIs and the ``design_check`` of the year at full load against
    the design point."""
    scenario_arg(scenario, "run")
    inputs = compile_inputs(scenario)
    result = design_campus(scenario, it_load(scenario, inputs), inputs)
    if not year:
        return result
    y = year_arrays(result)
    return replace(result, year=y, annual=annual_from_arrays(y), design_check=design_check(result))


def fit_to_grid(scenario: Scenario, envelope: pint.Quantity, deployment: int = 0) -> tuple[int, CampusResult]:
    """The largest number of racks of one deployment whose campus fits a grid envelope at design conditions.

    Facility power grows monotonically with the rack count (in steps, as units are added), so the count is
    bracketed and found with ``scipy.optimize.brentq`` on the continuous relaxation, then settled on whole racks.

    Parameters
    ----------
    scenario
        The scenario; the other deployments and everything else stay as they are.
    envelope
        Grid capacity available at design (facility power at the point of interconnection). [W]
    deployment
        Index of the deployment to scale (its count becomes ``racks``).

    Returns
    -------
    (racks, CampusResult)
        The rack count and the campus sized with it.

    Raises
    ------
    InfeasibleDesign
        Not even one rack fits.
    """
    from scipy.optimize import brentq  # (here: scipy.optimize is slow to import and only this search needs it)

    scenario_arg(scenario, "fit_to_grid")
    limit = envelope_arg(envelope, "fit_to_grid", 2 * MAX_IT_POWER_W)
    if not isinstance(deployment, numbers.Integral) or not 0 <= deployment < len(scenario.compute.deployments):
        raise ScenarioError(f"no deployment {deployment}; the scenario has {len(scenario.compute.deployments)}",
                            source=scenario.source, key="compute.deployments")
    data = scenario.model_dump()
    cache: dict[int, CampusResult] = {}

    def campus(racks: int) -> CampusResult:
        if racks not in cache:
            d = dict(data["compute"]["deployments"][deployment])
            for k in COUNT_KEYS:
                d[k] = None
            d["racks"] = racks
            deps = list(data["compute"]["deployments"])
            deps[deployment] = d
            s = Scenario.from_dict({**data, "compute": {**data["compute"], "deployments": deps}},
                                   source=scenario.source, base=scenario._base)
            cache[racks] = run(s, year=False)
        return cache[racks]

    def excess(x: float) -> float:
        return campus(max(1, math.ceil(x))).facility_power.m_as("W") - limit

    one = excess(1)
    if one > 0:
        raise InfeasibleDesign(f"one rack already needs {campus(1).facility_power.to('MW'):.3f~P} at design, above the "
                               f"{envelope.to_compact():.4g~P} envelope")  # (0.001 W reads as such, not 0.000 MW)
    per_rack = (campus(2).facility_power - campus(1).facility_power).m_as("W")
    hi = max(2.0, 2.0 * limit / max(per_rack, 1.0))
    while excess(hi) <= 0:
        hi *= 2.0
    root = brentq(excess, 1.0, hi, xtol=0.5)
    n = max(1, math.floor(root))
    while n > 1 and excess(n) > 0:
        n -= 1
    while excess(n + 1) <= 0:
        n += 1
    return n, campus(n)
