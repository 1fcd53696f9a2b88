"""Design weather of a site: ASHRAE design conditions from the .ddy file, or the hottest hours of the weather file.

The bundled sites carry the ASHRAE 2009 design-day files distributed with EnergyPlus (``*.ddy``): the cooling
design conditions "Ann Clg .4% Condns DB=>MWB" (dry bulb exceeded 0.4 % of the year, 35 h, with its mean
coincident wet bulb) size dry and adiabatic coolers; "Ann Clg .4% Condns WB=>MDB" (wet bulb exceeded 0.4 %)
sizes cooling towers (ASHRAE Handbook — Fundamentals 2017, Ch. 14). ``weather-max`` takes the hottest dry bulb
and the highest wet bulb of the weather file itself (read by :func:`facility.weather.load_weather`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pint

from facility.errors import ScenarioError
from facility.units import Q_

__all__ = ["DesignConditions", "read_ddy", "design_conditions"]


@dataclass(frozen=True)
class DesignConditions:
    """Outdoor design conditions: dry bulb with its coincident wet bulb, design wet bulb, pressure [K, K, K, Pa]."""

    dry_bulb: pint.Quantity
    coincident_wet_bulb: pint.Quantity
    wet_bulb: pint.Quantity
    pressure: pint.Quantity
    source: str


@cache
def read_ddy(path: Path) -> dict[str, dict[str, float | str]]:
    """The ``SizingPeriod:DesignDay`` objects of an EnergyPlus .ddy file: name -> {field comment: value}."""
    text = path.read_text(encoding="latin-1")
    days: dict[str, dict[str, float | str]] = {}
    for obj in text.split(";"):
        if "SizingPeriod:DesignDay" not in obj:
            continue
        fields: dict[str, float | str] = {}
        for line in obj.splitlines():
            m = re.match(r"\s*([^,!]*?)\s*,?\s*!-\s*(.+?)\s*$", line)
            if not m:
                continue
            raw, label = m[1].strip(), m[2]
            try:
                fields[label] = float(raw)
            except ValueError:
                fields[label] = raw
        name = str(fields.get("Name", ""))
        if name:
            days[name] = fields
    return days


def _find(days: dict, pattern: str) -> dict:
    for name, f in days.items():
        if pattern in name:
            return f
    raise KeyError(pattern)


def _wet_bulb_field(f: dict) -> float:
    for label, v in f.items():
        if label.startswith("Wetbulb") and "Maximum Dry-Bulb" in label and isinstance(v, float):
            return v
    raise KeyError("wet bulb")


def _weather_max(path: Path) -> tuple[float, float, float, float]:
    from facility.weather import load_weather

    w = load_weather(path)
    i = int(np.argmax(w.dry_bulb))
    return float(w.dry_bulb[i]), float(w.wet_bulb[i]), float(np.max(w.wet_bulb)), float(np.median(w.pressure))


def design_conditions(weather_path: Path, basis: str = "ashrae-0.4%", *, source: str | None = None,
                      key: str = "cooling.design_basis") -> DesignConditions:
    """Design conditions of a weather file under ``basis`` (``ashrae-0.4%``, ``ashrae-1%``, ``ashrae-2%``,
    ``weather-max``). The ASHRAE bases need a ``.ddy`` file beside the weather file."""
    if basis == "weather-max":
        try:
            db, cwb, wb, p = _weather_max(weather_path)
        except ValueError as exc:
            raise ScenarioError(str(exc), source=source, key="site.weather") from None
        return DesignConditions(Q_(db, "K"), Q_(cwb, "K"), Q_(wb, "K"), Q_(p, "Pa"),
                                f"hottest hour of {weather_path.name} (dry bulb) and its highest wet bulb")
    ddy = weather_path.with_suffix(".ddy")
    if not ddy.is_file():
        raise ScenarioError(f"basis {basis!r} needs the ASHRAE design-day file {ddy.name} beside the weather file; "
                            "expected it there, or design_basis = \"weather-max\"", source=source, key=key)
    pct = basis.split("-")[1].replace("0.4", ".4")
    try:
        days = read_ddy(ddy)
    except (OSError, UnicodeError, ValueError) as exc:
        raise ScenarioError(f"cannot read {ddy.name} ({exc.__class__.__name__}: {exc})", source=source,
                            key=key) from None
    try:
        f_db = _find(days, f"Ann Clg {pct} Condns DB=>MWB")
        f_wb = _find(days, f"Ann Clg {pct} Condns WB=>MDB")
    except KeyError as exc:
        raise ScenarioError(f"{ddy.name} has no '{exc.args[0]}' design day", source=source, key=key) from None
    db = _number(f_db, "Maximum Dry-Bulb Temperature {C}", ddy, source, key)
    p = _number(f_db, "Barometric Pressure {Pa}", ddy, source, key, default=101325.0)
    try:
        cwb, wb = _wet_bulb_field(f_db), _wet_bulb_field(f_wb)
    except KeyError:
        raise ScenarioError(f"{ddy.name}: a cooling design day lacks the line 'Wetbulb ... at Maximum Dry-Bulb' "
                            "(a number); expected an EnergyPlus .ddy file of ASHRAE design days", source=source,
                            key=key) from None
    _check_ddy(ddy, db, max(cwb, wb), p, source, key)
    return DesignConditions(Q_(db + 273.15, "K"), Q_(cwb + 273.15, "K"), Q_(wb + 273.15, "K"), Q_(p, "Pa"),
                            f"ASHRAE 2009 annual cooling {pct} design conditions ({ddy.name})")


def _number(fields: dict, label: str, ddy: Path, source: str | None, key: str, default: float | None = None) -> float:
    """A numeric line of a design day; a missing line (without default) or text instead of a number: ScenarioError."""
    v = fields.get(label, default)
    if not isinstance(v, float) or not np.isfinite(v):
        what = "lacks the line" if v is None else f"has {str(v)[:40]!r} instead of a number on the line"
        raise ScenarioError(f"{ddy.name} {what} '{label}'; expected an EnergyPlus .ddy file of ASHRAE design days",
                            source=source, key=key)
    return float(v)


def _check_ddy(ddy: Path, db: float, wb: float, p: float, source: str | None, key: str) -> None:
    """Design values within Earth's recorded extremes (:data:`facility.weather.WEATHER_LIMITS`), wet bulb <= dry bulb."""
    from facility.weather import WEATHER_LIMITS

    lo, hi = WEATHER_LIMITS["dry bulb [degC]"]
    plo, phi = WEATHER_LIMITS["pressure [kPa]"]
    problem = None
    if not lo <= db <= hi:
        problem = f"dry bulb {db:g} degC outside {lo:g}..{hi:g} degC"
    elif not lo <= wb <= db + 0.05:
        problem = f"wet bulb {wb:g} degC not between {lo:g} degC and the dry bulb {db:g} degC"
    elif not plo <= p / 1e3 <= phi:
        problem = f"pressure {p:g} Pa outside {plo:g}..{phi:g} kPa"
    if problem:
        raise ScenarioError(f"{ddy.name}: design {problem}; expected values within Earth's recorded extremes",
                            source=source, key=key)
