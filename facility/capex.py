r"""Capital cost of the campus: its power and cooling equipment and its supply options, annualised, with the
year's energy and water.

Every item of the campus's equipment list (the power stages' ``equipment`` and the cooling ``equipment`` of the
campus JSON, :func:`facility.results.to_json`; the loops' and condensers' pumps by their design power) is priced
from ``[equipment.<catalog model>]`` of ``facility/catalog/costs.toml``: a ``unit_cost`` per kVA or kW of rating
(times units x rating) or per unit (times units), a ``lifetime`` and, where published, a ``lead_time``. Models of
``scope = "it"`` (power shelves, boards, rack busbars, cold plates) are part of the IT hardware's price: listed,
not counted. The supply options (turbines, battery, solar of a solved ``[supply]``) are priced from the same file's
supply entries (:mod:`facility.supply`).

Annualised capital (capital recovery factor, e.g. Short, Packey & Holt, "A Manual for the Economic Evaluation of
Energy Efficiency and Renewable Energy Technologies", NREL/TP-462-5173, 1995):

.. math:: C_{ann} = \sum_i C_i \frac{r}{1 - (1 + r)^{-n_i}}

Annual cost = annualised capital + fixed O&M of the supply options + energy (the supply's variable costs per year
when solved — fuel, grid energy and demand charge, starts, O&M, wear — else the year's facility energy at the
default grid price) + water (the year's water at ``water_price``). ``cost_usd_per_mwh`` is that annual cost over
the year's IT energy (the energy the campus exists to deliver).

Units: US dollars (of the year of each source, 2022-2024), MW of IT at design, MWh per year.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import pint

from facility.errors import ScenarioError
from facility.units import ureg

__all__ = ["load_equipment_costs", "campus_capex", "capex_table", "CAPEX_UNITS"]

_PATH = Path(__file__).parent / "catalog" / "costs.toml"

#: JSON keys of :func:`campus_capex` and their units.
CAPEX_UNITS: dict[str, str] = {
    "capex_usd": "USD (overnight, facility power and cooling equipment + supply options)",
    "capex_facility_usd": "USD", "capex_supply_usd": "USD",
    "capex_usd_per_mw_it": "USD per MW of IT power at design",
    "annualised_capex_usd_per_year": "USD/year", "fixed_om_usd_per_year": "USD/year (supply options)",
    "energy_cost_usd_per_year": "USD/year", "water_cost_usd_per_year": "USD/year",
    "annual_cost_usd_per_year": "USD/year", "cost_usd_per_mwh": "USD per MWh of IT energy",
    "discount_rate": "- (real)", "lead_time_weeks_max": "weeks (longest published lead time of the list)",
}


@cache
def load_equipment_costs() -> dict[str, dict[str, Any]]:
    """``[equipment.*]`` of costs.toml: model -> {"unit_cost": Quantity, "lifetime": years, "lead_time": weeks |
    None, "scope": "facility" | "it", "source": {field: source}} (read once)."""
    raw = tomllib.loads(_PATH.read_text(encoding="utf-8")).get("equipment", {})
    out: dict[str, dict[str, Any]] = {}
    for model, table in raw.items():
        def err(key: str, msg: str, model: str = model) -> ScenarioError:
            return ScenarioError(msg, source=str(_PATH), key=f"equipment.{model}.{key}")

        scope = table.get("scope", "facility")
        if scope not in ("facility", "it"):
            raise err("scope", f"got {scope!r}; expected \"facility\" or \"it\"")
        entry: dict[str, Any] = {"scope": scope, "lead_time": None, "source": {}}
        if scope == "it":
            out[model] = entry
            continue
        for key in ("unit_cost", "lifetime", "lead_time"):
            if key not in table:
                if key == "lead_time":
                    continue
                raise err(key, "missing; expected { value = ..., source = \"...\" }")
            v = table[key]
            if not isinstance(v, dict) or not str(v.get("source", "")).strip() or "value" not in v:
                raise err(key, "expected { value = ..., source = \"...\" } with a non-empty source")
            try:
                q = ureg.Quantity(v["value"])
            except Exception:  # pint raises many types on a bad text
                raise err(key, f"cannot read {v['value']!r}; expected a quantity with its unit") from None
            entry["source"][key] = v["source"]
            if key == "unit_cost":
                if not (q.check("[currency]") or q.check("[currency] / [power]")) or q.magnitude < 0:
                    raise err(key, f"got {v['value']!r}; expected a cost per unit (USD) or per kW/kVA (USD/kW)")
                entry[key] = q
            else:
                if not q.check("[time]") or q.magnitude <= 0:
                    raise err(key, f"got {v['value']!r}; expected a positive time (years, weeks)")
                entry[key] = float(q.m_as("year" if key == "lifetime" else "week"))
        out[model] = entry
    return out


def _annuity(rate: float, years: float) -> float:
    from facility.supply import annuity

    return annuity(rate, years)


def _price(model: str, kind: str, units: float, rating: pint.Quantity | None, what: str,
           costs: dict[str, dict[str, Any]], rate: float, items: list, excluded: list, unpriced: list) -> None:
    entry = costs.get(model)
    if entry is None:
        unpriced.append({"kind": kind, "model": model, "units": units, "what": what})
        return
    if entry["scope"] == "it":
        excluded.append({"kind": kind, "model": model, "units": units})
        return
    uc = entry["unit_cost"]
    if uc.check("[currency]"):
        capex = units * float(uc.m_as("USD"))
    else:
        if rating is None or not rating.check("[power]"):
            unpriced.append({"kind": kind, "model": model, "units": units,
                             "what": f"{what}: a cost per kW needs a rating in kW or kVA"})
            return
        capex = units * float(rating.m_as("kW")) * float(uc.m_as("USD/kW"))
    life = entry["lifetime"]
    items.append({"kind": kind, "model": model, "serves": what, "units": units,
                  "rating": None if rating is None else f"{rating:~P}", "unit_cost": f"{uc:~P}",
                  "capex_usd": round(capex, 2), "lifetime_years": life,
                  "annualised_usd_per_year": round(capex * _annuity(rate, life), 2),
                  "lead_time_weeks": entry["lead_time"], "source": entry["source"]["unit_cost"]})


def _supply_items(summary: dict[str, Any], rate: float) -> tuple[list[dict[str, Any]], float]:
    """Overnight capital of the supply options of a solved supply and their fixed O&M per year."""
    from facility.supply import cost_figure as _cost

    items, fom = [], 0.0

    def add(kind: str, model: str, capex: float, life: float, mw: float, what: str) -> None:
        nonlocal fom
        items.append({"kind": kind, "model": model, "serves": what, "units": None, "rating": f"{mw:g} MW",
                      "unit_cost": None, "capex_usd": round(capex, 2), "lifetime_years": life,
                      "annualised_usd_per_year": round(capex * _annuity(rate, life), 2), "lead_time_weeks": None,
                      "source": "facility/catalog/costs.toml [" + model + "]"})
        fom += _cost(model, "fixed_om", "USD/MW/year") * mw

    for t in summary.get("turbines", []):
        mw = t["capacity_mw"]
        add(t["kind"], t["model"], _cost(t["model"], "capex", "USD/MW") * mw,
            _cost(t["model"], "lifetime", "year") or 30.0, mw, f"{t['units']} x {t['unit_rating_mw']:g} MW")
    b = summary.get("battery")
    if b:
        capex = (_cost(b["model"], "capex_power", "USD/MW") * b["power_mw"]
                 + _cost(b["model"], "capex_energy", "USD/MWh") * b["energy_mwh"])
        add("battery", b["model"], capex, _cost(b["model"], "lifetime", "year") or 15.0, b["power_mw"],
            f"{b['power_mw']:g} MW / {b['energy_mwh']:g} MWh")
    s = summary.get("solar")
    if s:
        add("pv", s["model"], _cost(s["model"], "capex", "USD/MW") * s["capacity_mw"],
            _cost(s["model"], "lifetime", "year") or 30.0, s["capacity_mw"], f"{s['capacity_mw']:g} MWac")
    return items, fom


def campus_capex(doc: dict[str, Any], supply: dict[str, Any] | None = None, *,
                 discount_rate: float | None = None) -> dict[str, Any]:
    """Capital and annual cost of a campus.

    Parameters
    ----------
    doc
        The campus JSON (:func:`facility.results.to_json`, ``facility run --format json``); its annual keys
        (``annual_energy_mwh``, ``it_energy_mwh``, ``water_annual_m3``) when run with its year.
    supply
        The summary of its solved supply (:meth:`facility.supply.SupplyResult.to_json`), or None: energy at the
        default grid price of costs.toml.
    discount_rate
        Real discount rate [-]; default that of the supply summary, else costs.toml's.

    Returns
    -------
    dict
        The keys of :data:`CAPEX_UNITS` plus ``items`` (each priced item with its source), ``excluded_it_scope``,
        ``unpriced`` and ``units``.
    """
    from facility.supply import cost_figure

    rate = (discount_rate if discount_rate is not None else supply["discount_rate"]
            if supply and "discount_rate" in supply else cost_figure("defaults", "discount_rate", ""))
    costs = load_equipment_costs()
    items: list[dict[str, Any]] = []
    excluded: list[dict[str, Any]] = []
    unpriced: list[dict[str, Any]] = []
    for e in doc.get("equipment", []):
        rating = ureg.Quantity(e["rating"]) if e.get("rating") else None
        _price(e["model"], e["kind"], e["count"], rating, ", ".join(e.get("stages", [])), costs, rate, items,
               excluded, unpriced)
    cooling = doc.get("cooling", {})
    for e in cooling.get("equipment", []):
        _price(e["model"], e["kind"], e["units_installed"], ureg.Quantity(e["unit_capacity_kw"], "kW"), e["serves"],
               costs, rate, items, excluded, unpriced)
    pump_kw = (sum(loop.get("pump_power_kw") or 0.0 for loop in cooling.get("loops", []))
               + sum(p.get("condenser_pump_power_kw") or 0.0 for p in cooling.get("heat_rejection", [])))
    if pump_kw > 0:
        _price("pump", "pump", 1, ureg.Quantity(pump_kw, "kW"), "loop and condenser pumps at design power", costs,
               rate, items, excluded, unpriced)
    facility_capex = sum(i["capex_usd"] for i in items)
    supply_items, fom = _supply_items(supply, rate) if supply else ([], 0.0)
    supply_capex = sum(i["capex_usd"] for i in supply_items)
    items += supply_items
    annualised = sum(i["annualised_usd_per_year"] for i in items)
    it_mw = float(doc.get("it_power_mw") or 0.0)
    energy = water = None
    if supply:
        scale = supply.get("annualised_over_hours") or 1.0
        c = supply["cost_usd"]
        energy = (supply["total_cost_usd"] - c["capital_and_fixed_om_usd"]) / scale
    elif doc.get("annual_energy_mwh") is not None:
        energy = doc["annual_energy_mwh"] * cost_figure("defaults", "grid_price", "USD/MWh")
    if doc.get("water_annual_m3") is not None:
        water = doc["water_annual_m3"] * cost_figure("defaults", "water_price", "USD/m^3")
    annual = annualised + fom + (energy or 0.0) + (water or 0.0)
    it_mwh = doc.get("it_energy_mwh")
    leads = [i["lead_time_weeks"] for i in items if i["lead_time_weeks"] is not None]
    total = facility_capex + supply_capex
    return {
        "capex_usd": round(total, 2),
        "capex_facility_usd": round(facility_capex, 2),
        "capex_supply_usd": round(supply_capex, 2),
        "capex_usd_per_mw_it": round(total / it_mw, 2) if it_mw > 0 else None,
        "annualised_capex_usd_per_year": round(annualised, 2),
        "fixed_om_usd_per_year": round(fom, 2),
        "energy_cost_usd_per_year": None if energy is None else round(energy, 2),
        "water_cost_usd_per_year": None if water is None else round(water, 2),
        "annual_cost_usd_per_year": round(annual, 2),
        "cost_usd_per_mwh": round(annual / it_mwh, 4) if it_mwh and energy is not None else None,
        "discount_rate": rate,
        "lead_time_weeks_max": max(leads) if leads else None,
        "items": items,
        "excluded_it_scope": excluded,
        "unpriced": unpriced,
        "units": CAPEX_UNITS,
    }


def capex_table(doc: dict[str, Any]) -> str:
    """A short text report of :func:`campus_capex`."""
    lines = [f"{'item':<34} {'units':>8} {'capex':>16} {'life':>5} {'per year':>14} {'lead':>6}"]
    for i in doc["items"]:
        lead = "" if i["lead_time_weeks"] is None else f"{i['lead_time_weeks']:.0f} wk"
        units = "" if i["units"] is None else f"{i['units']:,.0f}"
        lines.append(f"{i['model'][:34]:<34} {units:>8} {i['capex_usd']:>16,.0f} {i['lifetime_years']:>5.0f} "
                     f"{i['annualised_usd_per_year']:>14,.0f} {lead:>6}")

    def money(v: float | None) -> str:
        return "n/a" if v is None else f"{v:,.0f} USD"

    lines += [f"capital {money(doc['capex_usd'])} (facility {money(doc['capex_facility_usd'])}, supply "
              f"{money(doc['capex_supply_usd'])}); "
              + ("" if doc["capex_usd_per_mw_it"] is None else f"{doc['capex_usd_per_mw_it'] / 1e6:,.2f} M USD/MW IT"),
              f"per year: capital {money(doc['annualised_capex_usd_per_year'])} at {doc['discount_rate']:.1%}, "
              f"fixed O&M {money(doc['fixed_om_usd_per_year'])}, energy {money(doc['energy_cost_usd_per_year'])}, "
              f"water {money(doc['water_cost_usd_per_year'])}; total {money(doc['annual_cost_usd_per_year'])}",
              "cost per MWh of IT energy: " + ("n/a (no year)" if doc["cost_usd_per_mwh"] is None
                                               else f"{doc['cost_usd_per_mwh']:,.2f} USD/MWh")]
    if doc["excluded_it_scope"]:
        lines.append("in the IT hardware's price (not counted): "
                     + ", ".join(sorted({e["model"] for e in doc["excluded_it_scope"]})))
    if doc["unpriced"]:
        lines.append("NOT PRICED (no [equipment.<model>] in costs.toml): "
                     + ", ".join(sorted({e["model"] for e in doc["unpriced"]})))
    return "\n".join(lines)
