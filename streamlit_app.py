"""What-if explorer: a thin Streamlit UI over the public API of ``facility`` (no physics here).

Start with ``streamlit run streamlit_app.py`` or ``facility app``. Choose where the scenario comes from (a bundled
file, an upload or a pasted text: the last one touched is used, and the page says which), change the inputs and
press Apply: the campus is re-sized and re-run through its weather year. The inputs always show the scenario that
is computed: they are set from the scenario whenever it changes, and a what-if differs from the scenario only in
the inputs that were changed (listed under the title). Pin designs to compare them side by side.

Every computation runs in a worker thread with a time limit (``FACILITY_APP_TIME_LIMIT`` seconds for a design,
``FACILITY_APP_SWEEP_TIME_LIMIT`` for a sweep); results are cached by scenario content; downloads are built only
when asked for.
"""

from __future__ import annotations

import concurrent.futures
import copy
import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import streamlit as st

import facility
from facility import InfeasibleDesign, Scenario, ScenarioError
from facility.architectures import architecture_stages, architectures
from facility.explore import SCENARIO_DIR as BASE_DIR
from facility.explore import (
    bundled_scenarios,
    changed_keys,
    constraints,
    delta_table,
    design_warnings,
    equipment_list,
    example_supply,
    hourly_csv,
    load_duration,
    monthly,
    public_doc,
    rows_csv,
    scenario_file_name,
    what_if_toml,
    xlsx_bytes,
)
from facility.export import write_hourly
from facility.inputs import COUNT_KEYS
from facility.results import power_flows, to_json
from facility.scenario import parse_scenario_text, scenario_to_dict
from facility.sites import bundled_sites

MAX_UPLOAD_BYTES = 256 * 1024
MAX_WEATHER_BYTES = 5 * 1024 * 1024  # an EPW year is ~1.6 MB
#: Time limits [s]: a design of the largest bundled campus takes < 1 s, a 1,600-point sweep ~5 s on 2 cores.
TIME_LIMIT = float(os.environ.get("FACILITY_APP_TIME_LIMIT", "60"))
SWEEP_TIME_LIMIT = float(os.environ.get("FACILITY_APP_SWEEP_TIME_LIMIT", "300"))
PLANTS = ["dry-cooler+chiller", "adiabatic+chiller", "cooling-tower+chiller", "dry-cooler", "adiabatic",
          "cooling-tower", "chiller"]
REDUNDANCY = ["N", "N+1", "N+2", "2N", "2(N+1)", "4N/3", "3N/2", "catcher 4+1"]
BLOCKS = ("ups", "rectifier", "unit-substation")  # the stage whose redundancy the sidebar sets
SOURCES = ["Bundled scenario", "Upload", "Paste"]
DESIGN_HELP = ("Design: every rack at its maximum power on the design hour (by default the site's ASHRAE 20-year "
               "extreme dry bulb with its coincident wet bulb, the extreme wet bulb for towers: design_basis "
               "extreme-n20); what the grid connection and the equipment are sized for.")
YEAR_HELP = ("Year: hour by hour through the site's typical weather year, the racks at the load profile's typical "
             "power (not their maximum), so the year's peak normally sits below the design demand.")


class TimeLimitReached(Exception):
    """A computation ran past its time limit."""


# ------------------------------------------------------------------------------------------ computation
@st.cache_resource
def executor() -> concurrent.futures.ThreadPoolExecutor:
    return concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="facility")


def with_time_limit(limit: float, fn, *args):
    """``fn(*args)`` in a worker thread; raises :class:`TimeLimitReached` after ``limit`` seconds (the worker
    finishes in the background: Python threads cannot be stopped)."""
    future = executor().submit(fn, *args)
    try:
        return future.result(timeout=limit)
    except concurrent.futures.TimeoutError:
        raise TimeLimitReached(f"the computation did not finish within its time limit of {limit:g} s; make the "
                               "campus or the sweep smaller, or run it with the `facility` command line") from None


def _solve(data_json: str) -> dict:
    scenario = Scenario.from_dict(json.loads(data_json), source="what-if", base=BASE_DIR)
    result = facility.run(scenario)
    return {"doc": to_json(result), "hourly": result.hourly, "flows": power_flows(result)}


@st.cache_data(show_spinner=False, max_entries=64)
def solve(data_json: str) -> dict:
    """Size and run a scenario (cached by its content): the JSON document, the hourly Dataset, the power flows."""
    return with_time_limit(TIME_LIMIT, _solve, data_json)


def _fit(data_json: str, envelope_mw: float) -> int:
    scenario = Scenario.from_dict(json.loads(data_json), source="what-if", base=BASE_DIR)
    return facility.fit_to_grid(scenario, facility.Q_(envelope_mw, "MW"))[0]


@st.cache_data(show_spinner=False, max_entries=32)
def fit_racks(data_json: str, envelope_mw: float) -> int:
    """The most racks of the first deployment within the grid envelope (cached)."""
    return with_time_limit(TIME_LIMIT, _fit, data_json, envelope_mw)


@st.cache_data(show_spinner=False, max_entries=64)
def parse_text(text: str, name: str) -> dict:
    """Validate an uploaded or pasted scenario; the plain data, or ScenarioError with the reason."""
    if len(text.encode()) > MAX_UPLOAD_BYTES:
        raise ScenarioError(f"the text is larger than {MAX_UPLOAD_BYTES // 1024} kB; expected a scenario TOML file",
                            source=name)
    return scenario_to_dict(parse_scenario_text(text, source=name, base=BASE_DIR))


@st.cache_data(show_spinner=False)
def load_bundled(name: str) -> dict:
    return scenario_to_dict(facility.load_scenario(bundled_scenarios()[name]))


@st.cache_data(show_spinner=False, max_entries=64)
def scenario_facts(data_json: str) -> dict:
    """Per system of the catalog (with the scenario's overrides): its rack and that rack's liquid fraction."""
    s = Scenario.from_dict(json.loads(data_json), base=BASE_DIR)
    cat = s.hardware
    out = {}
    for name in cat.names("rack", "pod"):
        rack = next((e.name for e in cat.chain(name) if e.kind == "rack"), None)
        if rack is not None:
            try:
                out[name] = [rack, float(cat.liquid_fraction(rack))]
            except ScenarioError:
                pass
    return out


@st.cache_data(show_spinner=False)
def arch_blocks() -> dict:
    """Per architecture: the block stage whose redundancy the sidebar sets, its name and default scheme."""
    out = {}
    for a in architectures():
        specs = {sp.id: sp for sp in architecture_stages(a)[0]}
        block = next((b for b in BLOCKS if b in specs), None)
        out[a] = {"stages": list(specs), "block": block, "name": specs[block].name if block else None,
                  "default": specs[block].redundancy if block else None}
    return out


# ------------------------------------------------------------------------------------------ the scenario
def set_source(which: str) -> None:
    st.session_state["source"] = which


def on_upload() -> None:
    set_source("Upload" if st.session_state.get("upload") is not None else "Bundled scenario")


def on_paste() -> None:
    set_source("Paste" if (st.session_state.get("pasted") or "").strip() else "Bundled scenario")


def base_scenario() -> tuple[dict | None, str]:
    """The scenario as loaded from the chosen source: (data, label), or (None, message) when there is none."""
    sb = st.sidebar
    sb.header("Scenario")
    names = list(bundled_scenarios())
    st.session_state.setdefault("source", SOURCES[0])
    source = sb.radio("Use", SOURCES, horizontal=True, key="source",
                      help="Only the chosen source is used; touching one of them chooses it.")
    choice = sb.selectbox("Bundled scenario", names, key="scenario_file", on_change=set_source,
                          args=(SOURCES[0],))
    upload = sb.file_uploader(f"Upload a scenario (.toml, up to {MAX_UPLOAD_BYTES // 1024} kB)", type=["toml"],
                              key="upload", on_change=on_upload, max_upload_size=1,
                              help=f"A scenario TOML file of at most {MAX_UPLOAD_BYTES // 1024} kB; larger files are "
                                   "refused before they are read.")
    pasted = sb.text_area("Paste a scenario (TOML)", height=80, key="pasted", on_change=on_paste,
                          help=f"At most {MAX_UPLOAD_BYTES // 1024} kB.")
    if source == "Upload":
        if upload is None:
            return None, "Choose a scenario file to upload (or another source)."
        raw = upload.getvalue()
        if len(raw) > MAX_UPLOAD_BYTES:
            raise ScenarioError(f"the file is {len(raw) / 1024:,.0f} kB; scenario files are limited to "
                                f"{MAX_UPLOAD_BYTES // 1024} kB", source=upload.name)
        return parse_text(raw.decode("utf-8", errors="replace"), upload.name), upload.name
    if source == "Paste":
        if not (pasted or "").strip():
            return None, "Paste a scenario's TOML text (or choose another source)."
        return parse_text(pasted, "<pasted>"), "<pasted>"
    return load_bundled(choice), choice


def weather_upload() -> None:
    """An uploaded EPW file (with its ASHRAE .stat and design-day .ddy files, if given) becomes a site choice and is
    chosen;
    the files are kept in a temporary folder of the server, named by the hash of their contents."""
    files = st.session_state.get("weather_upload") or []
    epw = [f for f in files if f.name.lower().endswith(".epw")]
    ddy = [f for f in files if f.name.lower().endswith(".ddy")]
    stat = [f for f in files if f.name.lower().endswith(".stat")]
    if not files:
        return
    if len(epw) != 1 or len(ddy) > 1 or len(stat) > 1 or any(f.size > MAX_WEATHER_BYTES for f in files):
        st.session_state["weather_error"] = ("expected one EnergyPlus weather file (.epw) and at most one ASHRAE "
                                             "design-day file (.ddy) and one climate summary (.stat), each of at "
                                             f"most {MAX_WEATHER_BYTES // 2**20} "
                                             f"MB; got {', '.join(f.name for f in files)}")
        return
    raw = epw[0].getvalue()
    extra = (ddy[0].getvalue() if ddy else b"") + b"|" + (stat[0].getvalue() if stat else b"")
    folder = Path(tempfile.gettempdir()) / "facility-app-weather"
    folder.mkdir(exist_ok=True)
    path = folder / f"{hashlib.sha256(raw + b'|' + extra).hexdigest()[:16]}.epw"  # the pair names the files
    path.write_bytes(raw)
    if ddy:
        path.with_suffix(".ddy").write_bytes(ddy[0].getvalue())
    if stat:
        path.with_suffix(".stat").write_bytes(stat[0].getvalue())
    st.session_state.setdefault("weather_names", {})[str(path)] = epw[0].name
    st.session_state["site"] = str(path)
    st.session_state.pop("weather_error", None)


def key(name: str, i: int) -> str:
    """Widget key of a per-deployment input (the first deployment keeps the plain name)."""
    return name if i == 0 else f"{name}_{i}"


def scenario_inputs(base: dict, doc: dict) -> dict:
    """The value of every input for the scenario as loaded (what the sidebar shows before any change)."""
    facts = scenario_facts(json.dumps(base, sort_keys=True))
    values = {"site": base["site"]["weather"], "mode": "accelerators", "envelope": None}
    for i, dep in enumerate(base["compute"]["deployments"]):
        values[key("system", i)] = dep["system"]
        values[key("accelerators", i)] = int(dep.get("accelerators") or doc["deployments"][i]["accelerators"])
        values[key("liquid", i)] = float(facts.get(dep["system"], [None, doc["deployments"][i]["liquid_fraction"]])[1])
    arch = base["power"]["architecture"]
    blk = arch_blocks()[arch]
    values["architecture"] = arch
    values["red"] = base["power"].get("stages", {}).get(blk["block"], {}).get("redundancy") or blk["default"] or "N"
    values["supply"] = float(facility.Q_(base["cooling"]["tcs_supply"]).m_as("degC"))
    values["plant"] = base["cooling"]["heat_rejection"]
    return values


def reset_inputs(values: dict) -> None:
    """Every input shows the scenario's value: set when the scenario changes (before the widgets exist)."""
    for k in [k for k in st.session_state if k.split("_")[0] in ("system", "accelerators", "liquid")
              and k not in values]:
        del st.session_state[k]  # deployments of the previous scenario
    for k, v in values.items():
        st.session_state[k] = v
    st.session_state["applied"] = dict(values)


def on_apply(defaults_json: str) -> None:
    """Apply pressed: a new system brings its own liquid fraction, a new architecture its own redundancy, unless
    that input was changed too (runs before the page, so the widgets then show what is computed)."""
    defaults = json.loads(defaults_json)
    applied = st.session_state.get("applied", {})
    ss = st.session_state
    for k in list(ss.keys()):
        if isinstance(k, str) and k.split("_")[0] == "system" and k in applied and ss[k] != applied[k]:
            lk = "liquid" + k[len("system"):]
            if ss.get(lk) == applied.get(lk) and ss[k] in defaults["liquid"]:
                ss[lk] = defaults["liquid"][ss[k]]
    if ss.get("architecture") != applied.get("architecture") and ss.get("red") == applied.get("red"):
        ss["red"] = defaults["red"].get(ss["architecture"], ss.get("red"))
    ss["applied"] = {k: ss[k] for k in applied if k in ss}


def inputs_form(base: dict, values: dict, doc: dict) -> None:
    """The what-if inputs in one form: several changes, one rerun (Apply)."""
    sb = st.sidebar
    sb.header("What if")
    sites = sorted(bundled_sites())
    names = st.session_state.get("weather_names", {})
    facts = scenario_facts(json.dumps(base, sort_keys=True))
    systems = sorted(facts)
    archs = list(arch_blocks())
    red_options = REDUNDANCY + [r for r in [values["red"]] if r not in REDUNDANCY]
    plants = PLANTS + [p for p in [values["plant"]] if p not in PLANTS]
    base_arch = base["power"]["architecture"]
    defaults = {"liquid": {s: f[1] for s, f in facts.items()},
                "red": {a: (values["red"] if a == base_arch else b["default"]) for a, b in arch_blocks().items()}}
    cond = doc["cooling"]["design_conditions"]
    with sb.form("what_if", border=False):
        site_options = sites + [w for w in dict.fromkeys([values["site"], st.session_state.get("site"), *names])
                                if w and w not in sites]
        st.selectbox("Site / weather", site_options, key="site",
                     format_func=lambda w: f"uploaded: {names[w]}" if w in names else Path(w).name,
                     help=f"Design conditions of the computed site: {cond['dry_bulb_degc']:.1f} °C dry bulb, "
                          f"{cond['wet_bulb_degc']:.1f} °C wet bulb ({cond['source']}).")
        for i, dep in enumerate(base["compute"]["deployments"]):
            label = dep.get("name") or dep["system"]
            st.markdown(f"**Deployment {i + 1}**: {label}")
            opts = systems + [s for s in [values[key("system", i)]] if s not in systems]
            st.selectbox("System", opts, key=key("system", i),
                         help="Rack or pod type; its liquid fraction comes with it unless you change that too.")
            st.number_input("Accelerators", min_value=1, max_value=2_000_000, step=1000, key=key("accelerators", i),
                            help="Requested count; whole racks are installed (the headline shows them). "
                                 "Ignored for the first deployment when sizing by grid envelope.")
            st.slider("Liquid fraction of the rack's heat", 0.0, 1.0, step=0.05, key=key("liquid", i),
                      help="Share of the rack's heat carried by liquid (cold plates); the rest goes to air.")
        st.radio("Size the first deployment by", ["accelerators", "grid envelope"], horizontal=True, key="mode")
        st.number_input("Grid envelope [MW] (optional)", min_value=1.0, max_value=5000.0, step=10.0, key="envelope",
                        help="Grid capacity at the point of interconnection; when given, the design demand is "
                             "checked against it, and 'grid envelope' sizing fits the most racks into it.")
        st.selectbox("Power architecture", archs, key="architecture")
        st.selectbox("Redundancy of the UPS / rectifier block", red_options, key="red",
                     help="Redundancy of the architecture's UPS, rectifier or unit-substation stage.")
        lo, hi = min(15.0, values["supply"]), max(50.0, values["supply"])
        st.slider("Coolant supply temperature [°C]", lo, hi, step=0.5, key="supply",
                  help="Technology cooling system (TCS) supply to the cold plates.")
        st.selectbox("Heat rejection", plants, key="plant")
        st.form_submit_button("Apply", type="primary", key="apply", on_click=on_apply,
                              args=(json.dumps(defaults),), width="stretch")


def what_if(base: dict, values: dict) -> dict:
    """The scenario data of the inputs: the loaded scenario with only the changed inputs written into it."""
    ss = st.session_state
    d = copy.deepcopy(base)
    facts = scenario_facts(json.dumps(base, sort_keys=True))
    if ss["site"] != base["site"]["weather"]:
        d["site"]["weather"] = ss["site"]
        uploaded = Path(ss["site"])
        if (uploaded.is_absolute() and not uploaded.with_suffix(".ddy").is_file()
                and str(d["cooling"].get("design_basis", "")).startswith("ashrae")):
            d["cooling"]["design_basis"] = "weather-max"  # no design-day file: the year's hottest hour
    for i, dep in enumerate(d["compute"]["deployments"]):
        system = ss[key("system", i)]
        n = int(ss[key("accelerators", i)])
        if system != dep["system"]:
            dep["system"] = system
        if (n != values[key("accelerators", i)] or system != base["compute"]["deployments"][i]["system"]) \
                and dep.get("accelerators") != n:
            for k in COUNT_KEYS:
                dep.pop(k, None)
            dep["accelerators"] = n
        lf = float(ss[key("liquid", i)])
        if system in facts and abs(lf - facts[system][1]) > 1e-9:
            d.setdefault("catalog", {}).setdefault(facts[system][0], {})["liquid_fraction"] = lf
    arch = ss["architecture"]
    blk = arch_blocks()[arch]
    if arch != base["power"]["architecture"]:
        d["power"]["architecture"] = arch
        d["power"]["stages"] = {k: v for k, v in d["power"].get("stages", {}).items() if k in blk["stages"]}
    if blk["block"] is not None:
        current = d["power"].get("stages", {}).get(blk["block"], {}).get("redundancy") or blk["default"]
        if ss["red"] != current:
            d["power"].setdefault("stages", {}).setdefault(blk["block"], {})["redundancy"] = ss["red"]
    if abs(float(ss["supply"]) - values["supply"]) > 1e-9:
        d["cooling"]["tcs_supply"] = f"{float(ss['supply']):g} degC"
    if ss["plant"] != base["cooling"]["heat_rejection"]:
        d["cooling"]["heat_rejection"] = ss["plant"]
    return d


# ------------------------------------------------------------------------------------------ views
HEADLINES = [("facility_power_design_mw", "Grid at design", "MW", "{:,.1f}", DESIGN_HELP),
             ("peak_grid_mw", "Grid peak of the year", "MW", "{:,.1f}", YEAR_HELP),
             ("it_power_mw", "IT at design", "MW", "{:,.1f}", DESIGN_HELP),
             ("pue_design", "PUE at design", "", "{:.3f}", DESIGN_HELP),
             ("pue_annual", "PUE over the year", "", "{:.3f}", YEAR_HELP + " Energy in over IT energy."),
             ("wue_l_per_kwh", "WUE", "L/kWh", "{:.3f}", "Water over the year per kWh of IT energy."),
             ("annual_energy_mwh", "Energy per year", "GWh", "{:,.1f}", YEAR_HELP),
             ("accelerators", "Accelerators", "", "{:,.0f}", "Installed: the requested count in whole racks."),
             ("chiller_hours", "Chillers, liquid", "h", "{:,.0f}",
              "Chiller hours: hours of the year a chiller runs on the facility-water (liquid) loop."),
             ("chiller_hours_air", "Chillers, air side", "h", "{:,.0f}",
              "Chiller hours: hours of the year a chiller runs on the chilled-water loop of the CRAHs (the heat "
              "that leaves the racks in air).")]


def fmt_delta(fmt: str, v: float, b: float) -> str | None:
    """The change as displayed, or None when it rounds to nothing at the display precision."""
    d = fmt.format(v - b)
    return None if float(d.replace(",", "")) == 0 else ("+" + d if not d.startswith("-") else d)


def headlines(doc: dict, base: dict) -> None:
    cols = st.columns(5)
    for i, (k, label, unit, fmt, help_) in enumerate(HEADLINES):
        scale = 1e-3 if unit == "GWh" else 1.0
        if doc.get(k) is None:
            cols[i % 5].metric(label, "–", help=help_)
            continue
        v, b = doc[k] * scale, (base.get(k) or 0.0) * scale
        cols[i % 5].metric(label + (f" [{unit}]" if unit else ""), fmt.format(v), fmt_delta(fmt, v, b),
                           delta_color="off" if k in ("accelerators", "it_power_mw") else "inverse", help=help_)


def constraint_view(doc: dict, envelope: float | None) -> None:
    rows = constraints(doc, envelope)
    cols = st.columns(len(rows))
    for c, r in zip(cols, rows, strict=True):
        mark = "–" if r["ok"] is None else ("✓" if r["ok"] else "⚠")
        if r["value"] is None:
            value = "n/a"
        elif r["unit"] == "-":
            value = f"{r['value']:.1%}"
        else:
            value = f"{r['value']:,.1f} {r['unit']}" if r["unit"] != "h" else f"{r['value']:,.0f} h"
        c.metric(f"{mark} {r['constraint']}", value, help=r["note"], border=True)
        c.caption(r["note"])
    for w in design_warnings(doc):
        st.warning(w)


def wrap(text: str, width: int = 10) -> str:
    """Break a label into lines of about ``width`` characters (``<br>``) so that neighbouring columns of the Sankey
    do not overwrite each other."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


def sankey(flows: dict) -> dict:
    """The Sankey of the power flows, as a plotly figure dict (built in one piece: ~10x faster than updates)."""
    n = len(flows["labels"])
    inflow, outflow = np.zeros(n), np.zeros(n)
    for s, t, v in zip(flows["source"], flows["target"], flows["value_mw"], strict=True):
        outflow[s] += v
        inflow[t] += v
    through = np.maximum(inflow, outflow)
    labels = [f"{wrap(name)}<br>{mw:,.1f} MW" for name, mw in zip(flows["labels"], through, strict=True)]
    trace = {"type": "sankey", "textfont": {"size": 10},
             "node": {"label": labels, "pad": 22, "thickness": 12, "hovertemplate": "%{label}<extra></extra>"},
             "link": {"source": flows["source"], "target": flows["target"], "value": flows["value_mw"],
                      "hovertemplate": "%{source.label} → %{target.label}<br>%{value:,.2f} MW<extra></extra>"}}
    return {"data": [trace], "layout": {"title": {"text": "Power from the grid to the chips [MW]"}, "height": 560,
                                        "margin": {"l": 10, "r": 10, "t": 40, "b": 10}}}


def ladder(doc: dict) -> dict:
    """Voltage and current at each stage on a log axis, as a plotly figure dict."""
    stages = [s for s in doc["stages"] if s["units_installed"] and s["zone"] != "mechanical"]
    names = ["Grid"] + [s["name"] + (f" [{s['deployment']}]" if s["deployment"] else "") for s in stages]
    volts = [doc["site"]["grid_voltage_kv"] * 1e3] + [s["voltage_v"] for s in stages]
    amps = [None] + [s["current_a"] for s in stages]
    data = [{"type": "scatter", "x": names, "y": volts, "mode": "lines+markers", "name": "voltage [V]",
             "line": {"color": "#1f5fa8"}},
            {"type": "scatter", "x": names, "y": amps, "mode": "lines+markers", "name": "current, total [A]",
             "line": {"color": "#e4572e"}}]
    layout = {"title": {"text": "Voltage ladder: voltage and current at each stage"}, "height": 440,
              "legend": LEGEND, "margin": {"t": 60}, "xaxis": {"tickangle": -30},
              "yaxis": {"type": "log", "title": {"text": "voltage [V] / current [A] (log)"}}}
    return {"data": data, "layout": layout}


#: Legends right-aligned above the plot area, clear of the title (left) and of the plot.
LEGEND = {"orientation": "h", "x": 1.0, "xanchor": "right", "y": 1.02, "yanchor": "bottom"}
def hline(y: float, text: str, dash: str = "dash", right: bool = True) -> tuple[dict, dict]:
    """A horizontal reference line across the plot and its label on a white box (readable over the data)."""
    shape = {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": y, "y1": y,
             "line": {"dash": dash, "color": "#333", "width": 1.5}}
    note = {"xref": "paper", "x": 1 if right else 0, "xanchor": "right" if right else "left", "yref": "y", "y": y,
            "yanchor": "bottom", "text": text, "showarrow": False, "bgcolor": "rgba(255,255,255,0.85)",
            "font": {"size": 11}}
    return shape, note


def year_layout(title: str, height: int, yaxis: dict, lines: list[tuple[dict, dict]], **more) -> dict:
    """A typical meteorological year: months on the axis, not a calendar year."""
    return {"title": {"text": title}, "height": height, "margin": {"t": 60, "b": 40}, "legend": LEGEND,
            "xaxis": {"tickformat": "%b", "dtick": "M1", "hoverformat": "%d %b %H:00",
                      "title": {"text": "typical year (month)"}},
            "yaxis": yaxis, "shapes": [s for s, _ in lines], "annotations": [n for _, n in lines], **more}


def trace(x, y, name: str, color: str | None = None, **more) -> dict:
    return {"type": "scattergl", "x": x, "y": y, "name": name, "mode": "lines",
            "line": {"color": color, "width": 1.5} if color else {"width": 1.5}, **more}


def year_charts(ds, doc: dict) -> list[go.Figure]:
    """The charts of the year, built as figure dicts in one piece (plotly's update calls cost ~25 ms each)."""
    t = ds["time"].values
    design = doc["facility_power_design_mw"]
    f1 = {"data": [trace(t, ds["facility_power"].values / 1e6, "grid demand [MW]", "#1f5fa8"),
                   trace(t, ds["it_power"].values / 1e6, "IT [MW]", "#9ecae1")],
          "layout": year_layout("Power over the year", 340, {"title": {"text": "power [MW]"}},
                                [hline(design, "design demand")])}
    loops = [hline(lp["supply_degc"], f"{lp['name']} supply {lp['supply_degc']:.0f} °C", "dot", right=i % 2 == 0)
             for i, lp in enumerate(doc["cooling"]["loops"])]
    f2 = {"data": [trace(t, ds["temp_air"].values, "dry bulb [°C]", "#e4572e"),
                   trace(t, ds["temp_wet_bulb"].values, "wet bulb [°C]", "#2e86de")],
          "layout": year_layout("Weather against the supply temperatures", 360,
                                {"title": {"text": "temperature [°C]"}}, loops)}
    hours, mw = load_duration(ds)
    shape, note = hline(design, "design demand")
    f3 = {"data": [{"type": "scatter", "x": hours, "y": mw, "mode": "lines", "name": "grid demand"}],
          "layout": {"title": {"text": "Load-duration curve of the grid demand"}, "height": 320, "margin": {"t": 50},
                     "xaxis": {"title": {"text": "hours of the year at or above [h]"}},
                     "yaxis": {"title": {"text": "grid demand [MW]"}}, "shapes": [shape], "annotations": [note]}}
    months = monthly(ds)
    names = [m["month"] for m in months]
    f4 = {"data": [{"type": "bar", "x": names, "y": [m["facility [MWh]"] / 1e3 for m in months],
                    "name": "energy [GWh]", "marker": {"color": "#1f5fa8"}},
                   {"type": "scatter", "x": names, "y": [m["PUE"] for m in months], "name": "PUE", "yaxis": "y2",
                    "mode": "lines+markers", "line": {"color": "#e4572e"}}],
          "layout": {"title": {"text": "Monthly energy and PUE"}, "height": 320, "margin": {"t": 60},
                     "legend": LEGEND, "yaxis": {"title": {"text": "energy [GWh]"}},
                     "yaxis2": {"title": {"text": "PUE [-]"}, "overlaying": "y", "side": "right",
                                "showgrid": False, "tickformat": ".3f"}}}
    f5 = {"data": [trace(t, ds["compressor_power"].values / 1e6, "compressors [MW]", "#9ecae1", fill="tozeroy"),
                   trace(t, ds["pue"].values, "hourly PUE", "#e4572e", yaxis="y2")],
          "layout": year_layout("Chillers and hourly PUE", 320, {"title": {"text": "compressor power [MW]"}}, [],
                                yaxis2={"title": {"text": "PUE [-]"}, "overlaying": "y", "side": "right",
                                        "showgrid": False, "tickformat": ".2f"})}
    return [go.Figure(f) for f in (f1, f2, f3, f4, f5)]


PCT = st.column_config.NumberColumn(format="%.1f %%")
INT = st.column_config.NumberColumn(format="localized")
ONE = st.column_config.NumberColumn(format="%.1f")


def stage_rows(doc: dict) -> list[dict]:
    return [{"stage": s["name"] + (f" [{s['deployment']}]" if s["deployment"] else ""),
             "voltage [V]": round(s["voltage_v"]), "current [A]": round(s["current_a"]),
             "power in [kW]": round(s["power_in_kw"]), "loss [kW]": round(s["loss_kw"]),
             "efficiency [%]": 100 * s["efficiency"],
             "units required": s["units_required"], "units installed": s["units_installed"],
             "unit rating": s["unit_rating"], "redundancy": s["redundancy"],
             "loading [%]": None if s["loading_normal"] is None else 100 * s["loading_normal"],
             "loading after one failure [%]": None if s["loading_failed"] is None else 100 * s["loading_failed"]}
            for s in doc["stages"] if s["units_installed"]]


@st.cache_resource(show_spinner=False, max_entries=16)
def power_figures(data_json: str, _res: dict) -> tuple[go.Figure, go.Figure]:
    """The Sankey and the voltage ladder of a computed scenario (``_res``: its result, not hashed; built once per
    scenario and never modified)."""
    return go.Figure(sankey(_res["flows"])), go.Figure(ladder(_res["doc"]))


@st.cache_resource(show_spinner=False, max_entries=16)
def year_figures(data_json: str, _res: dict) -> list[go.Figure]:
    """The charts of the year of a computed scenario (``_res``: its result, not hashed; built once per scenario
    and never modified)."""
    return year_charts(_res["hourly"], _res["doc"])


TABS = ["Power", "Cooling", "Year", "Swings", "Supply", "Equipment", "Compare", "Sweep", "Export"]


def power_tab(data_json: str, res: dict) -> None:
    fig_sankey, fig_ladder = power_figures(data_json, res)
    st.plotly_chart(fig_sankey, width="stretch")
    st.caption("Node labels carry the power through each node; hover a link for its power.")
    st.plotly_chart(fig_ladder, width="stretch")


def equipment_tab(doc: dict, data: dict) -> None:
    st.subheader("Equipment list")
    st.caption("Counts installed on the campus and per hall, unit ratings, redundancy, and loading in normal "
               "operation and after the worst single failure (Export has it as CSV and XLSX).")
    small = st.column_config.TextColumn(width="small")
    st.dataframe(equipment_list(doc, data.get("cooling")), width="stretch", hide_index=True, column_config={
        "system": small, "where": small, "per hall": small, "rating": small, "redundancy": small,
        "count": st.column_config.NumberColumn(format="localized", width="small"),
        "required": st.column_config.NumberColumn(format="localized", width="small"),
        "loading normal [%]": st.column_config.NumberColumn("loading [%]", format="%.1f %%", width="small"),
        "loading after one failure [%]": st.column_config.NumberColumn("after one failure [%]", format="%.1f %%",
                                                                       width="small")})
    st.subheader("Power stages")
    st.dataframe(stage_rows(doc), width="stretch", hide_index=True, column_config={
        "voltage [V]": INT, "current [A]": INT, "power in [kW]": INT, "loss [kW]": INT,
        "efficiency [%]": st.column_config.NumberColumn(format="%.2f %%"), "units required": INT,
        "units installed": INT, "loading [%]": PCT, "loading after one failure [%]": PCT})


def cooling_tab(doc: dict) -> None:
    cool = doc["cooling"]
    cond = cool["design_conditions"]
    c = st.columns(4)
    c[0].metric("Design dry bulb [°C]", f"{cond['dry_bulb_degc']:.1f}", help=cond["source"])
    c[1].metric("Design wet bulb [°C]", f"{cond['wet_bulb_degc']:.1f}", help=cond["source"])
    c[2].metric("Cooling power at design [MW]", f"{doc['cooling_power_mw']:,.1f}", help=DESIGN_HELP)
    c[3].metric("Water at design [m³/h]", f"{doc['water_design_m3_per_h']:,.1f}", help=DESIGN_HELP)
    st.caption(f"Design conditions: {cond['source']}; coincident wet bulb {cond['coincident_wet_bulb_degc']:.1f} °C.")
    st.subheader("Loops")
    st.dataframe([{"loop": lp["name"], "coolant": lp["coolant"], "heat [MW]": lp["heat_mw"],
                   "supply [°C]": lp["supply_degc"], "return [°C]": lp["return_degc"],
                   "flow [m³/h]": round(lp["flow_m3_per_h"]),
                   "pressure drop [kPa]": round(lp["pressure_drop_kpa"]),
                   "pump power [kW]": round(lp["pump_power_kw"])} for lp in cool["loops"]],
                 width="stretch", hide_index=True, column_config={
                     "heat [MW]": ONE, "supply [°C]": ONE, "return [°C]": ONE, "flow [m³/h]": INT,
                     "pressure drop [kPa]": INT, "pump power [kW]": INT})
    st.subheader("Heat rejection at design")
    st.dataframe([{"loop": h["loop"], "economiser": h["economiser"], "free cooling [%]":
                   100 * h["free_cooling_fraction"], "chiller heat [MW]": h["chiller_heat_mw"],
                   "chiller COP [-]": h["chiller_cop"], "compressors [kW]": round(h["compressor_power_kw"]),
                   "fans [kW]": round(h["fan_power_kw"]), "heat rejected [MW]": h["heat_rejected_mw"],
                   "water [m³/h]": h["water_m3_per_h"]} for h in cool["heat_rejection"]],
                 width="stretch", hide_index=True,
                 column_config={"free cooling [%]": PCT, "chiller heat [MW]": ONE,
                                "chiller COP [-]": st.column_config.NumberColumn(format="%.2f"),
                                "compressors [kW]": INT, "fans [kW]": INT, "heat rejected [MW]": ONE,
                                "water [m³/h]": ONE, "economiser": st.column_config.TextColumn(width="small")})


def year_tab(data_json: str, res: dict) -> None:
    st.caption(YEAR_HELP)
    for fig in year_figures(data_json, res):
        st.plotly_chart(fig, width="stretch")


#: Seconds of the swings trace drawn (the metrics use the whole trace; 6,000 points at 10 ms keep the page light).
SWINGS_SHOWN_S = 60.0
SWINGS_HELP = ("Swings: the campus's sub-second power during synchronous training (the scenario's [swings] section "
               "or its defaults), through the power chain, against the grid's ramp, oscillation-band and step "
               "limits; each mitigation layer sized alone to bring the grid side inside the limits.")


def _swings(data_json: str) -> dict:
    from facility.swings import simulate_swings

    scenario = Scenario.from_dict(json.loads(data_json), source="what-if", base=BASE_DIR)
    sw = simulate_swings(facility.run(scenario, year=False))
    shown = sw.time <= sw.time[0] + SWINGS_SHOWN_S
    grids = {"no mitigation": sw.grid[shown]}
    grids.update({lay.name.replace("_", " "): lay.grid[shown] for lay in sw.layers})
    return {"doc": sw.to_json(), "time": sw.time[shown], "grids": grids, "frequency": sw.frequency, "psd": sw.psd}


@st.cache_data(show_spinner=False, max_entries=16)
def swings(data_json: str) -> dict:
    """The swings of a scenario (cached by its content): JSON document, the first seconds of the grid-side traces
    and the spectrum."""
    return with_time_limit(TIME_LIMIT, _swings, data_json)


def _computed(label: str, spinner: str, compute, data_json: str):
    """``compute(data_json)`` under a spinner; a refusal, an infeasible design or the time limit shown as one error
    line headed ``label`` (None returned)."""
    try:
        with st.spinner(spinner):
            return compute(data_json)
    except (ScenarioError, InfeasibleDesign, TimeLimitReached) as exc:
        st.error(f"{label}: {exc}")
        return None


def swings_tab(data_json: str) -> None:
    st.caption(SWINGS_HELP)
    sw = _computed("Swings", "Synthesising the training load and sizing the mitigation…", swings, data_json)
    if sw is None:
        return
    doc, lim = sw["doc"], sw["doc"]["limits"]
    c = st.columns(5)
    c[0].metric("Swing at the grid [MW]", f"{doc['swing_mw']:,.1f}", help="largest minus smallest grid-side power")
    c[1].metric("Largest ramp [MW/s]", f"{doc['max_ramp_mw_per_s']:,.1f}", help=f"limit {lim['ramp_mw_per_s']:g} MW/s")
    c[2].metric("In-band RMS [MW]", f"{doc['band_rms_mw']:,.2f}",
                help=f"{lim['band_hz'][0]:g}-{lim['band_hz'][1]:g} Hz; limit {lim['band_rms_mw']:g} MW")
    c[3].metric("Dominant frequency [Hz]", f"{doc['dominant_frequency_hz']:.2f}")
    c[4].metric("Compliant without mitigation", "yes" if doc["compliant"] else "no")
    fig = go.Figure()
    for name, g in sw["grids"].items():
        fig.add_trace(go.Scattergl(x=sw["time"], y=g / 1e6, name=name, mode="lines"))
    fig.update_layout(title=f"Grid-side power, first {SWINGS_SHOWN_S:g} s of the trace", height=360,
                      xaxis_title="time [s]", yaxis_title="grid power [MW]",
                      legend={"orientation": "h", "y": -0.25}, margin={"l": 10, "r": 10, "t": 50})
    st.plotly_chart(fig, width="stretch")
    keep = sw["frequency"] > 0
    spec = go.Figure(go.Scatter(x=sw["frequency"][keep], y=sw["psd"][keep] / 1e12, mode="lines", name="grid power"))
    spec.add_vrect(x0=lim["band_hz"][0], x1=lim["band_hz"][1], fillcolor="orange", opacity=0.12, line_width=0)
    spec.update_layout(title="Spectrum of the grid-side power (Welch); shaded: the critical band", height=320,
                       xaxis={"type": "log", "title": "frequency [Hz]"},
                       yaxis={"type": "log", "title": "power spectral density [MW²/Hz]"},
                       margin={"l": 10, "r": 10, "t": 50})
    st.plotly_chart(spec, width="stretch")
    from facility.swings import SWINGS_KEYS

    rows = []
    for name, figs in doc["layers"].items():
        for k, v in figs.items():
            what = {"compliant": "inside every limit with this layer", "window_s": "smoothing window [s]"}.get(k)
            rows.append({"layer": name.replace("_", " "), "figure": what or SWINGS_KEYS.get(k, k),
                         "value": ("yes" if v else "no") if isinstance(v, bool)
                         else f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.4g}"})
    st.subheader("Mitigation layers (each sized alone)")
    st.dataframe(rows, hide_index=True, width="stretch")


SUPPLY_HELP = ("Supply: the year's hourly grid demand of the campus on screen is the load of the scenario's [supply] "
               "(grid, gas turbines and engines, battery, solar), dispatched hour by hour at least cost (or carbon) "
               "by HiGHS, with the capacities the optimiser chose where they are free; capital cost of the "
               "equipment and supply options from facility/catalog/costs.toml.")
SITE_CHOICES = 4  # at most this many sites compared at once (each is a campus year and a supply)


def _supply(data_json: str) -> dict:
    from facility.capex import campus_capex
    from facility.supply import Supply, supply_for

    data = json.loads(data_json)
    scenario = Scenario.from_dict(data, source="what-if", base=BASE_DIR)
    result = facility.run(scenario)
    example = scenario.supply is None
    cfg, raw = scenario.supply, data.get("supply")
    if example:
        raw = example_supply(float(result.hourly["facility_power"].max()) / 1e6)
        cfg = Supply(**raw)
    sup = supply_for(result, cfg)
    doc = sup.to_json()
    ds = sup.hourly
    series = {"load": ds["load"].values, "grid": ds["grid_import"].values,
              "turbines": ds["turbine_output"].values.sum(axis=1) if "turbine_output" in ds else None,
              "solar": ds["solar_output"].values if "solar_output" in ds else None,
              "discharge": ds["battery_discharge"].values if "battery_discharge" in ds else None,
              "charge": ds["battery_charge"].values if "battery_charge" in ds else None,
              "unserved": ds["unserved"].values if "unserved" in ds else None}
    return {"doc": doc, "cost": campus_capex(to_json(result), doc), "example": example, "time": ds["time"].values,
            "series": {k: v for k, v in series.items() if v is not None},
            "supply": raw}


@st.cache_data(show_spinner=False, max_entries=16)
def supply(data_json: str) -> dict:
    """The supply of a scenario over its year (cached by its content): summary, capital cost, hourly series."""
    return with_time_limit(TIME_LIMIT, _supply, data_json)


def _sites(data_json: str, supply_json: str, sites: tuple[str, ...]) -> list[dict]:
    from facility.siting import compare_sites

    data = {**json.loads(data_json), "supply": json.loads(supply_json)}
    return compare_sites(Scenario.from_dict(data, source="what-if", base=BASE_DIR), list(sites))


@st.cache_data(show_spinner=False, max_entries=16)
def site_rows(data_json: str, supply_json: str, sites: tuple[str, ...]) -> list[dict]:
    """The campus and its supply at each site (cached)."""
    return with_time_limit(TIME_LIMIT * len(sites), _sites, data_json, supply_json, sites)


STACK = [("grid", "grid import", "#1f5fa8"), ("turbines", "gas turbines", "#e4572e"),
         ("solar", "solar used", "#f2c14e"), ("discharge", "battery discharge", "#4daf4a"),
         ("unserved", "unserved", "#000000")]


def dispatch_figure(t, s: dict, title: str, height: int = 360) -> go.Figure:
    """Supply stacked against the load line; battery charging below zero."""
    data = [{"type": "scatter", "x": t, "y": s[k], "name": name, "mode": "lines", "stackgroup": "supply",
             "line": {"width": 0.5, "color": color}} for k, name, color in STACK if k in s and np.any(s[k] > 1e-6)]
    if "charge" in s and np.any(s["charge"] > 1e-6):
        data.append({"type": "scatter", "x": t, "y": -s["charge"], "name": "battery charge", "mode": "lines",
                     "stackgroup": "charge", "line": {"width": 0.5, "color": "#984ea3"}})
    data.append({"type": "scatter", "x": t, "y": s["load"], "name": "campus load", "mode": "lines",
                 "line": {"color": "#333333", "width": 1.2}})
    return go.Figure({"data": data, "layout": {"title": {"text": title}, "height": height, "margin": {"t": 60},
                                               "legend": LEGEND, "yaxis": {"title": {"text": "power [MW]"}}}})


def supply_tab(data_json: str) -> None:
    st.caption(SUPPLY_HELP)
    sp = _computed("Supply", "Dispatching the supply over the year…", supply, data_json)
    if sp is None:
        return
    doc, cost = sp["doc"], sp["cost"]
    if sp["example"]:
        g = sp["supply"]["grid"]["import_limit"]
        st.info(f"This scenario has no [supply] section: shown with an example — a {g} grid connection (60 % of "
                "the year's peak), and Titan 130 turbines (N+1), a 4-hour battery and single-axis solar sized by "
                "the optimiser. Add a [supply] section to the scenario to set your own.")
    c = st.columns(4)
    c[0].metric("Supply cost [USD/MWh]", f"{doc['lcoe_usd_per_mwh']:,.2f}",
                help="every supply cost of the year (annualised capital, fuel, grid energy and demand, O&M, starts, "
                     "battery wear) over the energy served")
    c[1].metric("Supply CO2 [kt/year]", f"{doc['co2_t'] / 1e3:,.1f}", help=f"{doc['co2_kg_per_mwh']:,.0f} kg/MWh served")
    c[2].metric("Supply NOx [t/year]", f"{doc['nox_t']:,.1f}")
    c[3].metric("Peak grid import [MW]", f"{doc['grid_peak_mw']:,.1f}",
                help=f"import limit {doc['grid_import_limit_mw']:,.0f} MW")
    c = st.columns(4)
    c[0].metric("Turbine starts [/year]", f"{doc['starts']:,.1f}", help="unit-equivalents (relaxed commitment)")
    c[1].metric("Capital [M USD/MW IT]", f"{(cost['capex_usd_per_mw_it'] or 0) / 1e6:,.2f}",
                help=f"equipment {cost['capex_facility_usd'] / 1e6:,.0f} M USD + supply options "
                     f"{cost['capex_supply_usd'] / 1e6:,.0f} M USD (equipment only: no building, piping, soft costs)")
    c[2].metric("Cost per MWh of IT [USD]", "n/a" if cost["cost_usd_per_mwh"] is None
                else f"{cost['cost_usd_per_mwh']:,.2f}", help="annualised capital, fixed O&M, energy and water over "
                                                              "the IT energy of the year")
    c[3].metric("Unserved [MWh]", f"{doc['unserved_mwh']:,.1f}")
    t, s = sp["time"], sp["series"]
    days = len(t) // 24
    daily = {k: v[:days * 24].reshape(days, 24).mean(axis=1) for k, v in s.items()}
    st.plotly_chart(dispatch_figure(t[:days * 24:24], daily, "Dispatch over the year (daily means)"), width="stretch")
    peak = int(np.argmax(s["load"]))
    lo = max(0, min(peak - 84, len(t) - 168))
    st.plotly_chart(dispatch_figure(t[lo:lo + 168], {k: v[lo:lo + 168] for k, v in s.items()},
                                    "The week of the peak load, hour by hour", 320), width="stretch")
    rows = [{"option": "grid", "capacity": f"{doc['grid_import_limit_mw']:,.1f} MW limit",
             "energy [MWh]": round(doc["energy_mwh"]["grid"]), "note": f"peak import {doc['grid_peak_mw']:,.1f} MW"}]
    for f in doc["turbines"]:
        rows.append({"option": f["name"], "capacity": f"{f['units']} x {f['unit_rating_mw']:g} MW ({f['redundancy']})",
                     "energy [MWh]": round(f["energy_mwh"]), "note": f"{f['starts']:,.1f} starts, CO2 {f['co2_t']:,.0f} t"})
    if doc["battery"]:
        b = doc["battery"]
        rows.append({"option": "battery", "capacity": f"{b['power_mw']:,.1f} MW / {b['energy_mwh']:,.1f} MWh",
                     "energy [MWh]": round(b["discharged_mwh"]), "note": f"{b['full_cycles']:,.1f} full cycles"})
    if doc["solar"]:
        so = doc["solar"]
        rows.append({"option": "solar", "capacity": f"{so['capacity_mw']:,.1f} MWac ({so['land_ha']:,.0f} ha)",
                     "energy [MWh]": round(so["energy_mwh"]), "note": f"{so['curtailed_mwh']:,.0f} MWh curtailed"})
    st.subheader("Capacities and energy")
    st.dataframe(rows, hide_index=True, width="stretch", column_config={"energy [MWh]": INT})
    items = {k.removesuffix("_usd").replace("_", " "): v for k, v in doc["cost_usd"].items() if v}
    bar = go.Figure(go.Bar(x=list(items.values()), y=list(items), orientation="h", marker_color="#1f5fa8"))
    bar.update_layout(title="Supply cost of the year by item [USD]", height=80 + 32 * len(items),
                      margin={"l": 10, "r": 10, "t": 50}, xaxis_title="USD")
    st.plotly_chart(bar, width="stretch")
    st.subheader("Capital cost of the equipment and the supply")
    st.dataframe([{"item": i["model"], "units": i["units"], "capital [USD]": round(i["capex_usd"]),
                   "life [years]": i["lifetime_years"], "per year [USD]": round(i["annualised_usd_per_year"]),
                   "lead time [weeks]": i["lead_time_weeks"]} for i in cost["items"]],
                 hide_index=True, width="stretch", column_config={"capital [USD]": INT, "per year [USD]": INT})
    st.subheader("The same campus and supply at other sites")
    names = sorted(bundled_sites())
    picked = st.multiselect("Sites", names, key="supply_sites", max_selections=SITE_CHOICES,
                            help="each site: the campus's year on that site's weather and the same supply under "
                                 "its sun (a few seconds per site)")
    if picked:
        try:
            with st.spinner("Running the campus and its supply at each site…"):
                site_table = site_rows(data_json, json.dumps(sp["supply"], sort_keys=True), tuple(picked))
        except (ScenarioError, InfeasibleDesign, TimeLimitReached) as exc:
            st.error(f"Sites: {exc}")
            return
        def cell(v) -> str:
            return "–" if v is None else v if isinstance(v, str) else f"{v:,.4g}" if abs(v) < 1e4 else f"{v:,.0f}"

        # one column per site, one row per figure (the figures' names carry their units)
        st.dataframe([{"figure": k, **{r["site"]: cell(r[k]) for r in site_table}} for k in site_table[0]
                      if k != "site"], hide_index=True, width="stretch")


COUNTS = ("-", "h")


def readable(rows: list[dict]) -> list[dict]:
    """The delta table as text: thousands separators, PUE and WUE to 3 decimals, changes signed, changes that
    vanish at the display precision blank."""
    out = []
    for r in rows:
        small = r["unit"] in ("-", "L/kWh") and r["quantity"].startswith(("PUE", "WUE"))
        fmt = "{:,.3f}" if small else ("{:,.0f}" if r["unit"] in COUNTS or r["unit"] == "m³" else "{:,.1f}")
        row = {"quantity": r["quantity"], "unit": "–" if r["unit"] == "-" else r["unit"]}  # "-" is a list in markdown
        for k, v in r.items():
            if k in ("quantity", "unit"):
                continue
            if v is None:
                row[k] = "–"
            elif k.startswith("Δ "):
                text = fmt.format(v)
                row[k] = "" if float(text.replace(",", "")) == 0 else ("+" + text if v > 0 else text)
            else:
                row[k] = fmt.format(v)
        out.append(row)
    return out


def compare_tab(doc: dict, base_doc: dict, data: dict) -> None:
    pins = st.session_state.setdefault("pins", {})
    c1, c2, c3 = st.columns([2, 1, 1], vertical_alignment="bottom")
    default_name = next(n for n in (chr(65 + i) for i in range(26)) if n not in pins) if len(pins) < 26 else "Z"
    name = c1.text_input("Name of the design to pin", value=default_name, key="pin_name")
    if c2.button("Pin this design", key="pin", width="stretch"):
        pins[name.strip() or default_name] = {"doc": doc, "data": data}
        st.rerun()
    if pins and c3.button("Unpin all", key="unpin", width="stretch"):
        pins.clear()
        st.rerun()
    designs = {**{n: p["doc"] for n, p in pins.items()}, "on screen": doc}
    if not pins:
        designs = {"as loaded": base_doc, "on screen": doc}
        st.caption("Pin the design on screen as A, change the inputs, and B (on screen) appears beside it; pin as "
                   "many as you like. Until then: the design on screen against the scenario as loaded.")
    ref = next(iter(designs))
    st.table(readable(delta_table(designs, reference=ref)))
    st.caption(f"Δ columns: each design minus {ref}; a change below the display precision shows as blank.")
    for n, p in pins.items():
        changed = changed_keys(pins[ref]["data"] if ref in pins else data, p["data"])
        if n != ref:
            st.caption(f"{n} differs from {ref} in: {', '.join(changed) or 'nothing'}")


SWEEPABLE = {"cooling.tcs_supply": "Coolant supply temperature [°C]",
             "compute.deployments[0].accelerators": "Accelerators (first deployment)",
             "site.weather": "Site", "power.architecture": "Power architecture",
             "cooling.heat_rejection": "Heat rejection (liquid loop)"}
#: Most points of one sweep in the explorer: continuous keys run as vectorised batches (~3 ms per point and
#: weather year on the CI machine, benchmarks/README.md), so 1,600 points answer in a few seconds.
MAX_SWEEP_POINTS = 1600


def sweep_values(k: str, slot: str) -> list:
    """Inputs for the values of one swept key."""
    if k == "cooling.tcs_supply":
        lo, hi = st.slider(f"Range ({slot}) [°C]", 15.0, 50.0, (25.0, 45.0), 1.0, key=f"sw_range_{slot}")
        n = st.number_input(f"Points ({slot})", 2, 40, 11, key=f"sw_n_{slot}")
        return [f"{t:g} degC" for t in np.linspace(lo, hi, int(n))]
    if k == "compute.deployments[0].accelerators":
        lo, hi = st.slider(f"Range ({slot})", 1_000, 400_000, (50_000, 200_000), 1_000, key=f"sw_range_{slot}")
        n = st.number_input(f"Points ({slot})", 2, 40, 7, key=f"sw_n_{slot}")
        return [int(x) for x in np.linspace(lo, hi, int(n))]
    if k == "site.weather":
        return st.multiselect(f"Sites ({slot})", sorted(bundled_sites()), default=["chicago-il", "tampa-fl"],
                              key=f"sw_sites_{slot}")
    if k == "cooling.heat_rejection":
        return st.multiselect(f"Plants ({slot})", PLANTS, default=["dry-cooler+chiller", "cooling-tower+chiller"],
                              key=f"sw_plants_{slot}")
    return st.multiselect(f"Architectures ({slot})", list(architectures()), default=["ac-480v", "dc-800v"],
                          key=f"sw_arch_{slot}")


def sweep_base(data: dict, variations: dict) -> tuple[dict, list[str]]:
    """The scenario a sweep starts from: stage settings that not every swept architecture has are left out
    (they name stages of one architecture only); returns it and the stage ids left out."""
    if "power.architecture" not in variations:
        return data, []
    blocks = arch_blocks()
    common = set.intersection(*(set(blocks[a]["stages"]) for a in variations["power.architecture"]))
    d = copy.deepcopy(data)
    stages = d["power"].get("stages", {})
    dropped = [k for k in stages if k not in common]
    d["power"]["stages"] = {k: v for k, v in stages.items() if k in common}
    return d, dropped


def run_sweep(data: dict, variations: dict, bar) -> object:
    from facility.sweep import sweep

    scenario = Scenario.from_dict(data, source="what-if", base=BASE_DIR)
    done = {"n": 0, "of": 1}

    def progress(n: int, of: int) -> None:
        done.update(n=n, of=of)

    future = executor().submit(sweep, scenario, variations, progress=progress)
    start = time.monotonic()
    while True:
        try:
            return future.result(timeout=0.25)
        except concurrent.futures.TimeoutError:
            if time.monotonic() - start > SWEEP_TIME_LIMIT:
                raise TimeLimitReached(f"the sweep did not finish within its time limit of {SWEEP_TIME_LIMIT:g} s; "
                                       "use fewer points, or `facility sweep` on the command line") from None
            bar.progress(min(done["n"] / max(done["of"], 1), 1.0), text=f"{done['n']:,} of {done['of']:,} points")


@st.fragment
def sweep_tab(data: dict) -> None:
    from facility.sweep import SWEEP_KPIS

    keys = list(SWEEPABLE)
    c1, c2 = st.columns(2)
    with c1:
        k1 = st.selectbox("First input", keys, format_func=SWEEPABLE.get, key="sw_k1")
        v1 = sweep_values(k1, "first")
    with c2:
        k2 = st.selectbox("Second input (optional)", ["(none)", *[k for k in keys if k != k1]],
                          format_func=lambda k: SWEEPABLE.get(k, k), key="sw_k2")
        variations = {k1: v1}
        if k2 != "(none)":
            variations[k2] = sweep_values(k2, "second")
    points = int(np.prod([len(v) for v in variations.values()]))
    if points > MAX_SWEEP_POINTS:
        st.warning(f"{points:,} points; the explorer runs up to {MAX_SWEEP_POINTS:,} (use `facility sweep` "
                   "for more, on dask if one machine is not enough)")
    start, dropped = sweep_base(data, variations)
    if dropped:
        st.caption(f"Stage settings of one architecture only are left out of the sweep: {', '.join(dropped)}.")
    if st.button(f"Run the sweep ({points:,} design points)", key="sw_run", type="primary",
                 disabled=points == 0 or points > MAX_SWEEP_POINTS):
        bar = st.progress(0.0, text="starting…")
        try:
            ds = run_sweep(start, variations, bar)
            st.session_state["sweep"] = {"ds": ds, "keys": list(variations)}
        except (ScenarioError, InfeasibleDesign, TimeLimitReached) as exc:
            st.session_state.pop("sweep", None)
            st.error(f"Sweep not run: {exc}")
        bar.empty()
    result = st.session_state.get("sweep")
    if result is None:
        return
    ds, swept = result["ds"], result["keys"]
    kpis = list(SWEEP_KPIS)
    kpi = st.selectbox("KPI", kpis, index=kpis.index("pue_annual"), key="sw_kpi",
                       format_func=lambda k: f"{SWEEP_KPIS[k][1]} [{SWEEP_KPIS[k][0]}]")
    unit = SWEEP_KPIS[kpi][0]
    axis = [SWEEPABLE.get(k, k) for k in swept]
    if len(swept) == 2:
        fig = go.Figure(go.Heatmap(z=ds[kpi].values, x=[str(v) for v in ds[swept[1]].values],
                                   y=[str(v) for v in ds[swept[0]].values], colorbar={"title": unit}))
        fig.update_layout(xaxis_title=axis[1], yaxis_title=axis[0], title=f"{SWEEP_KPIS[kpi][1]} [{unit}]")
    else:
        fig = go.Figure(go.Scatter(x=[str(v) for v in ds[swept[0]].values], y=ds[kpi].values, mode="lines+markers"))
        label = f"{SWEEP_KPIS[kpi][1]} [{unit}]"
        fig.update_layout(xaxis_title=axis[0], yaxis_title=label, title=label)
    st.plotly_chart(fig, width="stretch")
    table = ds.to_dataframe().reset_index()
    table.columns = [f"{c} [{ds[c].attrs['units']}]" if c in ds.data_vars and ds[c].attrs.get("units") else c
                     for c in table.columns]
    st.dataframe(table, width="stretch", hide_index=True)
    st.download_button("Sweep results (CSV)", table.to_csv(index=False), file_name="sweep.csv", key="dl_sweep")


def netcdf_bytes(ds) -> bytes:
    with tempfile.TemporaryDirectory() as d:
        clean = ds.copy()
        clean.attrs = {k: (Path(v).name if k == "weather" else v) for k, v in ds.attrs.items()}
        return write_hourly(clean, Path(d) / "hourly.nc").read_bytes()


def export_tab(res: dict, doc: dict, data: dict, base: dict) -> None:
    changed = changed_keys(base, data)
    default = base["name"] if not changed else f"{base['name']} (what-if)"
    name = st.text_input("Name of this design", value=default, key="save_name",
                         help="The saved scenario gets this name and a file name made from it; the loaded "
                              "scenario's [expect] bands are left out (they describe that scenario).")
    names = st.session_state.get("weather_names", {})
    stem = scenario_file_name(name, "")
    st.caption(f"Files are named after the design: `{stem}.toml`, `{stem}-results.json`, … Uploaded weather is "
               "referred to by its file name (put it beside the scenario); no server paths are written.")
    ds = res["hourly"]
    c = st.columns(3)
    c[0].download_button("Scenario (TOML)", lambda: what_if_toml(data, name, names), file_name=f"{stem}.toml",
                         key="dl_toml", width="stretch")
    c[1].download_button("Results (JSON)", lambda: json.dumps(public_doc(doc), indent=2),
                         file_name=f"{stem}-results.json", key="dl_json", width="stretch")
    c[2].download_button("Hourly (CSV)", lambda: hourly_csv(ds), file_name=f"{stem}-hourly.csv", key="dl_csv",
                         width="stretch")
    c = st.columns(3)
    c[0].download_button("Hourly (NetCDF)", lambda: netcdf_bytes(ds), file_name=f"{stem}-hourly.nc", key="dl_nc",
                         width="stretch")
    c[1].download_button("Equipment list (CSV)", lambda: rows_csv(equipment_list(doc, data.get("cooling"))),
                         file_name=f"{stem}-equipment.csv", key="dl_eq_csv", width="stretch")
    c[2].download_button("Equipment list (XLSX)",
                         lambda: xlsx_bytes(equipment_list(doc, data.get("cooling")), sheet="Equipment"),
                         file_name=f"{stem}-equipment.xlsx", key="dl_eq_xlsx", width="stretch",
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# ------------------------------------------------------------------------------------------ the page
def main() -> None:
    st.set_page_config(page_title="AI campus power & cooling", layout="wide")
    # the scenario uploader's own note gives the transport limit (server.maxUploadSize, whole MB only); the
    # label gives the real one (256 kB), so the transport note is hidden rather than contradicting it
    st.html('<style>.st-key-upload [data-testid="stFileUploaderDropzoneInstructions"] {display: none;}</style>')
    st.title("AI campus power & cooling — what-if explorer")
    try:
        base, label = base_scenario()
    except ScenarioError as exc:
        base, label = None, None
        st.error(f"Scenario not loaded: {exc}")
    st.sidebar.file_uploader("Weather year (.epw, with its .stat and .ddy)", type=["epw", "stat", "ddy"],
                             key="weather_upload",
                             accept_multiple_files=True, on_change=weather_upload,
                             max_upload_size=MAX_WEATHER_BYTES // 2**20,  # an EPW year is ~1.6 MB
                             help="An EnergyPlus weather year becomes the site. Add the site's climate summary "
                                  "(.stat) for the ASHRAE extreme design conditions (the default basis, "
                                  "extreme-n20) and its design-day file (.ddy) for the 0.4/1/2 % conditions; "
                                  "without them the design hour is the year's hottest (weather-max).")
    if st.session_state.get("weather_error"):
        st.sidebar.error(st.session_state["weather_error"])
    if base is None:
        if label:
            st.info(label)
        st.caption("The rest of the page appears when a scenario is loaded.")
        return
    ident = hashlib.sha256(json.dumps(base, sort_keys=True).encode()).hexdigest()
    try:
        with st.spinner("Sizing the campus and running its year…"):
            base_res = solve(json.dumps(base, sort_keys=True))
    except (ScenarioError, InfeasibleDesign, TimeLimitReached) as exc:
        st.error(f"The scenario as loaded cannot be computed: {exc}")
        return
    values = scenario_inputs(base, base_res["doc"])
    if st.session_state.get("scenario_id") != ident:
        reset_inputs(values)
        st.session_state["scenario_id"] = ident
    else:  # Streamlit forgets the state of widgets a run did not draw (a failed source): the applied values
        for k, v in st.session_state.get("applied", values).items():
            if k not in st.session_state:
                st.session_state[k] = v
    inputs_form(base, values, base_res["doc"])
    data = what_if(base, values)
    envelope = st.session_state["envelope"]
    try:
        if st.session_state["mode"] == "grid envelope":
            if not envelope:
                raise ScenarioError("sizing by grid envelope needs the envelope: enter it in MW",
                                    key="Grid envelope [MW]")
            racks = fit_racks(json.dumps(data, sort_keys=True), envelope)
            dep = data["compute"]["deployments"][0]
            for k in COUNT_KEYS:
                dep.pop(k, None)
            dep["racks"] = racks
        with st.spinner("Sizing the campus and running its year…"):
            res = solve(json.dumps(data, sort_keys=True))
    except (ScenarioError, InfeasibleDesign, TimeLimitReached) as exc:
        kind = {InfeasibleDesign: "Infeasible design", TimeLimitReached: "Time limit reached"}.get(type(exc),
                                                                                                   "Invalid input")
        st.error(f"{kind}: {exc}")
        st.caption("Change the inputs and Apply again; the scenario as loaded is unchanged.")
        return
    doc = res["doc"]
    changed = changed_keys(base, data)
    weather = st.session_state.get("weather_names", {}).get(doc["site"]["weather"]) or Path(doc["site"]["weather"]).name
    st.caption(f"**{doc['scenario']}** ({label}) — {weather}, "
               f"{doc['power']['architecture']}, {doc['cooling_inputs']['heat_rejection']}. "
               + (f"What-if: changed {', '.join(changed)}." if changed else "As loaded."))
    if st.session_state["mode"] == "grid envelope":
        st.caption(f"Sized by the grid envelope: {data['compute']['deployments'][0]['racks']:,} racks of the first "
                   f"deployment fit {envelope:,.0f} MW.")
    headlines(doc, base_res["doc"])
    constraint_view(doc, envelope)
    tabs = st.tabs(TABS, key="tab", on_change="rerun")  # lazy: only the open tab runs
    data_json = json.dumps(data, sort_keys=True)
    if tabs[0].open:
        with tabs[0]:
            power_tab(data_json, res)
    if tabs[1].open:
        with tabs[1]:
            cooling_tab(doc)
    if tabs[2].open:
        with tabs[2]:
            year_tab(data_json, res)
    if tabs[3].open:
        with tabs[3]:
            swings_tab(data_json)
    if tabs[4].open:
        with tabs[4]:
            supply_tab(data_json)
    if tabs[5].open:
        with tabs[5]:
            equipment_tab(doc, data)
    if tabs[6].open:
        with tabs[6]:
            compare_tab(doc, base_res["doc"], data)
    if tabs[7].open:
        with tabs[7]:
            sweep_tab(data)
    if tabs[8].open:
        with tabs[8]:
            export_tab(res, doc, data, base)

_start = time.perf_counter()
try:
    main()
except Exception as exc:  # never a traceback in the page
    st.error(f"Internal error: {exc.__class__.__name__}: {exc}. Please report it with the scenario.")
st.session_state["last_run_s"] = time.perf_counter() - _start  # server-side time of this run (benchmarks)
