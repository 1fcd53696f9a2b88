"""Every output declared once: name, unit, description and scope (design, annual, hourly).

This leaf table (it imports nothing of ``facility``) is where the names and units of the outputs come from:

* the numeric top-level keys of the JSON document (:data:`RESULT_KEYS`, what ``[expect]`` may bound);
* the KPIs of a sweep (:data:`SWEEP_KPIS`) and its hourly variables (:data:`SWEEP_HOURLY`);
* the variables of the hourly Dataset and their ``units`` / ``long_name`` attributes (:data:`HOURLY`);
* the key table of README.md (:func:`markdown_table`; a test keeps the README in sync).

Units are pint-readable strings (``"MW"``, ``"m^3/h"``, ``"1"`` for a ratio or a count); JSON keys carry them
in their names (``_mw``, ``_m3_per_h``). Later versions add outputs, they never rename one.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Output", "OUTPUTS", "RESULT_KEYS", "SWEEP_KPIS", "SWEEP_HOURLY", "HOURLY", "markdown_table"]


@dataclass(frozen=True)
class Output:
    """One output: ``name``, ``unit`` (pint string; ``"1"`` dimensionless), ``description``, ``scope``
    (``design``, ``annual`` or ``hourly``); ``sweep``: the short name a sweep gives it, if a sweep returns it."""

    name: str
    unit: str
    description: str
    scope: str
    sweep: str | None = None

    @property
    def unit_label(self) -> str:
        """The unit as printed in descriptions: ``-`` for dimensionless, ``m3`` for ``m^3``."""
        return "-" if self.unit == "1" else self.unit.replace("^", "")


def _o(name: str, unit: str, description: str, scope: str, sweep: str | None = None) -> Output:
    return Output(name, unit, description, scope, sweep)


OUTPUTS: tuple[Output, ...] = (
    # ------------------------------------------------------------------ design point (JSON top level)
    _o("accelerators", "1", "installed accelerators", "design", "installed accelerators"),
    _o("accelerators_requested", "1", "accelerators asked for by the plan", "design"),
    _o("nodes", "1", "nodes", "design"),
    _o("racks", "1", "all IT racks, compute and overhead", "design", "IT racks"),
    _o("compute_racks", "1", "accelerator racks", "design"),
    _o("overhead_racks", "1", "network, storage and management racks", "design"),
    _o("halls", "1", "data halls", "design"),
    _o("racks_per_hall", "1", "racks in the fullest hall", "design"),
    _o("it_power_mw", "MW", "design IT power, every rack at maximum", "design", "design IT power"),
    _o("it_power_typical_mw", "MW", "typical IT power in training", "design"),
    _o("heat_to_liquid_mw", "MW", "design heat to liquid", "design"),
    _o("heat_to_air_mw", "MW", "design heat to air", "design"),
    _o("hall_it_power_mw", "MW", "design IT power per hall", "design"),
    _o("rack_density_kw", "kW", "mean design power of a compute rack", "design"),
    _o("bf16_dense_eflops", "EFLOPS", "installed peak dense BF16", "design"),
    _o("grid_import_mw", "MW", "grid import at design, IT and mechanical branches", "design"),
    _o("grid_import_it_mw", "MW", "grid import for the IT branch (with its share of trunk losses)", "design"),
    _o("electrical_loss_mw", "MW", "losses outside the racks: substation, distribution, UPS", "design",
       "electrical losses outside the racks at design"),
    _o("in_rack_loss_mw", "MW", "conversion and busbar losses inside the racks (part of the IT power)", "design"),
    _o("delivered_to_chips_mw", "MW", "power reaching the core rails of the racks", "design"),
    _o("copper_mass_t", "t", "copper in the conductors of the power chain", "design", "copper in the power chain"),
    _o("end_to_end_efficiency", "1", "power delivered to chips and overhead IT / whole grid import (cooling and "
       "house loads included): electrical_chain_efficiency x (1 - mechanical_share_of_grid)", "design"),
    _o("electrical_chain_efficiency", "1", "electrical chain, grid to chips: power delivered to chips and overhead "
       "IT / grid import of the IT branch (cooling and house loads excluded)", "design"),
    _o("mechanical_share_of_grid", "1", "share of the grid import at design that feeds cooling and house loads "
       "(mechanical branch with its share of trunk losses)", "design"),
    _o("facility_power_design_mw", "MW", "facility power at design: grid import with cooling and house loads",
       "design", "facility power at design"),
    _o("pue_design", "1", "design PUE: facility power / IT power", "design", "design PUE"),
    _o("cooling_power_mw", "MW", "electric power of pumps, fans and compressors at design", "design",
       "cooling power at design"),
    _o("water_design_m3_per_h", "m^3/h", "water drawn by the heat rejection at design", "design"),
    _o("house_load_mw", "MW", "house loads (lighting, offices, controls)", "design"),
    _o("ups_recharge_mw", "MW", "UPS battery recharge at the charger limit after a ride-through; in the facility "
       "power at design only with cooling.ups_recharge_at_design", "design"),
    # ------------------------------------------------------------------ the weather year (JSON top level)
    _o("pue_annual", "1", "energy-weighted PUE over the weather year", "annual", "annual PUE"),
    _o("annual_energy_mwh", "MWh", "facility energy over the year", "annual", "facility energy over the year"),
    _o("it_energy_mwh", "MWh", "IT energy over the year", "annual", "IT energy over the year"),
    _o("cooling_energy_mwh", "MWh", "cooling plant energy over the year", "annual"),
    _o("peak_grid_mw", "MW", "highest hourly grid demand of the year at the load profile", "annual",
       "peak grid demand of the year"),
    _o("wue_l_per_kwh", "L/kWh", "water use effectiveness: litres per kWh of IT energy", "annual",
       "water use effectiveness"),
    _o("water_annual_m3", "m^3", "water drawn over the year", "annual", "water over the year"),
    _o("chiller_hours", "h", "hours in which a chiller runs on the liquid (facility water) loop", "annual",
       "liquid-loop chiller hours"),
    _o("chiller_hours_air", "h", "hours in which a chiller runs on the air-side loop", "annual"),
    _o("free_cooling_hours", "h", "hours with the liquid loop on the economiser alone", "annual"),
    _o("hours_above_design", "h", "hours of the year at full load above the design facility power", "annual"),
    # ------------------------------------------------------------------ hourly variables (Dataset on time)
    _o("temp_air", "degC", "outdoor dry bulb", "hourly"),
    _o("temp_wet_bulb", "degC", "outdoor wet bulb", "hourly"),
    _o("it_fraction", "1", "IT load as a fraction of design IT power", "hourly"),
    _o("it_power", "W", "IT power at the rack inputs", "hourly", "IT power at the rack inputs"),
    _o("delivered_to_chips", "W", "power reaching the core rails", "hourly"),
    _o("in_rack_loss", "W", "conversion losses inside the racks", "hourly"),
    _o("electrical_loss", "W", "electrical losses outside the racks", "hourly", "electrical losses outside the racks"),
    _o("pump_power", "W", "pumps", "hourly", "pumps"),
    _o("fan_power", "W", "CRAH and cooler fans", "hourly"),
    _o("compressor_power", "W", "chiller compressors", "hourly", "chiller compressors"),
    _o("cooling_power", "W", "cooling plant electric power", "hourly", "cooling plant electric power"),
    _o("house_load", "W", "house loads", "hourly"),
    _o("facility_power", "W", "grid import", "hourly", "grid import"),
    _o("pue", "1", "hourly PUE", "hourly", "hourly PUE"),
    _o("water", "m^3/s", "water drawn by heat rejection", "hourly", "water drawn by heat rejection"),
    _o("chiller_on", "1", "a chiller runs on the liquid (facility water) loop", "hourly",
       "a chiller runs on the liquid (facility water) loop"),
    _o("free_cooling_fraction", "1", "share of the liquid loop's heat carried by the economiser alone", "hourly"),
    _o("chiller_on_air", "1", "a chiller runs on the air-side (chilled water) loop", "hourly"),
    _o("heat_in", "W", "heat entering the cooling system, work included", "hourly"),
    _o("heat_rejected", "W", "heat rejected outdoors", "hourly"),
    _o("delivered_to_overhead_it", "W", "overhead IT", "hourly"),
)

_BY_SCOPE = {scope: [o for o in OUTPUTS if o.scope == scope] for scope in ("design", "annual", "hourly")}

#: Numeric top-level results a scenario's ``[expect]`` table may bound, with their units: name -> text.
RESULT_KEYS: dict[str, str] = {o.name: f"{o.description} [{o.unit_label}]"
                               for o in _BY_SCOPE["design"] + _BY_SCOPE["annual"]}
#: Hourly variables of the Dataset: name -> (units, long name).
HOURLY: dict[str, tuple[str, str]] = {o.name: (o.unit, o.description) for o in _BY_SCOPE["hourly"]}
#: KPIs of each point of a sweep: name -> (units, long name), in the order of the sweep's output.
SWEEP_KPIS: dict[str, tuple[str, str]] = {n: next((o.unit, o.sweep) for o in OUTPUTS if o.name == n) for n in (
    "it_power_mw", "facility_power_design_mw", "pue_design", "pue_annual", "annual_energy_mwh", "it_energy_mwh",
    "peak_grid_mw", "wue_l_per_kwh", "water_annual_m3", "chiller_hours", "cooling_power_mw", "electrical_loss_mw",
    "copper_mass_t", "accelerators", "racks")}
#: Hourly variables a sweep can return on a ``time`` dimension: name -> (units, long name).
SWEEP_HOURLY: dict[str, tuple[str, str]] = {n: next((o.unit, o.sweep) for o in OUTPUTS if o.name == n) for n in (
    "facility_power", "it_power", "cooling_power", "compressor_power", "pump_power", "electrical_loss", "pue", "water",
    "chiller_on")}


def markdown_table(scopes: tuple[str, ...] = ("design", "annual", "hourly")) -> str:
    """The outputs of ``scopes`` as a Markdown table (README.md's key table is this text)."""
    rows = ["| key | unit | scope | meaning |", "| --- | --- | --- | --- |"]
    rows += [f"| `{o.name}` | {o.unit_label} | {o.scope} | {o.description} |" for o in OUTPUTS if o.scope in scopes]
    return "\n".join(rows)
