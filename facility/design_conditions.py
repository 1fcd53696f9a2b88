"""Design weather of a site: ASHRAE extreme or percentile design conditions, or the hottest hours of the weather file.

The default basis, ``extreme-n20``, is the one a data center is held to: the n-year return-period extreme annual
dry bulb (n = 20) and the extreme annual maximum wet bulb of the site's ASHRAE climatic design data (ASHRAE
Handbook — Fundamentals 2009, Ch. 14, "Extreme annual design conditions"; Table 1 columns "n-year return period
values of extreme dry-bulb temperature" and "Extreme max WB"). Uptime Institute, Tier Standard: Topology (2018),
§3.1 "Ambient design conditions", asks the site infrastructure to hold its capacity at the ASHRAE extreme N = 20
years dry bulb and the extreme maximum wet bulb; ASHRAE TC 9.9, *Design Considerations for Datacom Equipment
Centers* (Datacom Series 3, 2nd ed. 2009), likewise points mission-critical heat rejection to the extreme values
rather than the 0.4 % conditions that comfort cooling uses. The values come from the climate summary that
EnergyPlus ships beside each weather file (``*.stat``, "Extremes" row: ``WBmax``, ``DBmax05years`` ...
``DBmax50years``, themselves ``M + I F s`` with the Gumbel factor ``F = -(sqrt 6 / pi)(0.5772 + ln ln(n/(n-1)))``
of the annual-maximum mean ``M`` and standard deviation ``s``, Fundamentals 2009 Ch. 14 eq. (3)).
``extreme-n5`` / ``-n10`` / ``-n50`` select the other return periods.

The wet bulb coincident with the extreme dry bulb (it sizes dry and adiabatic coolers) is not tabulated: it is
taken at the humidity ratio of the 0.4 % "DB=>MCWB" condition (an extreme hot hour is a sensible excursion of the
same air mass; engineering assumption), from the site's ``.ddy``. The design wet bulb (towers) is the extreme
maximum wet bulb.

The ASHRAE percentile bases read the design-day files distributed with EnergyPlus (``*.ddy``): "Ann Clg .4%
Condns DB=>MWB" (dry bulb exceeded 0.4 % of the year, 35 h, with its mean coincident wet bulb) sizes dry and
adiabatic coolers; "Ann Clg .4% Condns WB=>MDB" (wet bulb exceeded 0.4 %) sizes cooling towers; likewise 1 % and
2 %. ``weather-max`` takes the hottest dry bulb and the highest wet bulb of the weather file itself (read by
:func:`facility.weather.load_weather`). A weather file without a ``.stat`` beside it (an upload) is sized under an
extreme basis on its own hottest hour (``weather-max``), and the design conditions' ``source`` says so.
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

__all__ = ["DesignConditions", "read_ddy", "read_stat_extremes", "design_conditions", "gumbel_return_period",
           "above_design_warning",
           "EXTREME_YEARS"]

EXTREME_YEARS = (5, 10, 20, 50)  # return periods tabulated in the ASHRAE climatic design data (.stat "Extremes")


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


@cache
def read_stat_extremes(path: Path) -> dict[str, float]:
    """The "Extremes" row of an EnergyPlus ``.stat`` climate summary, by its header: ``WBmax``, ``DBmax_mean``,
    ``DBmax_stddev``, ``DBmax20years``, ... [degC, m/s]. ``ValueError`` naming what is missing."""
    lines = path.read_text(encoding="latin-1").splitlines()
    for i, line in enumerate(lines):
        cells = [c.strip() for c in line.split("\t")]
        if "Design Stat" in cells and "WBmax" in cells:
            header = cells[cells.index("Design Stat") + 1:]
            for row in lines[i + 1:i + 4]:
                vals = [c.strip() for c in row.split("\t")]
                if "Extremes" in vals:
                    nums = vals[vals.index("Extremes") + 1:]
                    out = {}
                    for k, v in zip(header, nums, strict=False):  # a trailing tab adds an empty cell
                        try:
                            out[k] = float(v)
                        except ValueError:
                            continue
                    if "WBmax" in out and "DBmax20years" in out:
                        return out
    raise ValueError(f"{path.name} has no 'Extremes' row with WBmax and DBmax20years (ASHRAE extreme annual design "
                     "conditions); expected an EnergyPlus .stat climate summary")


def gumbel_return_period(mean: float, stddev: float, years: float, maximum: bool = True) -> float:
    """n-year return-period extreme of an annual extreme temperature, Gumbel (type I) fit by the method of moments:
    ``T_n = M + I F s``, ``F = -(sqrt 6 / pi)(0.5772 + ln(ln(n / (n - 1))))``, I = +1 for maxima, -1 for minima
    (ASHRAE Handbook — Fundamentals 2009, Ch. 14, eq. (3) and (4)). ``mean``, ``stddev`` of the annual extremes
    [degC or K], ``years`` the return period n [a]. [same unit as mean]"""
    f = -(np.sqrt(6.0) / np.pi) * (0.5772 + np.log(np.log(years / (years - 1.0))))
    return float(mean + (1.0 if maximum else -1.0) * f * stddev)


def _wet_bulb_at_humidity(db_c: float, wb_c: float, p: float, new_db_c: float) -> float:
    """Wet bulb [degC] at dry bulb ``new_db_c`` holding the humidity ratio of the air at (db_c, wb_c, p): humidity
    ratio from the psychrometric equation (ASHRAE Fundamentals 2017 Ch. 1 eq. (33)), then the wet bulb of
    :func:`models.thermal.psychrometrics.wet_bulb_kernel`."""
    from models.thermal.psychrometrics import relative_humidity, saturation_pressure, wet_bulb_kernel

    pws = float(saturation_pressure.kernel(wb_c + 273.15))
    ws = 0.621945 * pws / (p - pws)  # saturation humidity ratio at the wet bulb (ASHRAE ch. 1 eq. 23)
    w = ((2501.0 - 2.326 * wb_c) * ws - 1.006 * (db_c - wb_c)) / (2501.0 + 1.86 * db_c - 4.186 * wb_c)
    rh = float(relative_humidity.kernel(new_db_c + 273.15, w, p))
    return float(wet_bulb_kernel(np.array([new_db_c + 273.15]), np.array([rh]), np.array([p]))[0]) - 273.15


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


#: Design conditions already read, by weather path, basis and the state (size, modification time) of the files
#: they come from: a sweep or a coupling sizes the same site many times (reading the .stat and solving the
#: coincident wet bulb costs ~1 ms).
_MEMO: dict[tuple, DesignConditions] = {}


def _file_state(path: Path) -> tuple:
    try:
        st = path.stat()
    except OSError:
        return (None,)
    return (st.st_size, st.st_mtime_ns)


def design_conditions(weather_path: Path, basis: str = "extreme-n20", *, source: str | None = None,
                      key: str = "cooling.design_basis") -> DesignConditions:
    """Design conditions of a weather file under ``basis`` (``extreme-n20`` (default), ``extreme-n5``, ``-n10``,
    ``-n50``, ``ashrae-0.4%``, ``ashrae-1%``, ``ashrae-2%``, ``weather-max``). The ASHRAE bases need a ``.ddy``
    file beside the weather file, the extreme ones a ``.stat`` too (without it: the file's hottest hour).
    Remembered per file state (:data:`_MEMO`); errors are not remembered."""
    path = Path(weather_path)
    memo = (str(path), basis, *(_file_state(path.with_suffix(s)) for s in (".epw", ".ddy", ".stat")))
    if memo not in _MEMO:
        if len(_MEMO) > 256:
            _MEMO.clear()
        _MEMO[memo] = _design_conditions(path, basis, source=source, key=key)
    return _MEMO[memo]


def _design_conditions(weather_path: Path, basis: str, *, source: str | None, key: str) -> DesignConditions:
    if basis.startswith("extreme-n"):
        return _extreme(weather_path, basis, source, key)
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


def _extreme(weather_path: Path, basis: str, source: str | None, key: str) -> DesignConditions:
    """The n-year extreme dry bulb and the extreme maximum wet bulb of the site's ``.stat`` (module docstring)."""
    years = int(basis.removeprefix("extreme-n"))
    stat = weather_path.with_suffix(".stat")
    if not stat.is_file():
        hottest = design_conditions(weather_path, "weather-max", source=source, key=key)
        return DesignConditions(hottest.dry_bulb, hottest.coincident_wet_bulb, hottest.wet_bulb, hottest.pressure,
                                f"no ASHRAE climate summary {stat.name} beside the weather file for the {years}-year "
                                f"extreme: {hottest.source}")
    try:
        ext = read_stat_extremes(stat)
    except (OSError, UnicodeError, ValueError) as exc:
        raise ScenarioError(f"cannot read {stat.name} ({exc})", source=source, key=key) from None
    db = ext.get(f"DBmax{years:02d}years")
    if db is None:
        raise ScenarioError(f"{stat.name} has no 'DBmax{years:02d}years' column; expected an EnergyPlus .stat with "
                            "the ASHRAE extreme annual design conditions", source=source, key=key)
    wb = ext["WBmax"]
    p04 = design_conditions(weather_path, "ashrae-0.4%", source=source, key=key)
    p = p04.pressure.m_as("Pa")
    cwb = _wet_bulb_at_humidity(p04.dry_bulb.m_as("degC"), p04.coincident_wet_bulb.m_as("degC"), p, db)
    cwb = min(cwb, wb)  # the coincident wet bulb cannot exceed the extreme maximum wet bulb
    _check_ddy(stat, db, max(cwb, wb), p, source, key)
    return DesignConditions(Q_(db + 273.15, "K"), Q_(cwb + 273.15, "K"), Q_(wb + 273.15, "K"), Q_(p, "Pa"),
                            f"ASHRAE 2009 extreme annual design conditions, {years}-year return-period dry bulb "
                            f"and extreme maximum wet bulb ({stat.name}); coincident wet bulb at the 0.4 % "
                            "condition's humidity ratio")


def above_design_warning(check: dict, basis: str) -> str | None:
    """The warning of a weather year whose full-load hours exceed the design facility power (``check`` from
    :func:`facility.simulate.design_check`), or None when no hour does."""
    hours = int(check.get("hours_above_design", 0))
    if hours <= 0:
        return None
    return (f"{hours} h of the weather year at full load need more than the design facility power (up to "
            f"+{check['max_above_design_mw']:.2f} MW): the design basis {basis!r} is milder than the site's weather "
            "file; design_basis = \"extreme-n20\" (the default) sizes for the 20-year extreme")
