"""What-if explorer: a thin Streamlit UI over the public API of ``facility`` (no physics here).

Start with ``streamlit run streamlit_app.py`` or ``facility app``. Pick a scenario (or upload / paste one), move
the inputs, and the campus is re-sized and re-run through its weather year; every figure is compared with the
scenario as loaded.
"""

from __future__ import annotations

import copy
import io
import json
import tomllib
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import streamlit as st

import facility
from facility import InfeasibleDesign, Scenario, ScenarioError
from facility.architectures import architecture_stages, architectures
from facility.cli import SCENARIO_DIR
from facility.export import write_hourly
from facility.results import power_flows, to_json
from facility.scenario import ASHRAE_LIQUID_CLASSES, HEAT_REJECTION, scenario_to_dict, scenario_to_toml
from facility.sites import bundled_sites

MAX_UPLOAD_BYTES = 256 * 1024
PLANTS = [p for p in ("dry-cooler+chiller", "adiabatic+chiller", "cooling-tower+chiller", "dry-cooler", "adiabatic",
                      "cooling-tower", "chiller") if all(x in HEAT_REJECTION for x in p.split("+"))]
REDUNDANCY = ["N", "N+1", "N+2", "2N", "2(N+1)", "4N/3", "3N/2", "catcher 4+1"]
WHAT_IF_KEYS = ("site", "system", "mode", "accelerators", "envelope", "architecture", "red", "liquid", "supply", "plant")


def reset_inputs_on_new_scenario(data: dict) -> None:
    """Every what-if input starts from the chosen scenario's value: forget the inputs when the scenario changes."""
    ident = json.dumps(data, sort_keys=True)
    if st.session_state.get("_scenario") != ident:
        for k in WHAT_IF_KEYS:
            st.session_state.pop(k, None)
        st.session_state["_scenario"] = ident


@st.cache_data(show_spinner=False, max_entries=64)
def solve(data_json: str, source: str) -> dict:
    """Size and run a scenario (cached by its content); returns the JSON document and the hourly Dataset."""
    scenario = Scenario.from_dict(json.loads(data_json), source=source, base=SCENARIO_DIR)
    result = facility.run(scenario)
    return {"doc": to_json(result), "hourly": result.hourly, "flows": power_flows(result),
            "toml": scenario_to_toml(scenario)}


def parse_upload(text: str, name: str) -> dict:
    """Validate an uploaded or pasted scenario; raises ScenarioError with the reason."""
    if len(text.encode()) > MAX_UPLOAD_BYTES:
        raise ScenarioError(f"file is larger than {MAX_UPLOAD_BYTES // 1024} kB; expected a scenario TOML file",
                            source=name)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"not valid TOML: {exc}", source=name) from None
    return scenario_to_dict(Scenario.from_dict(data, source=name, base=SCENARIO_DIR))


def base_scenario() -> tuple[dict, str]:
    files = sorted(SCENARIO_DIR.glob("*.toml"))
    names = [f.name for f in files]
    st.sidebar.header("Scenario")
    choice = st.sidebar.selectbox("Scenario file", names, index=names.index("default.toml"), key="scenario_file")
    upload = st.sidebar.file_uploader("…or upload a scenario (.toml)", type=["toml"], key="upload")
    pasted = st.sidebar.text_area("…or paste a scenario", value="", height=80, key="pasted")
    if upload is not None:
        return parse_upload(upload.getvalue().decode("utf-8", errors="replace"), upload.name), upload.name
    if pasted.strip():
        return parse_upload(pasted, "<pasted>"), "<pasted>"
    path = SCENARIO_DIR / choice
    return scenario_to_dict(facility.load_scenario(path)), choice


def what_if(data: dict) -> dict:
    """The inputs of the sidebar, each starting from the scenario's value; returns the modified scenario data."""
    d = copy.deepcopy(data)
    cat = facility.load_catalog()
    st.sidebar.header("What if")
    sites = sorted(bundled_sites())
    weather = d["site"]["weather"]
    options = sites if weather in sites else [weather, *sites]
    d["site"]["weather"] = st.sidebar.selectbox("Site / weather", options, index=options.index(weather), key="site")
    dep = d["compute"]["deployments"][0]
    systems = cat.names("rack", "pod")
    systems = systems if dep["system"] in systems else [dep["system"], *systems]
    dep["system"] = st.sidebar.selectbox("System (first deployment)", systems, index=systems.index(dep["system"]),
                                         key="system")
    mode = st.sidebar.radio("Size by", ["accelerators", "grid envelope"], horizontal=True, key="mode")
    if mode == "accelerators":
        current = dep.get("accelerators") or 0
        if not current:
            try:
                current = facility.it_load(Scenario.from_dict(data, base=SCENARIO_DIR)).deployments[0].accelerators
            except ScenarioError:
                current = 1000
        n = st.sidebar.number_input("Accelerators (first deployment)", min_value=1, max_value=2_000_000,
                                    value=int(current), step=1000, key="accelerators")
        for k in ("accelerators", "nodes", "racks", "pods", "compute_target"):
            dep.pop(k, None)
        dep["accelerators"] = int(n)
        envelope = None
    else:
        envelope = st.sidebar.number_input("Grid envelope [MW]", min_value=1.0, max_value=5000.0, value=300.0,
                                           step=10.0, key="envelope")
    archs = list(architectures())
    d.setdefault("power", {})
    arch = d["power"].get("architecture", "ac-480v")
    d["power"]["architecture"] = st.sidebar.selectbox("Power architecture", archs, index=archs.index(arch),
                                                      key="architecture")
    specs = {sp.id: sp for sp in architecture_stages(d["power"]["architecture"])[0]}
    block = next((b for b in ("ups", "rectifier", "unit-substation") if b in specs), None)
    stages = d["power"].setdefault("stages", {})
    stages = d["power"]["stages"] = {k: v for k, v in stages.items() if k in specs}  # keep what this one has
    if block is not None:
        current_red = stages.get(block, {}).get("redundancy", specs[block].redundancy)
        red = st.sidebar.selectbox(f"Redundancy of the {specs[block].name}", REDUNDANCY,
                                   index=REDUNDANCY.index(current_red) if current_red in REDUNDANCY else 5, key="red")
        stages.setdefault(block, {})["redundancy"] = red
    rack = next(e.name for e in cat.chain(dep["system"]) if e.kind == "rack") if dep["system"] in cat else None
    if rack is not None:
        lf0 = cat.liquid_fraction(rack)
        lf = st.sidebar.slider("Liquid fraction of the rack's heat", 0.0, 1.0, float(lf0), 0.05, key="liquid")
        if abs(lf - lf0) > 1e-9:
            d.setdefault("catalog", {}).setdefault(rack, {})["liquid_fraction"] = lf
    d.setdefault("cooling", {})
    t0 = d["cooling"].get("tcs_supply", "32 degC")
    t0 = ASHRAE_LIQUID_CLASSES.get(str(t0).upper(), None) or facility.Q_(t0).m_as("degC")
    t = st.sidebar.slider("Coolant supply temperature [°C]", 15.0, 50.0, float(t0), 1.0, key="supply")
    d["cooling"]["tcs_supply"] = f"{t:g} degC"
    plant = d["cooling"].get("heat_rejection", "dry-cooler+chiller")
    plants = PLANTS if plant in PLANTS else [plant, *PLANTS]
    d["cooling"]["heat_rejection"] = st.sidebar.selectbox("Heat rejection", plants, index=plants.index(plant),
                                                          key="plant")
    d["_envelope"] = envelope
    return d


def fit(data: dict, envelope: float, source: str) -> dict:
    scenario = Scenario.from_dict(data, source=source, base=SCENARIO_DIR)
    racks, _ = facility.fit_to_grid(scenario, facility.Q_(envelope, "MW"))
    dep = data["compute"]["deployments"][0]
    for k in ("accelerators", "nodes", "racks", "pods", "compute_target"):
        dep.pop(k, None)
    dep["racks"] = racks
    return data


HEADLINES = [("facility_power_design_mw", "Grid demand at design", "MW", "{:,.1f}"),
             ("peak_grid_mw", "Peak grid demand of the year", "MW", "{:,.1f}"),
             ("it_power_mw", "IT power (design)", "MW", "{:,.1f}"),
             ("pue_design", "PUE at design", "", "{:.3f}"),
             ("pue_annual", "PUE over the year", "", "{:.3f}"),
             ("wue_l_per_kwh", "WUE", "L/kWh", "{:.3f}"),
             ("annual_energy_mwh", "Annual energy", "GWh", "{:,.1f}"),
             ("accelerators", "Accelerators", "", "{:,.0f}"),
             ("racks", "Racks", "", "{:,.0f}"),
             ("chiller_hours", "Chiller hours", "h", "{:,.0f}")]


def headlines(doc: dict, base: dict) -> None:
    cols = st.columns(5)
    for i, (key, label, unit, fmt) in enumerate(HEADLINES):
        scale = 1e-3 if unit == "GWh" else 1.0
        v, b = doc[key] * scale, base[key] * scale
        delta = None if abs(v - b) < 1e-9 else fmt.format(v - b)
        cols[i % 5].metric(f"{label}" + (f" [{unit}]" if unit else ""), fmt.format(v), delta,
                           delta_color="off" if key in ("accelerators", "racks", "it_power_mw") else "inverse")


def sankey(flows: dict) -> go.Figure:
    fig = go.Figure(go.Sankey(node={"label": flows["labels"], "pad": 12},
                              link={"source": flows["source"], "target": flows["target"],
                                    "value": flows["value_mw"]}))
    fig.update_layout(title="Power from the grid to the chips [MW]", height=460, margin={"l": 10, "r": 10, "t": 40})
    return fig


def ladder(doc: dict) -> go.Figure:
    stages = [s for s in doc["stages"] if s["units_installed"] and s["zone"] != "mechanical"]
    names = ["Grid"] + [s["name"] + (f" [{s['deployment']}]" if s["deployment"] else "") for s in stages]
    volts = [doc["site"]["grid_voltage_kv"] * 1e3] + [s["voltage_v"] for s in stages]
    amps = [None] + [s["current_a"] for s in stages]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=names, y=volts, mode="lines+markers", name="voltage [V]"))
    fig.add_trace(go.Scatter(x=names, y=amps, mode="lines+markers", name="current, total [A]"))
    fig.update_yaxes(type="log", title="V / A (log)")
    fig.update_layout(title="Voltage ladder: voltage and current at each stage", height=420)
    return fig


def hourly_charts(ds) -> list[go.Figure]:
    t = ds["time"].values
    f1 = go.Figure()
    f1.add_trace(go.Scatter(x=t, y=ds["facility_power"].values / 1e6, name="facility [MW]"))
    f1.add_trace(go.Scatter(x=t, y=ds["it_power"].values / 1e6, name="IT [MW]"))
    f1.update_layout(title="Power over the year", height=320)
    f2 = go.Figure(go.Scatter(x=t, y=ds["pue"].values, name="PUE"))
    f2.update_layout(title="Hourly PUE", height=280)
    f3 = go.Figure()
    f3.add_trace(go.Scatter(x=t, y=ds["temp_air"].values, name="dry bulb [°C]"))
    f3.add_trace(go.Scatter(x=t, y=ds["temp_wet_bulb"].values, name="wet bulb [°C]"))
    f3.update_layout(title="Weather against the supply temperatures", height=300)
    f4 = go.Figure(go.Scatter(x=t, y=ds["compressor_power"].values / 1e6, name="compressors [MW]"))
    f4.update_layout(title="Chiller operation (compressor power) [MW]", height=260)
    return [f1, f2, f3, f4]


def comparison(doc: dict, base: dict) -> list[dict]:
    keys = ["it_power_mw", "facility_power_design_mw", "pue_design", "pue_annual", "annual_energy_mwh",
            "cooling_power_mw", "electrical_loss_mw", "copper_mass_t", "water_annual_m3", "chiller_hours"]
    return [{"quantity": k, "as loaded": base[k], "what-if": doc[k], "change": doc[k] - base[k]} for k in keys]


def main() -> None:
    st.set_page_config(page_title="AI campus power & cooling", layout="wide")
    st.title("AI campus power & cooling — what-if explorer")
    try:
        base_data, source = base_scenario()
    except ScenarioError as exc:
        st.error(f"Scenario not loaded: {exc}")
        return
    try:
        reset_inputs_on_new_scenario(base_data)
        data = what_if(base_data)
        envelope = data.pop("_envelope")
        if envelope is not None:
            data = fit(data, envelope, source)
        with st.spinner("Sizing the campus and running its year…"):
            base = solve(json.dumps(base_data, sort_keys=True), source)
            res = solve(json.dumps(data, sort_keys=True), source)
    except (ScenarioError, InfeasibleDesign) as exc:
        st.error(f"{'Infeasible design' if isinstance(exc, InfeasibleDesign) else 'Invalid input'}: {exc}")
        return
    doc, ds = res["doc"], res["hourly"]
    st.caption(f"{doc['scenario']} — {doc['site']['weather']}, {doc['power']['architecture']}, "
               f"{doc['cooling_inputs']['heat_rejection']}; design conditions: "
               f"{doc['cooling']['design_conditions']['source']}")
    headlines(doc, base["doc"])
    st.plotly_chart(sankey(res["flows"]), width="stretch")
    st.plotly_chart(ladder(doc), width="stretch")
    st.subheader("Equipment")
    rows = [{"kind": e["kind"], "model": e["model"], "count": e["count"], "rating": e["rating"], "serves": ""}
            for e in doc["equipment"]]
    rows += [{"kind": e["kind"], "model": e["model"], "count": e["units_installed"],
              "rating": f"{e['unit_capacity_kw']:,.0f} kW", "serves": e["serves"]} for e in doc["cooling"]["equipment"]]
    st.dataframe(rows, width="stretch", hide_index=True)
    st.subheader("Power stages")
    st.dataframe([{k: s[k] for k in ("name", "voltage_v", "current_a", "power_in_kw", "loss_kw", "efficiency",
                                     "units_required", "units_installed", "unit_rating", "loading_normal",
                                     "loading_failed")} for s in doc["stages"] if s["units_installed"]],
                 width="stretch", hide_index=True)
    st.subheader("The year")
    for fig in hourly_charts(ds):
        st.plotly_chart(fig, width="stretch")
    st.subheader("What-if against the scenario as loaded")
    st.dataframe(comparison(doc, base["doc"]), width="stretch", hide_index=True)
    sweep_view(data)
    st.subheader("Downloads")
    c1, c2, c3, c4 = st.columns(4)
    c1.download_button("Scenario (TOML)", res["toml"], file_name="what-if.toml", key="dl_toml")
    c2.download_button("Results (JSON)", json.dumps(doc, indent=2), file_name="results.json", key="dl_json")
    csv = ds.to_dataframe().to_csv()
    c3.download_button("Hourly (CSV)", csv, file_name="hourly.csv", key="dl_csv")
    c4.download_button("Hourly (NetCDF)", netcdf_bytes(ds), file_name="hourly.nc", key="dl_nc")


SWEEPABLE = {"cooling.tcs_supply": "Coolant supply temperature [°C]",
             "compute.deployments[0].accelerators": "Accelerators (first deployment)",
             "site.weather": "Site", "power.architecture": "Power architecture",
             "cooling.heat_rejection": "Heat rejection (liquid loop)"}
#: Most points of one sweep in the explorer: continuous keys run as vectorised batches (~3 ms per point and
#: weather year on the CI machine, benchmarks/README.md), so 1,600 points answer in a few seconds.
MAX_SWEEP_POINTS = 1600


def sweep_values(key: str, slot: str, data: dict) -> list:
    """Inputs for the values of one swept key."""
    if key == "cooling.tcs_supply":
        lo, hi = st.slider(f"Range ({slot})", 15.0, 50.0, (25.0, 45.0), 1.0, key=f"sw_range_{slot}")
        n = st.number_input(f"Points ({slot})", 2, 40, 11, key=f"sw_n_{slot}")
        return [f"{t:g} degC" for t in np.linspace(lo, hi, int(n))]
    if key == "compute.deployments[0].accelerators":
        lo, hi = st.slider(f"Range ({slot})", 1_000, 400_000, (50_000, 200_000), 1_000, key=f"sw_range_{slot}")
        n = st.number_input(f"Points ({slot})", 2, 40, 7, key=f"sw_n_{slot}")
        return [int(x) for x in np.linspace(lo, hi, int(n))]
    if key == "site.weather":
        return st.multiselect(f"Sites ({slot})", sorted(bundled_sites()), default=["chicago-il", "tampa-fl"],
                              key=f"sw_sites_{slot}")
    if key == "cooling.heat_rejection":
        return st.multiselect(f"Plants ({slot})", ["dry-cooler+chiller", "adiabatic+chiller",
                                                   "cooling-tower+chiller", "dry-cooler", "chiller"],
                              default=["dry-cooler+chiller", "cooling-tower+chiller"], key=f"sw_plants_{slot}")
    return st.multiselect(f"Architectures ({slot})", list(architectures()), default=["ac-480v", "dc-800v"],
                          key=f"sw_arch_{slot}")


@st.cache_data(show_spinner=False, max_entries=16)
def run_sweep(data_json: str, variations_json: str):
    from facility.sweep import sweep

    scenario = Scenario.from_dict(json.loads(data_json), base=SCENARIO_DIR)
    return sweep(scenario, json.loads(variations_json))


def sweep_view(data: dict) -> None:
    from facility.sweep import SWEEP_KPIS

    with st.expander("Sweep: vary one or two inputs and compare a KPI"):
        keys = list(SWEEPABLE)
        k1 = st.selectbox("First input", keys, format_func=SWEEPABLE.get, key="sw_k1")
        v1 = sweep_values(k1, "first", data)
        k2 = st.selectbox("Second input (optional)", ["(none)", *[k for k in keys if k != k1]],
                          format_func=lambda k: SWEEPABLE.get(k, k), key="sw_k2")
        variations = {k1: v1}
        if k2 != "(none)":
            variations[k2] = sweep_values(k2, "second", data)
        kpi = st.selectbox("KPI", list(SWEEP_KPIS), index=list(SWEEP_KPIS).index("pue_annual"), key="sw_kpi")
        points = int(np.prod([len(v) for v in variations.values()]))
        if points > MAX_SWEEP_POINTS:
            st.warning(f"{points:,} points; the explorer runs up to {MAX_SWEEP_POINTS:,} (use `facility sweep` "
                       "for more, on dask if one machine is not enough)")
        if st.button(f"Run the sweep ({points:,} design points)", key="sw_run",
                     disabled=points == 0 or points > MAX_SWEEP_POINTS):
            ds = run_sweep(json.dumps(data, sort_keys=True), json.dumps(variations))
            unit = SWEEP_KPIS[kpi][0]
            if len(variations) == 2:
                fig = go.Figure(go.Heatmap(z=ds[kpi].values, x=[str(v) for v in ds[k2].values],
                                           y=[str(v) for v in ds[k1].values], colorbar={"title": unit}))
                fig.update_layout(xaxis_title=SWEEPABLE[k2], yaxis_title=SWEEPABLE[k1], title=kpi)
            else:
                fig = go.Figure(go.Scatter(x=[str(v) for v in ds[k1].values], y=ds[kpi].values, mode="lines+markers"))
                fig.update_layout(xaxis_title=SWEEPABLE[k1], yaxis_title=f"{kpi} [{unit}]")
            st.plotly_chart(fig, width="stretch")


def netcdf_bytes(ds) -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = write_hourly(ds, Path(d) / "hourly.nc")
        return io.BytesIO(path.read_bytes()).getvalue()


try:
    main()
except Exception as exc:  # never a traceback in the page
    st.error(f"Internal error: {exc.__class__.__name__}: {exc}. Please report it with the scenario.")
