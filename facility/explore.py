"""Helpers of the what-if explorer (``streamlit_app.py``) over the public results: no physics here.

Everything takes the plain data the public API returns — scenario dicts (:func:`facility.scenario.scenario_to_dict`),
result documents (:func:`facility.to_json`), hourly Datasets (``CampusResult.hourly``) — and returns plain rows,
text or bytes, so the app stays a thin layer and these pieces are testable without a browser.

- :func:`bundled_scenarios` — the scenario files shipped in ``scenarios/``.
- :func:`changed_keys` — key paths where two scenario dicts differ (what a what-if changed).
- :func:`delta_table` — designs side by side with their differences from a reference design.
- :func:`constraints`, :func:`design_warnings` — the limits a planner checks first, and what looks wrong.
- :func:`equipment_list` — counts, ratings, redundancy and loading of every piece of equipment, per hall.
- :func:`what_if_toml`, :func:`scenario_file_name` — a what-if saved as a scenario file of its own.
- :func:`hourly_csv`, :func:`public_doc`, :func:`rows_csv`, :func:`xlsx_bytes` — downloads (units in the headers,
  no server paths).
- :func:`monthly`, :func:`load_duration` — the year summarised for charts.
"""

from __future__ import annotations

import copy
import csv
import io
import math
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import numpy as np

from facility.inputs import COUNT_KEYS

__all__ = ["SCENARIO_DIR", "DELTA_QUANTITIES", "bundled_scenarios", "changed_keys", "delta_table", "constraints",
           "design_warnings", "equipment_list", "what_if_toml", "scenario_file_name", "hourly_csv", "public_doc",
           "rows_csv", "xlsx_bytes", "monthly", "load_duration", "example_supply"]

#: The bundled scenario files (the same folder as ``facility.cli.SCENARIO_DIR``).
SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"

#: Quantities of the side-by-side comparison: (document key, label, unit, scale from the document's unit).
DELTA_QUANTITIES: tuple[tuple[str, str, str, float], ...] = (
    ("facility_power_design_mw", "Grid demand at design", "MW", 1.0),
    ("peak_grid_mw", "Peak grid demand of the year", "MW", 1.0),
    ("it_power_mw", "IT power at design", "MW", 1.0),
    ("pue_design", "PUE at design", "-", 1.0),
    ("pue_annual", "PUE over the year", "-", 1.0),
    ("wue_l_per_kwh", "WUE", "L/kWh", 1.0),
    ("water_annual_m3", "Water over the year", "m³", 1.0),
    ("annual_energy_mwh", "Energy over the year", "GWh", 1e-3),
    ("cooling_power_mw", "Cooling power at design", "MW", 1.0),
    ("electrical_loss_mw", "Electrical losses at design (outside the racks)", "MW", 1.0),
    ("in_rack_loss_mw", "Conversion losses in the racks at design", "MW", 1.0),
    ("copper_mass_t", "Copper in the power chain", "t", 1.0),
    ("accelerators", "Accelerators", "-", 1.0),
    ("racks", "IT racks", "-", 1.0),
    ("halls", "Halls", "-", 1.0),
    ("chiller_hours", "Chiller hours, liquid loop", "h", 1.0),
    ("chiller_hours_air", "Chiller hours, air side", "h", 1.0),
    ("hours_above_design", "Hours above the design demand", "h", 1.0),
)


def bundled_scenarios() -> dict[str, Path]:
    """The bundled scenario files by file name (``default.toml`` first, then alphabetical)."""
    files = sorted(SCENARIO_DIR.glob("*.toml"), key=lambda p: (p.name != "default.toml", p.name))
    return {p.name: p for p in files}


def changed_keys(a: Any, b: Any, prefix: str = "") -> list[str]:
    """Key paths (``compute.deployments[0].system``) where two scenario dicts differ; ``[]`` when equal.

    >>> changed_keys({"site": {"weather": "tampa-fl"}, "n": [1, 2]}, {"site": {"weather": "x"}, "n": [1, 3]})
    ['site.weather', 'n[1]']
    """
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        out: list[str] = []
        for k in list(a) + [k for k in b if k not in a]:
            path = f"{prefix}.{k}" if prefix else str(k)
            if k not in a or k not in b:
                out.append(path)
            else:
                out += changed_keys(a[k], b[k], path)
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [p for i, (x, y) in enumerate(zip(a, b, strict=True)) for p in changed_keys(x, y, f"{prefix}[{i}]")]
    return [] if a == b else [prefix]


def _value(doc: Mapping[str, Any], key: str, scale: float) -> float | None:
    v = doc.get(key)
    return None if v is None else float(v) * scale


def delta_table(docs: Mapping[str, Mapping[str, Any]], reference: str | None = None) -> list[dict[str, Any]]:
    """Designs side by side: one row per quantity of :data:`DELTA_QUANTITIES`, one column per design (its label),
    and a ``Δ <label>`` column for every other design: its value minus the reference's (the first design unless
    ``reference`` names one). Missing values are ``None`` (never NaN).
    """
    if not docs:
        return []
    ref = reference if reference is not None else next(iter(docs))
    if ref not in docs:
        raise KeyError(f"no design named {ref!r}; expected one of {sorted(docs)}")
    rows = []
    for key, label, unit, scale in DELTA_QUANTITIES:
        row: dict[str, Any] = {"quantity": label, "unit": unit}
        r = _value(docs[ref], key, scale)
        for name, doc in docs.items():
            row[name] = _value(doc, key, scale)
        for name in docs:
            if name != ref:
                v = row[name]
                row[f"Δ {name}"] = None if v is None or r is None else v - r
        rows.append(row)
    return rows


def _loadings(doc: Mapping[str, Any]) -> Iterable[tuple[str, float | None, float | None]]:
    """(name, loading in normal operation, loading after one failure) of every stage and cooling unit group; the
    failed loading is ``None`` for stages without redundancy (N: a failure there takes its load down, by design)."""
    for s in doc["stages"]:
        if s["units_installed"]:
            name = s["name"] + (f" [{s['deployment']}]" if s.get("deployment") else "")
            yield name, s["loading_normal"], None if s["redundancy"] == "N" else s["loading_failed"]
    for e in doc["cooling"]["equipment"]:
        if e["units_installed"]:
            yield f"{e['kind']} ({e['serves']})", e["loading_normal"], e["loading_failed"]


def constraints(doc: Mapping[str, Any], envelope_mw: float | None = None) -> list[dict[str, Any]]:
    """The limits a planner checks first, each with its value, its limit and whether it holds.

    - hours above the design demand: hours of the weather year in which the campus at its design IT load would
      draw more than the design demand (0 under the default 20-year extreme design hour; a milder basis such as
      the ASHRAE 0.4 % condition lets a few hours exceed it);
    - case-temperature margin: the chip case limit minus the case temperature at design [K];
    - loading after the worst single failure: the highest loading of any redundant power stage or cooling unit
      group with one unit out [-] (above 1 is an overload; stages without redundancy are left out);
    - fit to a grid envelope: design grid demand against the envelope [MW] (only when an envelope is given).

    Returns rows ``{"constraint", "value", "limit", "unit", "ok", "note"}``; ``ok`` is ``None`` when not applicable.
    """
    rows = []
    hours = doc.get("hours_above_design")
    if hours is not None:
        rows.append({"constraint": "Hours above the design demand", "value": float(hours), "limit": 0.0, "unit": "h",
                     "ok": hours == 0,
                     "note": f"up to {doc.get('max_above_design_mw') or 0.0:,.2f} MW above it at design IT load"
                     if hours else "the year never exceeds the design demand at design IT load"})
    cool = doc["cooling"]
    case, case_max = cool.get("case_temperature_degc"), cool.get("case_temperature_max_degc")
    if case is not None and case_max is not None:
        margin = case_max - case
        rows.append({"constraint": "Case-temperature margin", "value": margin, "limit": 0.0, "unit": "K",
                     "ok": margin >= 0, "note": f"chip case {case:.1f} °C against its {case_max:.0f} °C limit"})
    else:
        rows.append({"constraint": "Case-temperature margin", "value": None, "limit": 0.0, "unit": "K", "ok": None,
                     "note": "no liquid-cooled chips"})
    worst = max(((n, f) for n, _, f in _loadings(doc) if f is not None), key=lambda x: x[1], default=None)
    if worst is not None:
        rows.append({"constraint": "Loading after the worst single failure", "value": worst[1], "limit": 1.0,
                     "unit": "-", "ok": worst[1] <= 1.0 + 1e-9, "note": worst[0]})
    if envelope_mw:
        grid = float(doc["facility_power_design_mw"])
        rows.append({"constraint": "Fit to the grid envelope", "value": grid, "limit": float(envelope_mw),
                     "unit": "MW", "ok": grid <= envelope_mw * (1 + 1e-9),
                     "note": f"{envelope_mw - grid:,.1f} MW of headroom" if grid <= envelope_mw
                     else f"{grid - envelope_mw:,.1f} MW over the envelope"})
    return rows


#: A stage or unit group loaded below this share of its rating in normal operation is flagged as oversized
#: (engineering assumption: transformers and UPS are efficient from ~20 % loading up; below 5 % the catalog's
#: smallest unit is far too large for the load).
UNDERLOADED = 0.05
#: A design PUE above this is flagged (engineering assumption: liquid- and air-cooled AI halls design at 1.1-1.6;
#: above 2 the overheads dominate, usually a campus far too small for its fixed plant).
PUE_IMPLAUSIBLE = 2.0


def design_warnings(doc: Mapping[str, Any]) -> list[str]:
    """What a planner should look at: the library's own power and cooling warnings, units loaded below
    :data:`UNDERLOADED` of their rating, a design PUE above :data:`PUE_IMPLAUSIBLE`, a year peak above the design
    demand."""
    out = [str(w) for w in (*doc.get("power_warnings", []), *doc.get("cooling_warnings", []))]
    small = [(n, x) for n, x, _ in _loadings(doc) if x is not None and 0 <= x < UNDERLOADED]
    if small:
        listed = ", ".join(f"{n} {x:.2%}" for n, x in small[:4]) + (f" and {len(small) - 4} more" if len(small) > 4
                                                                    else "")
        out.append(f"equipment far larger than the load (loading in normal operation below {UNDERLOADED:.0%}): "
                   f"{listed}; pick smaller units in the scenario's [power.stages] or [cooling.equipment]")
    pue = doc.get("pue_design")
    if pue is not None and pue > PUE_IMPLAUSIBLE:
        out.append(f"PUE at design is {pue:.2f}: the cooling plant and the house loads are large against the IT "
                   "load (a campus this small is dominated by its fixed overheads)")
    peak, design = doc.get("peak_grid_mw"), doc.get("facility_power_design_mw")
    if peak is not None and design is not None and peak > design * (1 + 1e-9):
        out.append(f"the year's peak grid demand ({peak:,.1f} MW) exceeds the design demand ({design:,.1f} MW)")
    return out


def _per_hall(count: int, halls: int) -> str:
    if halls <= 1:
        return f"{count:,}"
    q, r = divmod(count, halls)
    return f"{q:,}" if r == 0 else f"{q:,}–{q + 1:,}"


def equipment_list(doc: Mapping[str, Any], cooling: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """Every piece of equipment of the design: one row per power stage and per cooling unit group.

    Columns: ``system`` (power / cooling), ``stage`` (what it does), ``model`` (catalog name), ``where`` (campus, or
    each of the halls), ``count`` (installed, campus), ``per hall`` (installed per hall, text, for hall-level
    equipment), ``required`` (units the load needs), ``rating``, ``redundancy``, ``loading normal [%]`` and
    ``loading after one failure [%]``. Hall-level equipment: the power stages of the IT and rack zones, CDUs and
    CRAHs and the heat-rejection plant (sized with their redundancy in each hall); the trunk and the mechanical
    supply are campus-level. ``cooling`` is the
    scenario's ``[cooling]`` table (its ``*_redundancy`` keys name the cooling schemes; without it the redundancy
    is read from the counts as N+spares).
    """
    halls = int(doc.get("halls") or 1)
    rows = []
    for s in doc["stages"]:
        if not s["units_installed"]:
            continue
        in_hall = s["zone"] in ("it", "rack")
        rows.append({
            "system": "power", "stage": s["name"] + (f" [{s['deployment']}]" if s.get("deployment") else ""),
            "model": s["equipment"], "where": f"each of {halls} halls" if in_hall and halls > 1 else "campus",
            "count": int(s["units_installed"]),
            "per hall": _per_hall(int(s["units_installed"]), halls) if in_hall else "",
            "required": int(s["units_required"]), "rating": s["unit_rating"], "redundancy": s["redundancy"],
            "loading normal [%]": None if s["loading_normal"] is None else 100 * s["loading_normal"],
            "loading after one failure [%]": None if s["loading_failed"] is None else 100 * s["loading_failed"]})
    redundancy = {"cdu": "cdu_redundancy", "crah": "crah_redundancy", "chiller": "chiller_redundancy"}
    inputs = cooling or {}
    for e in doc["cooling"]["equipment"]:
        if not e["units_installed"]:
            continue
        in_hall = e["kind"] in ("cdu", "crah") or int(e.get("halls") or 1) > 1  # plant units too: N+1 per hall
        rows.append({
            "system": "cooling", "stage": f"{e['kind']} ({e['serves']})", "model": e["model"],
            "where": f"each of {halls} halls" if in_hall and halls > 1 else "campus",
            "count": int(e["units_installed"]),
            "per hall": _per_hall(int(e["units_installed"]), halls) if in_hall else "",
            "required": int(e["units_required"]), "rating": f"{e['unit_capacity_kw']:,.0f} kW",
            "redundancy": inputs.get(redundancy.get(e["kind"], "heat_rejection_redundancy"), "")
            or _spare(int(e["units_required"]), int(e["units_installed"])),
            "loading normal [%]": None if e["loading_normal"] is None else 100 * e["loading_normal"],
            "loading after one failure [%]": None if e["loading_failed"] is None else 100 * e["loading_failed"]})
    return rows


def _spare(required: int, installed: int) -> str:
    spare = installed - required
    return "N" if spare <= 0 else f"N+{spare}"


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items() if not (isinstance(v, dict) and not v)}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


#: Keys whose values are whole numbers (a deployment's counts other than compute_target [FLOPS], a hall count).
_WHOLE_KEYS = (*(k for k, unit in COUNT_KEYS.items() if unit is None), "count")


def _ints(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _ints(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_ints(v, key) for v in value]
    if key in _WHOLE_KEYS and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def what_if_toml(data: Mapping[str, Any], name: str, weather_names: Mapping[str, str] | None = None) -> str:
    """A what-if as a scenario file of its own: named ``name``, without the ``[expect]`` bands of the scenario it
    came from (they describe that scenario, not this one), counts as integers, no empty tables, and weather files
    by their file name (``weather_names`` maps a server path to the name the user knows it by) — no server paths.
    """
    import tomli_w

    d = copy.deepcopy(dict(data))
    d["name"] = name.strip() or str(d.get("name", "what-if"))
    d.pop("expect", None)
    weather = d.get("site", {}).get("weather")
    if isinstance(weather, str) and (weather_names and weather in weather_names):
        d["site"]["weather"] = weather_names[weather]
    elif isinstance(weather, str) and Path(weather).is_absolute():
        d["site"]["weather"] = Path(weather).name
    return tomli_w.dumps(_prune(_ints(d)))


def scenario_file_name(name: str, suffix: str = ".toml") -> str:
    """A file name from a scenario name: lower case, words joined by ``-``, nothing a file system dislikes.

    >>> scenario_file_name("GB200 NVL72 campus, Ashburn (800 V DC)")
    'gb200-nvl72-campus-ashburn-800-v-dc.toml'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:80].strip("-")
    return (slug or "scenario") + suffix


def hourly_csv(ds: Any) -> str:
    """The hourly Dataset as CSV: one row per hour, each header with its unit (``facility_power [W]``), the time of
    the typical year as ``month-day hour`` text (``01-01 00:00``: a TMY has no single calendar year)."""
    names = [n for n in ds.data_vars if ds[n].dims == ("time",)]
    times = np.datetime_as_string(ds["time"].values, unit="m")
    cols = [np.asarray(ds[n].values) for n in names]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["time (typical year) [MM-DD hh:mm]"] + [f"{n} [{ds[n].attrs.get('units', '')}]" for n in names])
    for i, t in enumerate(times):
        w.writerow([t[5:].replace("T", " ")] + [_csv_value(c[i]) for c in cols])
    return out.getvalue()


def _csv_value(x: Any) -> Any:
    if isinstance(x, np.bool_ | bool):
        return int(x)
    x = float(x)
    return "" if not math.isfinite(x) else repr(x)


def public_doc(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The result document without server paths: ``source`` and ``site.weather_file`` by file name only."""
    d = copy.deepcopy(dict(doc))
    if d.get("source"):
        d["source"] = Path(str(d["source"])).name
    site = d.get("site", {})
    if site.get("weather_file"):
        site["weather_file"] = Path(str(site["weather_file"])).name
    if isinstance(site.get("weather"), str) and Path(site["weather"]).is_absolute():
        site["weather"] = Path(site["weather"]).name
    return d


def rows_csv(rows: Sequence[Mapping[str, Any]]) -> str:
    """Rows of dicts as CSV (the headers are the keys, which carry their units)."""
    if not rows:
        return ""
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: "" if v is None else v for k, v in r.items()})
    return out.getvalue()


def _col(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _cell(ref: str, v: Any) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return ""
    if isinstance(v, bool | np.bool_):
        return f'<c r="{ref}" t="b"><v>{int(v)}</v></c>'
    if isinstance(v, int | float | np.integer | np.floating):
        return f'<c r="{ref}"><v>{float(v)!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(v))}</t></is></c>'


def xlsx_bytes(rows: Sequence[Mapping[str, Any]], sheet: str = "Sheet1") -> bytes:
    """Rows of dicts as an Office Open XML workbook (.xlsx) of one sheet: headers in row 1, numbers as numbers.

    Written with the standard library (ECMA-376 SpreadsheetML, inline strings), so no spreadsheet library is needed.
    """
    heads = list(rows[0]) if rows else []
    lines = []
    for r, values in enumerate([heads, *[[row.get(h) for h in heads] for row in rows]], start=1):
        cells = "".join(_cell(f"{_col(c)}{r}", v) for c, v in enumerate(values))
        lines.append(f'<row r="{r}">{cells}</row>')
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    files = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml":
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook {ns} xmlns:r="{rel}">'
            f'<sheets><sheet name="{escape(sheet[:31])}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml":
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet {ns}><sheetData>'
            + "".join(lines) + "</sheetData></worksheet>",
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buf.getvalue()


def monthly(ds: Any) -> list[dict[str, Any]]:
    """Energy and PUE of each month of the year: ``{"month", "facility [MWh]", "IT [MWh]", "cooling [MWh]",
    "PUE"}``; the hours are one hour each, so energy [MWh] = Σ power [W] x 1 h / 10⁶. The months add up to the
    year's energy."""
    months = ds["time"].dt.month.values
    fac, it, cool = (np.asarray(ds[n].values, dtype=float) for n in ("facility_power", "it_power", "cooling_power"))
    names = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    rows = []
    for m in range(1, 13):
        sel = months == m
        if not sel.any():
            continue
        f, i = fac[sel].sum() / 1e6, it[sel].sum() / 1e6
        rows.append({"month": names[m - 1], "facility [MWh]": float(f), "IT [MWh]": float(i),
                     "cooling [MWh]": float(cool[sel].sum() / 1e6), "PUE": float(f / i) if i > 0 else None})
    return rows


def load_duration(ds: Any, points: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """The load-duration curve of the grid demand: hours [h] at or above each demand [MW], highest first,
    thinned to about ``points`` points (the first and the last hour kept)."""
    mw = np.sort(np.asarray(ds["facility_power"].values, dtype=float))[::-1] / 1e6
    hours = np.arange(1, mw.size + 1, dtype=float)
    if mw.size > points:
        idx = np.unique(np.r_[np.linspace(0, mw.size - 1, points).astype(int), mw.size - 1])
        return hours[idx], mw[idx]
    return hours, mw


def example_supply(peak_mw: float) -> dict[str, Any]:
    """The ``[supply]`` the explorer shows for a scenario without one: a grid connection of 60 % of the year's peak
    grid demand (rounded to 10 MW; an engineering assumption, a campus waiting on its interconnection), the rest
    chosen by the optimiser: Titan 130 turbines (N+1), a 4-hour battery, single-axis solar."""
    return {"grid": {"import_limit": f"{round(0.6 * peak_mw, -1):g} MW"},
            "turbines": [{"model": "titan-130", "count": "free", "redundancy": "N+1"}],
            "battery": {"power": "free"}, "solar": {"capacity": "free"}}
