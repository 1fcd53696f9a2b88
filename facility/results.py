"""Results as plain data: the stable JSON document of ``facility run --format json`` and the text table.

Keys are stable: later work adds keys, it does not rename or remove them. Units are in the key names
(``_mw``, ``_kw``, ``_kv``, ``_degc``, ``_eflops``); counts have none.
"""

from __future__ import annotations

from typing import Any

from facility.plan import ItLoad
from facility.scenario import Scenario

__all__ = ["RESULT_KEYS", "SCHEMA_VERSION", "to_json", "to_table"]

SCHEMA_VERSION = 1

#: Numeric top-level results a scenario's ``[expect]`` table may bound, with their units.
RESULT_KEYS: dict[str, str] = {
    "accelerators": "installed accelerators [-]",
    "accelerators_requested": "accelerators asked for by the plan [-]",
    "nodes": "nodes [-]",
    "racks": "all IT racks, compute and overhead [-]",
    "compute_racks": "accelerator racks [-]",
    "overhead_racks": "network, storage and management racks [-]",
    "halls": "data halls [-]",
    "racks_per_hall": "racks in the fullest hall [-]",
    "it_power_mw": "design IT power, every rack at maximum [MW]",
    "it_power_typical_mw": "typical IT power in training [MW]",
    "heat_to_liquid_mw": "design heat to liquid [MW]",
    "heat_to_air_mw": "design heat to air [MW]",
    "hall_it_power_mw": "design IT power per hall [MW]",
    "rack_density_kw": "mean design power of a compute rack [kW]",
    "bf16_dense_eflops": "installed peak dense BF16 [EFLOPS]",
}


def _r(x: float, nd: int = 6) -> float:
    return round(float(x), nd)


def to_json(scenario: Scenario, load: ItLoad) -> dict[str, Any]:
    """The JSON document for a scenario and its IT load (plain Python types, JSON-serialisable)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "scenario": scenario.name,
        "source": scenario.source,
        "accelerators": load.accelerators,
        "accelerators_requested": load.accelerators_requested,
        "nodes": load.nodes,
        "racks": load.racks,
        "compute_racks": load.compute_racks,
        "overhead_racks": load.overhead_racks,
        "halls": load.halls,
        "racks_per_hall": load.racks_per_hall,
        "it_power_mw": _r(load.it_power.m_as("MW")),
        "it_power_typical_mw": _r(load.it_power_typical.m_as("MW")),
        "heat_to_liquid_mw": _r(load.heat_to_liquid.m_as("MW")),
        "heat_to_air_mw": _r(load.heat_to_air.m_as("MW")),
        "hall_it_power_mw": _r(load.hall_it_power.m_as("MW")),
        "rack_density_kw": _r(load.rack_density.m_as("kW")),
        "bf16_dense_eflops": _r(load.bf16_dense.m_as("EFLOPS")),
        "racks_by_type": dict(load.racks_by_type),
        "deployments": [
            {
                "name": d.name, "system": d.system, "accelerator": d.accelerator,
                "accelerators_requested": d.accelerators_requested, "accelerators": d.accelerators,
                "nodes": d.nodes, "racks": d.racks, "pods": d.pods,
                "rack_power_max_kw": _r(d.rack_power_max.m_as("kW")),
                "rack_power_typical_kw": _r(d.rack_power_typical.m_as("kW")),
                "it_power_mw": _r(d.it_power.m_as("MW")),
                "it_power_typical_mw": _r(d.it_power_typical.m_as("MW")),
                "liquid_fraction": _r(d.liquid_fraction),
                "heat_to_liquid_mw": _r(d.heat_to_liquid.m_as("MW")),
                "heat_to_air_mw": _r(d.heat_to_air.m_as("MW")),
                "bf16_dense_eflops": _r(d.bf16_dense.m_as("EFLOPS")),
            }
            for d in load.deployments
        ],
        "overheads": [
            {
                "name": o.name, "racks": o.racks,
                "it_power_mw": _r(o.it_power.m_as("MW")),
                "it_power_typical_mw": _r(o.it_power_typical.m_as("MW")),
                "heat_to_liquid_mw": _r(o.heat_to_liquid.m_as("MW")),
                "heat_to_air_mw": _r(o.heat_to_air.m_as("MW")),
            }
            for o in load.overheads
        ],
        "site": {"weather": scenario.site.weather, "weather_file": str(scenario.weather_path),
                 "grid_voltage_kv": _r(scenario.site.grid_voltage.m_as("kV"))},
        "power": {"architecture": scenario.power.architecture},
        "cooling": {"tcs_supply_degc": _r(scenario.cooling.tcs_supply.m_as("degC")),
                    "heat_rejection": scenario.cooling.heat_rejection},
    }


def _grid(rows: list[list[str]], align: str) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for j, r in enumerate(rows):
        cells = [c.ljust(w) if a == "l" else c.rjust(w) for c, w, a in zip(r, widths, align, strict=True)]
        out.append("  ".join(cells).rstrip())
        if j == 0:
            out.append("  ".join("-" * w for w in widths))
    return out


def to_table(doc: dict[str, Any]) -> str:
    """A readable text report of the JSON document ``doc`` (from :func:`to_json`)."""
    lines = [f"Scenario: {doc['scenario']}  ({doc['source']})",
             f"Site: {doc['site']['weather']}, grid {doc['site']['grid_voltage_kv']:g} kV;  "
             f"power {doc['power']['architecture']};  cooling TCS supply {doc['cooling']['tcs_supply_degc']:g} degC, "
             f"{doc['cooling']['heat_rejection']}", ""]
    rows = [["deployment", "system", "accelerators", "nodes", "racks", "kW/rack", "IT MW", "typ. MW", "liquid"]]
    for d in doc["deployments"]:
        rows.append([d["name"], d["system"], f"{d['accelerators']:,}", f"{d['nodes']:,}", f"{d['racks']:,}",
                     f"{d['rack_power_max_kw']:.1f}", f"{d['it_power_mw']:.2f}", f"{d['it_power_typical_mw']:.2f}",
                     f"{d['liquid_fraction']:.0%}"])
    for o in doc["overheads"]:
        rows.append([o["name"], "(overhead)", "", "", f"{o['racks']:,}", "", f"{o['it_power_mw']:.2f}",
                     f"{o['it_power_typical_mw']:.2f}", ""])
    lines += _grid(rows, "llrrrrrrr")
    lines.append("")
    summary = [
        ("accelerators installed (requested)", f"{doc['accelerators']:,} ({doc['accelerators_requested']:,})"),
        ("racks: compute + overhead", f"{doc['compute_racks']:,} + {doc['overhead_racks']:,} = {doc['racks']:,}"),
        ("halls x racks per hall",
         f"{doc['halls']} x {doc['racks_per_hall']:,}  ({doc['hall_it_power_mw']:.2f} MW per hall)"),
        ("IT power, design (all racks at maximum)", f"{doc['it_power_mw']:.2f} MW"),
        ("IT power, typical", f"{doc['it_power_typical_mw']:.2f} MW"),
        ("heat to liquid / to air", f"{doc['heat_to_liquid_mw']:.2f} MW / {doc['heat_to_air_mw']:.2f} MW"),
        ("mean compute rack density", f"{doc['rack_density_kw']:.1f} kW"),
        ("peak dense BF16", f"{doc['bf16_dense_eflops']:.2f} EFLOPS"),
    ]
    w = max(len(k) for k, _ in summary)
    lines += [f"{k.ljust(w)}  {v}" for k, v in summary]
    return "\n".join(lines)
