"""The orchestrator: a scenario in, the sized campus out.

IT load -> power chain -> cooling chain, and back: the cooling plant's electric load (plus house loads) feeds the
mechanical branch of the power chain, whose indoor losses the cooling must remove. The coupling is solved by
fixed-point iteration (the cooling power is a small, smooth function of the electrical losses, so it contracts
quickly: a few iterations to 1 W).
"""

from __future__ import annotations

from dataclasses import dataclass

import pint

from facility.cooling import CoolingDesign, design_cooling
from facility.design_conditions import design_conditions
from facility.plan import ItLoad, it_load
from facility.power import PowerDesign, design_power_chain
from facility.scenario import Scenario
from facility.units import Q_

__all__ = ["CampusResult", "run", "design_campus"]

_TOLERANCE_W = 1.0
_MAX_ITERATIONS = 50


@dataclass(frozen=True)
class CampusResult:
    """Everything sized for one scenario at design: IT load, power chain, cooling chain and the totals."""

    scenario: Scenario
    load: ItLoad
    power: PowerDesign
    cooling: CoolingDesign
    house_load: pint.Quantity
    iterations: int

    @property
    def facility_power(self) -> pint.Quantity:
        """Grid import at design: IT, cooling, house loads and all losses. [W]"""
        return self.power.grid_import

    @property
    def pue(self) -> float:
        """Design PUE: facility power over IT power at the rack inputs (The Green Grid, PUE: A Comprehensive
        Examination of the Metric, 2012)."""
        return float((self.power.grid_import / self.power.it_power).m_as(""))


def design_campus(scenario: Scenario, load: ItLoad) -> CampusResult:
    """Size power and cooling for ``load`` and solve their coupling (see the module docstring)."""
    conditions = design_conditions(scenario.weather_path, scenario.cooling.design_basis, source=scenario.source)
    house = scenario.cooling.house_load_fraction * load.it_power.m_as("W")
    mech = house
    for i in range(1, _MAX_ITERATIONS + 1):
        power = design_power_chain(scenario, load, Q_(mech, "W"))
        cooling = design_cooling(scenario, load, power, conditions)
        new = cooling.cooling_power.m_as("W") + house
        if abs(new - mech) < _TOLERANCE_W:
            break
        mech = new
    else:  # pragma: no cover - a contraction; guards against a future model that is not
        raise RuntimeError(f"power/cooling coupling did not converge in {_MAX_ITERATIONS} iterations")
    power = design_power_chain(scenario, load, Q_(new, "W"))
    cooling = design_cooling(scenario, load, power, conditions)
    return CampusResult(scenario, load, power, cooling, Q_(house, "W"), i)


def run(scenario: Scenario) -> CampusResult:
    """Size a scenario: compute plan -> IT load -> power and cooling chains, coupled, at design conditions."""
    return design_campus(scenario, it_load(scenario))
