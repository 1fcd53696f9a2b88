"""House and ancillary loads of the site, item by item (issue #13 item 10).

Each item is a catalog entry of kind ``house-load`` (``facility/catalog/overheads.toml``, with its source): either
a power per rack (every rack of the campus, compute and overhead: lighting of the halls and their support spaces)
or a fraction of the design IT power (offices and NOC, security, controls and fire detection, generator block
heaters). Their sum feeds the mechanical branch of the power chain at design and, constant, in every hour of the
year. ``cooling.house_loads`` chooses the items (default: every ``house-load`` entry of the catalog);
``cooling.house_load_fraction``, when set, replaces them by one flat fraction of the design IT power.

The recharge of the UPS batteries after an outage is a design-hour event (an hour, not the year): it is not one of
these constant loads. :func:`ups_recharge` gives it: the charger at its current limit, a share (catalog
``ups-battery-recharge``, ``charger_fraction``, from a vendor's input-current rating) of the load of the power chain's
UPS stages (id ``ups``); nothing without such a stage. It is added to the facility power at design when
``cooling.ups_recharge_at_design`` is true (the coupling carries it on the mechanical branch, one more load beside the
house loads); the year never carries it (an event, not an hour of every year).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from facility.batch import squeeze
from facility.errors import ScenarioError

if TYPE_CHECKING:
    from facility.inputs import DesignInputs
    from facility.plan import ItLoad
    from facility.scenario import Scenario

__all__ = ["house_loads", "house_load", "ups_recharge", "UPS_STAGE", "UPS_RECHARGE"]

#: The id of the power-chain stages whose batteries recharge (facility/architectures.toml).
UPS_STAGE = "ups"
#: The catalog entry of the charger's limit.
UPS_RECHARGE = "ups-battery-recharge"


def house_loads(scenario: Scenario, load: ItLoad, inputs: DesignInputs) -> tuple[tuple[str, str, object], ...]:
    """The house-load items of a campus: ``((name, description, W), ...)``; W a float, or an array for a batch.
    ``inputs``: the scenario's design numbers (:func:`facility.inputs.compile_inputs`; ``house_load_fraction``;
    required: a batch's arrays)."""
    c, cat, inp = scenario.cooling, scenario.hardware, inputs
    it = load.it_power.m_as("W")
    if inp.house_load_fraction is not None:
        return (("cooling.house_load_fraction", "house loads as one fraction of the design IT power",
                 inp.house_load_fraction * it),)
    names = c.house_loads
    if names is None:
        names = [n for n, e in cat.entries.items() if e.kind == "house-load"]
    out = []
    for name in names:
        e = cat.entries.get(name)
        if e is None or e.kind != "house-load":
            options = sorted(n for n, x in cat.entries.items() if x.kind == "house-load")
            raise ScenarioError(f"{name!r} is not a house load of the catalog; expected one of {', '.join(options)} "
                                "(entries of kind 'house-load')", source=scenario.source, key="cooling.house_loads")
        si = cat.si(name)
        given = [k for k in ("power_per_rack", "fraction_of_it") if k in si]
        if len(given) != 1:
            raise ScenarioError(f"house load {name!r} has {' and '.join(given) or 'neither'} of power_per_rack and "
                                "fraction_of_it; expected exactly one", source=scenario.source, key=f"{name}")
        if given[0] == "power_per_rack":
            w = si["power_per_rack"] * np.asarray(load.racks, dtype=float)
        else:
            w = si["fraction_of_it"] * it
        out.append((name, e.description, squeeze(w)))
    return tuple(out)


def house_load(scenario: Scenario, load: ItLoad, inputs: DesignInputs):
    """The summed house load [W] (float, or an array for a batch) of :func:`house_loads`."""
    total = 0.0
    for _, _, w in house_loads(scenario, load, inputs):
        total = total + w
    return total


def ups_recharge(scenario: Scenario, chain) -> object:
    """Recharge power of the UPS batteries after a ride-through [W]: :math:`f_{charger} \\sum P_{out,ups}`, the
    charger at its current limit (``charger_fraction`` of catalog ``ups-battery-recharge``) times the load of the
    power chain's ``ups`` stages at design (``chain``: a :class:`facility.power.ChainSizing`); 0 without a UPS
    stage. Float, or an array for a batch.

    Sources: the charger limit from the vendor's rectifier input rating (Eaton 9395P: full-load plus recharge input
    current, catalog source); charger-sizing practice (IEEE 1184-2006, "Guide for batteries for uninterruptible
    power supply systems"; battery vendors' notes: a short-discharge battery is returned to ~85 % in 8-10 times its
    discharge time) has the charger run at its current limit for minutes after a ride-through, so the design hour
    sees the limit, not the hour's average.
    """
    cat = scenario.hardware
    load = 0.0
    for st in chain.stages:
        if st.spec.id == UPS_STAGE:
            load = load + st.power_out
    if UPS_RECHARGE not in cat.entries:
        raise ScenarioError(f"the catalog has no {UPS_RECHARGE!r} entry (kind 'ups-recharge') for "
                            "cooling.ups_recharge_at_design", source=scenario.source,
                            key="cooling.ups_recharge_at_design")
    w = cat.si(UPS_RECHARGE)["charger_fraction"] * np.asarray(load, dtype=float)
    return squeeze(w)
