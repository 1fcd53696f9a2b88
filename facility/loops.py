"""Pump heads from their components: the design pressure drop of each fluid loop as the sum of its parts.

Each loop's components are catalog entries of kind ``hydraulic`` (``facility/catalog/cooling.toml``, each with its
pressure drop at design flow and its source), chosen per loop by the scenario (``cooling.tcs_components``,
``facility_components``, ``chw_components``), plus the parts its plant puts in the loop: the economiser's coil or
plate exchanger and the trim chiller's evaporator (ASHRAE Handbook — HVAC Systems and Equipment 2020, ch. 13
"Hydronic heating and cooling": the pump head of a circuit is the sum of the pressure drops along its critical
path at design flow). The CDU's own pressure drop (``cdu.pressure_drop``) closes the technology loop; the facility
and chilled-water mains add their Darcy–Weisbach friction (:func:`models.thermal.plant.operate_loop`). In operation
every component scales with the flow squared (:func:`models.thermal.hydraulics.scale_pressure_drop`).

A component with ``cold_plates_in_series`` (``tcs-cold-plates``) holds the tray's cold plates: its design pressure
drop is that many times the scenario's cold plate (``cooling.cold_plate``) at the flow through each plate — the
technology loop's design flow over the accelerators on it (:func:`models.thermal.cold_plate.cold_plate_pressure_drop`,
laminar friction plus form losses) — plus the component's own ``pressure_drop`` (the in-tray tubing).

A scenario that sets ``cooling.tcs_pressure_drop`` (cold plates to CDU, CDU excluded) or
``cooling.facility_pressure_drop`` (the facility and chilled-water components, mains excluded) replaces the list by
that one figure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from facility.batch import squeeze
from facility.errors import ScenarioError
from models.thermal.cold_plate import cold_plate_pressure_drop
from models.thermal.hydraulics import sum_pressure_drops

if TYPE_CHECKING:
    from facility.inputs import DesignInputs
    from facility.scenario import Scenario

__all__ = ["loop_components", "total", "TCS_COMPONENTS", "FACILITY_COMPONENTS", "CHW_COMPONENTS", "PLANT_COMPONENTS",
           "IN_ROW_ONLY"]

#: Default components of the technology loop (cold plates to the CDU), in the order the coolant meets them.
TCS_COMPONENTS = ("tcs-cold-plates", "tcs-quick-disconnects", "tcs-rack-manifold", "tcs-rack-balancing-valve",
                  "tcs-distribution-piping")
#: Components of the default technology loop that only an in-row CDU has (an in-rack CDU sits in the rack).
IN_ROW_ONLY = ("tcs-rack-balancing-valve", "tcs-distribution-piping")
#: Default components of the facility-water loop besides its plant and mains.
FACILITY_COMPONENTS = ("fw-cdu-primary", "fw-control-valve", "fw-strainers-valves")
#: Default components of the chilled-water loop of the air side besides its plant and mains.
CHW_COMPONENTS = ("chw-crah-coil", "fw-control-valve", "fw-strainers-valves")
#: The component a plant part puts in the loop it cools.
PLANT_COMPONENTS = {"dry-cooler": "dry-cooler-coil", "adiabatic": "dry-cooler-coil",
                    "cooling-tower": "tower-economiser-hx", "chiller": "chiller-evaporator"}


def loop_components(scenario: Scenario, key: str, plate_flow=None, *,
                    inputs: DesignInputs) -> tuple[tuple[str, float], ...]:
    """The components of loop ``key`` (``tcs``, ``fw`` or ``chw``) with their pressure drop at design flow:
    ``((name, Pa), ...)``; their sum (:func:`models.thermal.hydraulics.sum_pressure_drops`) is the loop's
    component pressure drop at design (mains excluded). ``plate_flow`` [m³/s]: the design flow through each cold
    plate of the technology loop (float, or an array for a batch), for a component with ``cold_plates_in_series``;
    without it such a component counts its plates at their rated flow. ``inputs``: the scenario's design numbers
    (:func:`facility.inputs.compile_inputs`: the summed pressure drops a scenario or a batch sets; required: a
    batch's arrays)."""
    c, cat, inp = scenario.cooling, scenario.hardware, inputs
    if key == "tcs":
        if inp.tcs_pressure_drop is not None:
            parts = [("cooling.tcs_pressure_drop", inp.tcs_pressure_drop)]
        else:
            names = c.tcs_components
            if names is None:
                in_rack = cat[c.cdu].placement == "in-rack"
                names = [n for n in TCS_COMPONENTS if not (in_rack and n in IN_ROW_ONLY)]
            parts = _parts(scenario, "cooling.tcs_components", names, plate_flow)
        return (*parts, (c.cdu, cat.si(c.cdu)["pressure_drop"]))
    if key not in ("fw", "chw"):
        raise ValueError(f"no loop {key!r}; expected tcs, fw or chw")
    if inp.facility_pressure_drop is not None:
        return (("cooling.facility_pressure_drop", inp.facility_pressure_drop),)
    field = "facility_components" if key == "fw" else "chw_components"
    names = list(getattr(c, field))
    plant = c.heat_rejection if key == "fw" else c.air_heat_rejection
    for part in (plant.economiser, plant.trim):
        if part and part in PLANT_COMPONENTS:
            names.append(PLANT_COMPONENTS[part])
    return tuple(_parts(scenario, f"cooling.{field}", names))


def _parts(scenario: Scenario, key: str, names, plate_flow=None) -> list[tuple[str, float]]:
    cat = scenario.hardware
    plate = cat.si(scenario.cooling.cold_plate)
    out = []
    for name in names:
        if name not in cat.entries or cat[name].kind != "hydraulic":
            options = sorted(n for n, e in cat.entries.items() if e.kind == "hydraulic")
            raise ScenarioError(f"{name!r} is not a loop component of the catalog; expected one of "
                                f"{', '.join(options)} (entries of kind 'hydraulic')", source=scenario.source,
                                key=key)
        si = cat.si(name)
        dp = si["pressure_drop"]
        if "cold_plates_in_series" in si:
            flow = plate["rated_flow"] if plate_flow is None else plate_flow
            dp = dp + si["cold_plates_in_series"] * cold_plate_pressure_drop.kernel(
                flow, plate["rated_flow"], plate["pressure_drop"], plate["laminar_share"])
            dp = squeeze(dp)
        out.append((name, dp))
    return out


def total(parts) -> float:
    """The summed pressure drop of ``parts`` [Pa]."""
    return sum_pressure_drops([dp for _, dp in parts])
