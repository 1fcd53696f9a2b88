"""The orchestrator: a scenario in, the sized campus out (IT load, then the power chain)."""

from __future__ import annotations

from dataclasses import dataclass

from facility.plan import ItLoad, it_load
from facility.power import PowerDesign, design_power_chain
from facility.scenario import Scenario

__all__ = ["CampusResult", "run"]


@dataclass(frozen=True)
class CampusResult:
    """Everything sized for one scenario: its IT load and its power chain at design."""

    scenario: Scenario
    load: ItLoad
    power: PowerDesign


def run(scenario: Scenario) -> CampusResult:
    """Size a scenario: compute plan -> IT load -> power chain (grid to chip) at design load.

    The mechanical branch carries no load until the cooling chain is sized (it is designed to: see
    :func:`facility.power.design_power_chain`).
    """
    load = it_load(scenario)
    return CampusResult(scenario=scenario, load=load, power=design_power_chain(scenario, load))
