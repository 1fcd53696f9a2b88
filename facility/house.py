"""House and ancillary loads of the site, item by item (issue #13 item 10).

Each item is a catalog entry of kind ``house-load`` (``facility/catalog/overheads.toml``, with its source): either
a power per rack (every rack of the campus, compute and overhead: lighting of the halls and their support spaces)
or a fraction of the design IT power (offices and NOC, security, controls and fire detection, generator block
heaters). Their sum feeds the mechanical branch of the power chain at design and, constant, in every hour of the
year. ``cooling.house_loads`` chooses the items (default: every ``house-load`` entry of the catalog);
``cooling.house_load_fraction``, when set, replaces them by one flat fraction of the design IT power.

The recharge of the UPS batteries after an outage is a design-hour event (an hour, not the year): it is not one of
these constant loads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from facility.errors import ScenarioError

if TYPE_CHECKING:
    from facility.plan import ItLoad
    from facility.scenario import Scenario

__all__ = ["house_loads", "house_load"]


def house_loads(scenario: Scenario, load: ItLoad) -> tuple[tuple[str, str, object], ...]:
    """The house-load items of a campus: ``((name, description, W), ...)``; W a float, or an array for a batch."""
    c, cat = scenario.cooling, scenario.hardware
    it = load.it_power.m_as("W")
    if c.house_load_fraction is not None:
        return (("cooling.house_load_fraction", "house loads as one fraction of the design IT power",
                 c.house_load_fraction * it),)
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
        out.append((name, e.description, w if np.ndim(w) else float(w)))
    return tuple(out)


def house_load(scenario: Scenario, load: ItLoad):
    """The summed house load [W] (float, or an array for a batch)."""
    total = 0.0
    for _, _, w in house_loads(scenario, load):
        total = total + w
    return total
