"""Results as plain data: the stable JSON document of ``facility run --format json`` and the text table.

Keys are stable: later work adds keys, it does not rename or remove them. Units are in the key names
(``_mw``, ``_kw``, ``_kv``, ``_degc``, ``_eflops``); counts have none.
"""

from __future__ import annotations

import math
from typing import Any

from facility.campus import CampusResult
from facility.design_conditions import above_design_warning
from facility.house import house_loads
from facility.outputs import RESULT_KEYS as _RESULT_KEYS
from facility.power import PowerDesign, StageResult

__all__ = ["RESULT_KEYS", "SCHEMA_VERSION", "to_json", "to_table", "power_flows"]

SCHEMA_VERSION = 1

#: Numeric top-level results a scenario's ``[expect]`` table may bound, with their units (from the one output
#: table, :mod:`facility.outputs`).
RESULT_KEYS = _RESULT_KEYS


def _r(x: float, nd: int = 6) -> float:
    return round(float(x), nd)


def _num(x: float, nd: int = 6) -> float | None:
    """A JSON number, or null for an infinite value (a single failure that drops the load)."""
    return None if not math.isfinite(x) else round(float(x), nd)


def _rating_text(st: StageResult) -> str:
    """A unit rating as written on a nameplate: '2500 kVA', '1250 kW', '800 A'."""
    if st.unit_rating_unit == "A":
        return f"{st.unit_rating.m_as('A'):g} A"
    return f"{st.unit_rating.m_as(st.unit_rating_unit) / 1e3:g} k{st.unit_rating_unit}"


def _stages(power: PowerDesign) -> list[dict[str, Any]]:
    return [
        {
            "id": st.id, "name": st.name, "zone": st.zone, "deployment": st.deployment, "equipment": st.equipment,
            "kind": st.kind, "system": st.system, "redundancy": st.redundancy,
            "voltage_v": _r(st.voltage_out.m_as("V")),
            "current_a": _r(st.current.m_as("A"), 3),
            "current_per_unit_a": _r(st.current_per_unit.m_as("A"), 3),
            "current_per_accelerator_a": None if st.current_per_accelerator is None
            else _r(st.current_per_accelerator.m_as("A"), 3),
            "power_in_kw": _r(st.power_in.m_as("kW")), "power_out_kw": _r(st.power_out.m_as("kW")),
            "loss_kw": _r(st.loss.m_as("kW")), "efficiency": _r(st.efficiency, 8),
            "units_installed": st.units_installed, "units_required": st.units_required,
            "units_in_service": st.units_in_service,
            "unit_rating_kw": _r(st.unit_rating.m_as(st.unit_rating_unit) / 1e3) if st.unit_rating_unit != "A"
            else None,
            "unit_rating": _rating_text(st),
            "loading_normal": _num(st.loading_normal), "loading_failed": _num(st.loading_failed),
            "overload_on_failure": st.overload_on_failure,
            "copper_mass_kg": _r(st.copper_mass.m_as("kg"), 3),
        }
        for st in power.stages
    ]


def _equipment(power: PowerDesign) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for st in power.stages:
        if st.units_installed == 0:
            continue
        row = rows.setdefault(st.equipment, {
            "kind": st.kind, "model": st.equipment, "count": 0,
            "rating": _rating_text(st),
            "stages": []})
        row["count"] += st.units_installed
        if st.id not in row["stages"]:
            row["stages"].append(st.id)
    return list(rows.values())


def _q(x, unit: str, nd: int = 6) -> float | None:
    return None if x is None else _r(x.m_as(unit), nd)


def _cooling(result: CampusResult) -> dict[str, Any]:
    c = result.cooling
    cond = c.conditions
    return {
        "design_conditions": {"dry_bulb_degc": _q(cond.dry_bulb, "degC"),
                              "coincident_wet_bulb_degc": _q(cond.coincident_wet_bulb, "degC"),
                              "wet_bulb_degc": _q(cond.wet_bulb, "degC"), "pressure_kpa": _q(cond.pressure, "kPa"),
                              "source": cond.source},
        "loops": [{"name": lp.name, "coolant": lp.coolant, "heat_mw": _q(lp.heat, "MW"),
                   "supply_degc": _q(lp.supply, "degC"), "return_degc": _q(lp.return_, "degC"),
                   "flow_m3_per_h": _q(lp.volume_flow, "m^3/h"), "mass_flow_kg_per_s": _q(lp.mass_flow, "kg/s"),
                   "pressure_drop_kpa": _q(lp.pressure_drop, "kPa"), "pump_power_kw": _q(lp.pump_power, "kW"),
                   "main_pipe_diameter_m": _q(lp.pipe_diameter, "m"),
                   "components": [{"name": n, "pressure_drop_kpa": _r(float(dp) / 1e3)} for n, dp in lp.components]}
                  for lp in c.loops],
        "heat_rejection": [{"loop": p.loop, "economiser": p.economiser,
                            "economiser_leaving_degc": _q(p.economiser_leaving, "degC"),
                            "free_cooling_fraction": _r(p.free_cooling_fraction),
                            "economiser_heat_mw": _q(p.economiser_heat, "MW"),
                            "chiller_heat_mw": _q(p.chiller_heat, "MW"),
                            "chiller_cop": None if p.chiller_cop is None else _r(p.chiller_cop),
                            "compressor_power_kw": _q(p.compressor_power, "kW"), "fan_power_kw": _q(p.fan_power, "kW"),
                            "condenser_pump_power_kw": _q(p.condenser_pump_power, "kW"),
                            "heat_rejected_mw": _q(p.heat_rejected, "MW"),
                            "water_m3_per_h": _q(p.water, "m^3/h")} for p in c.plants],
        "equipment": [{"kind": e.kind, "model": e.model, "serves": e.serves, "units_required": e.units_required,
                       "units_installed": e.units_installed, "unit_capacity_kw": _q(e.unit_capacity, "kW"),
                       "load_mw": _q(e.load, "MW"), "loading_normal": _num(e.loading_normal),
                       "loading_failed": _num(e.loading_failed), "halls": e.groups} for e in c.equipment],
        "heat_in_mw": _q(c.heat_in, "MW"), "heat_rejected_mw": _q(c.heat_rejected, "MW"),
        "heat_electrical_rooms_mw": _q(c.heat_electrical_rooms, "MW"),
        "pump_power_mw": _q(c.pump_power, "MW"), "crah_fan_power_mw": _q(c.crah_fan_power, "MW"),
        "heat_rejection_fan_power_mw": _q(c.heat_rejection_fan_power, "MW"),
        "compressor_power_mw": _q(c.compressor_power, "MW"), "airflow_m3_per_s": _q(c.airflow, "m^3/s"),
        "case_temperature_degc": _q(c.case_temperature, "degC"),
        "case_temperature_max_degc": _q(c.case_temperature_max, "degC"),
        "cdu_effectiveness": None if c.cdu_effectiveness is None else _r(c.cdu_effectiveness),
        "cdu_ntu": None if c.cdu_ntu is None else _r(c.cdu_ntu),
        "coupling_iterations": result.iterations,
    }


def _annual(result: CampusResult) -> dict[str, Any]:
    a, d = result.annual, result.design_check
    if a is None:
        return {}
    return {
        "pue_annual": _r(a["pue_annual"], 8), "annual_energy_mwh": _r(a["annual_energy_mwh"], 3),
        "it_energy_mwh": _r(a["it_energy_mwh"], 3), "cooling_energy_mwh": _r(a["cooling_energy_mwh"], 3),
        "electrical_loss_energy_mwh": _r(a["electrical_loss_mwh"], 3), "peak_grid_mw": _r(a["peak_grid_mw"]),
        "peak_grid_time": a["peak_grid_time"], "wue_l_per_kwh": _r(a["wue_l_per_kwh"], 8),
        "water_annual_m3": _r(a["water_m3"], 3), "chiller_hours": a["chiller_hours"],
        "chiller_hours_air": a["chiller_hours_air"],
        "free_cooling_hours": a["free_cooling_hours"], "load_profile": result.scenario.load.profile,
        "hours_above_design": d["hours_above_design"], "max_above_design_mw": _r(d["max_above_design_mw"]),
        "peak_at_design_load_mw": _r(d["peak_at_design_load_mw"]),
        "design_warnings": [w for w in [above_design_warning(d, result.scenario.cooling.design_basis)] if w],
    }


def to_json(result: CampusResult) -> dict[str, Any]:
    """The JSON document of a sized campus (plain Python types, JSON-serialisable)."""
    scenario, load, power = result.scenario, result.load, result.power
    delivered = power.delivered_to_chips + power.delivered_to_overhead_it
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
        "power": {"architecture": scenario.power.architecture,
                  "mv_voltage_kv": _r(scenario.power.mv_voltage.m_as("kV")), "power_factor": power.power_factor},
        "cooling_inputs": {"tcs_supply_degc": _r(float(result.inputs.tcs_supply) - 273.15),
                           "heat_rejection": str(scenario.cooling.heat_rejection),
                           "air_heat_rejection": str(scenario.cooling.air_heat_rejection),
                           "tcs_coolant": scenario.cooling.tcs_coolant,
                           "design_basis": scenario.cooling.design_basis},
        "grid_import_mw": _r(power.grid_import.m_as("MW")),
        "grid_import_it_mw": _r(power.grid_import_it.m_as("MW")),
        "electrical_loss_mw": _r(power.electrical_loss.m_as("MW")),
        "in_rack_loss_mw": _r(power.in_rack_loss.m_as("MW")),
        "delivered_to_chips_mw": _r(power.delivered_to_chips.m_as("MW")),
        "copper_mass_t": _r(power.copper_mass.m_as("t")),
        "end_to_end_efficiency": _r((delivered / power.grid_import).m_as(""), 8) if power.grid_import.m else None,
        "electrical_chain_efficiency": (_r((delivered / power.grid_import_it).m_as(""), 8)
                                        if power.grid_import_it.m else None),
        "mechanical_share_of_grid": (_r((power.grid_import_mechanical / power.grid_import).m_as(""), 8)
                                     if power.grid_import.m else None),
        "facility_power_design_mw": _r(result.facility_power.m_as("MW")),
        "pue_design": _r(result.pue, 8),
        "cooling_power_mw": _r(result.cooling.cooling_power.m_as("MW")),
        "water_design_m3_per_h": _r(result.cooling.water.m_as("m^3/h")),
        "house_load_mw": _r(result.house_load.m_as("MW")),
        "ups_recharge_mw": _r(result.ups_recharge.m_as("MW")) if result.ups_recharge is not None else None,
        "ups_recharge_at_design": bool(result.scenario.cooling.ups_recharge_at_design),
        "house_loads": [{"name": n, "description": d, "mw": _r(float(w) / 1e6)}
                        for n, d, w in house_loads(result.scenario, result.load, result.inputs)],
        "cooling": _cooling(result),
        **_annual(result),
        "stages": _stages(power),
        "equipment": _equipment(power),
        "power_warnings": list(power.warnings),
        "cooling_warnings": list(getattr(result.cooling, "warnings", ())),
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
             f"power {doc['power']['architecture']};  cooling TCS supply {doc['cooling_inputs']['tcs_supply_degc']:g} degC, "
             f"{doc['cooling_inputs']['heat_rejection']}", ""]
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
        ("grid import at design (IT branch)", f"{doc['grid_import_mw']:.2f} MW ({doc['grid_import_it_mw']:.2f} MW)"),
        ("losses: outside racks / in racks", f"{doc['electrical_loss_mw']:.2f} MW / {doc['in_rack_loss_mw']:.2f} MW"),
        ("delivered to chips; chain grid-to-chips; end-to-end",
         f"{doc['delivered_to_chips_mw']:.2f} MW; {doc['electrical_chain_efficiency']:.1%}; "
         f"{doc['end_to_end_efficiency']:.1%} (cooling and house loads {doc['mechanical_share_of_grid']:.1%} of grid)"),
        ("copper in the power chain", f"{doc['copper_mass_t']:.1f} t"),
        ("cooling power at design", f"{doc['cooling_power_mw']:.2f} MW (house loads {doc['house_load_mw']:.2f} MW)"),
        ("FACILITY POWER AT DESIGN", f"{doc['facility_power_design_mw']:.2f} MW  (PUE {doc['pue_design']:.3f})"),
        ("water at design", f"{doc['water_design_m3_per_h']:.1f} m3/h"),
    ]
    if "pue_annual" in doc:
        summary += [
            ("YEAR: facility / IT / cooling energy",
             f"{doc['annual_energy_mwh'] / 1e3:,.1f} / {doc['it_energy_mwh'] / 1e3:,.1f} / "
             f"{doc['cooling_energy_mwh'] / 1e3:,.1f} GWh ({doc['load_profile']} load)"),
            ("annual PUE; WUE", f"{doc['pue_annual']:.3f}; {doc['wue_l_per_kwh']:.3f} L/kWh "
                                f"({doc['water_annual_m3']:,.0f} m3)"),
            ("peak grid demand of the year", f"{doc['peak_grid_mw']:.2f} MW at {doc['peak_grid_time']}"),
            ("chiller hours: liquid loop / air side", f"{doc['chiller_hours']:,} / {doc['chiller_hours_air']:,} "
                                                      f"(liquid loop free-cooled {doc['free_cooling_hours']:,} h)"),
            ("hours above design at full load", f"{doc['hours_above_design']} (max +{doc['max_above_design_mw']:.2f} MW)"),
        ]
    w = max(len(k) for k, _ in summary)
    lines += [f"{k.ljust(w)}  {v}" for k, v in summary]
    lines += ["", f"Power chain ({doc['power']['architecture']}), grid {doc['site']['grid_voltage_kv']:g} kV to chip:"]
    rows = [["stage", "V", "A total", "A/unit", "P in MW", "loss kW", "eff.", "units req/inst", "unit",
             "redund.", "load norm/fail"]]
    for st in doc["stages"]:
        if st["units_installed"] == 0:
            continue
        name = st["name"] + (f" [{st['deployment']}]" if st["deployment"] else "")
        per_acc = f" ({st['current_per_accelerator_a']:,.0f}/chip)" if st["current_per_accelerator_a"] else ""
        lf = st["loading_failed"]
        rows.append([name, f"{st['voltage_v']:,.6g}", f"{st['current_a']:,.0f}{per_acc}",
                     f"{st['current_per_unit_a']:,.1f}", f"{st['power_in_kw'] / 1e3:,.3f}", f"{st['loss_kw']:,.1f}",
                     f"{st['efficiency']:.2%}", f"{st['units_required']:,}/{st['units_installed']:,}", st["unit_rating"],
                     st["redundancy"], f"{st['loading_normal']:.0%}/" + ("lost" if lf is None else f"{lf:.0%}")])
    lines += _grid(rows, "lrrrrrrrlll")
    cool = doc["cooling"]
    dc = cool["design_conditions"]
    lines += ["", f"Cooling at design: dry bulb {dc['dry_bulb_degc']:.1f} degC (coincident wet bulb "
                  f"{dc['coincident_wet_bulb_degc']:.1f}), wet bulb {dc['wet_bulb_degc']:.1f} degC; {dc['source']}"]
    rows = [["loop", "coolant", "heat MW", "supply", "return", "flow m3/h", "dp kPa", "pump kW"]]
    for lp in cool["loops"]:
        rows.append([lp["name"], lp["coolant"], f"{lp['heat_mw']:.2f}", f"{lp['supply_degc']:.1f}",
                     f"{lp['return_degc']:.1f}", f"{lp['flow_m3_per_h']:,.0f}", f"{lp['pressure_drop_kpa']:.0f}",
                     f"{lp['pump_power_kw']:,.0f}"])
    lines += _grid(rows, "llrrrrrr")
    lines.append("")
    rows = [["plant for", "economiser", "leaves at", "free cooling", "chiller MW", "COP", "compr. kW", "fans kW",
             "water m3/h"]]
    for p in cool["heat_rejection"]:
        rows.append([p["loop"], p["economiser"] or "-",
                     "-" if p["economiser_leaving_degc"] is None else f"{p['economiser_leaving_degc']:.1f}",
                     f"{p['free_cooling_fraction']:.0%}", f"{p['chiller_heat_mw']:.2f}",
                     "-" if p["chiller_cop"] is None else f"{p['chiller_cop']:.2f}", f"{p['compressor_power_kw']:,.0f}",
                     f"{p['fan_power_kw']:,.0f}", f"{p['water_m3_per_h']:.1f}"])
    lines += _grid(rows, "llrrrrrrr")
    lines.append("")
    rows = [["equipment", "model", "serves", "req/inst", "unit kW", "load norm/fail"]]
    for e in cool["equipment"]:
        lf = e["loading_failed"]
        rows.append([e["kind"], e["model"], e["serves"], f"{e['units_required']:,}/{e['units_installed']:,}",
                     f"{e['unit_capacity_kw']:,.0f}",
                     f"{e['loading_normal']:.0%}/" + ("lost" if lf is None else f"{lf:.0%}")])
    lines += _grid(rows, "lllrrl")
    if cool["case_temperature_degc"] is not None:
        lines.append(f"chip case temperature {cool['case_temperature_degc']:.1f} degC "
                     f"(limit {cool['case_temperature_max_degc']:.0f} degC)")
    for wmsg in (*doc["power_warnings"], *doc.get("cooling_warnings", ()), *doc.get("design_warnings", ())):
        lines.append(f"warning: {wmsg}")
    return "\n".join(lines)


def power_flows(result: CampusResult) -> dict[str, list]:
    """Power flows from the grid through every stage to the chips, losses branching off, for a Sankey diagram.

    Returns ``{"labels": [...], "source": [...], "target": [...], "value_mw": [...]}``; every node's inflow equals
    its outflow (the power chain's energy closure).
    """
    p = result.power
    labels: list[str] = []
    flows: list[tuple[int, int, float]] = []

    def node(name: str) -> int:
        if name not in labels:
            labels.append(name)
        return labels.index(name)

    grid, losses, racks, chips = node("Grid"), node("Losses"), node("IT racks"), node("Chips")
    mech_sink = node("Cooling & house loads")

    def chain(stages, start: int, end: int) -> None:
        prev = start
        for st in stages:
            k = node(st.name)
            flows.append((prev, k, st.power_in.m_as("MW")))
            flows.append((k, losses, st.loss.m_as("MW")))
            prev = k
        flows.append((prev, end, stages[-1].power_out.m_as("MW") if stages else 0.0))

    by_zone: dict[str, list] = {"trunk": [], "it": [], "rack": [], "mechanical": []}
    for st in p.stages:
        if st.units_installed or st.zone == "rack":
            by_zone[st.zone].append(st)
    trunk_end = node("MV distribution")
    chain(by_zone["trunk"], grid, trunk_end)
    chain(by_zone["it"], trunk_end, racks)
    if by_zone["mechanical"]:
        chain(by_zone["mechanical"], trunk_end, mech_sink)
    rack_stages: dict[str, list] = {}
    for st in by_zone["rack"]:
        rack_stages.setdefault(st.id, []).append(st)
    prev = racks
    for group in rack_stages.values():
        k = node(group[0].name)
        flows.append((prev, k, sum(g.power_in.m_as("MW") for g in group)))
        flows.append((k, losses, sum(g.loss.m_as("MW") for g in group)))
        prev = k
    flows.append((prev, chips, p.delivered_to_chips.m_as("MW")))
    if p.delivered_to_overhead_it.m:
        flows.append((racks, node("Overhead IT"), p.delivered_to_overhead_it.m_as("MW")))
    flows = [f for f in flows if f[2] > 0]
    return {"labels": labels, "source": [f[0] for f in flows], "target": [f[1] for f in flows],
            "value_mw": [f[2] for f in flows]}
