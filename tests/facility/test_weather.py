"""Weather years and design-day files are validated after reading: Earth's recorded extremes, whole years, and the
lines the design basis needs, with the file named in the error."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from facility import ScenarioError, load_scenario, run
from facility.weather import WEATHER_LIMITS, load_weather, validate_weather

WEATHER = Path(__file__).resolve().parents[2] / "facility" / "data" / "weather"
TAMPA_EPW = WEATHER / "USA_FL_Tampa.Intl.AP.722110_TMY3.epw"
TAMPA_DDY = WEATHER / "USA_FL_Tampa.Intl.AP.722110_TMY3.ddy"


def _epw(tmp_path: Path, column: int, value: str, hour: int = 4000, name: str = "hostile") -> Path:
    """A copy of the Tampa EPW with one field of one hour replaced (EPW columns: 6 dry bulb, 8 RH, 9 pressure)."""
    lines = TAMPA_EPW.read_text(encoding="latin-1").splitlines()
    row = lines[8 + hour].split(",")
    row[column] = value
    lines[8 + hour] = ",".join(row)
    path = tmp_path / f"{name}.epw"
    path.write_text("\n".join(lines) + "\n", encoding="latin-1")
    return path


def _scenario(write_toml, weather: Path, basis: str = "weather-max"):
    return write_toml(f'''name = "w"
[site]
weather = "{weather}"
grid_voltage = "161 kV"
[[compute.deployments]]
system = "h100-lc-64"
accelerators = 640
[cooling]
design_basis = "{basis}"
''')


@pytest.mark.parametrize("column, value, fragment", [
    (6, "999", "dry bulb [degC] of 999"),
    (6, "-95", "dry bulb [degC] of -95"),
    (8, "-5", "relative humidity [%] of -5"),
    (9, "0", "pressure [kPa] of 0"),
])
def test_weather_outside_earths_extremes_is_refused_naming_file_hour_and_range(tmp_path, write_toml, column, value,
                                                                               fragment):
    epw = _epw(tmp_path, column, value, name=f"bad{column}{value}")
    with pytest.raises(ScenarioError) as info:
        run(load_scenario(_scenario(write_toml, epw)))
    text = str(info.value)
    assert info.value.key == "site.weather" and epw.name in text and fragment in text and "hour 4001" in text


def test_earths_extremes_are_the_recorded_ones():
    assert WEATHER_LIMITS["dry bulb [degC]"] == (-90.0, 60.0)  # Vostok -89.2, Death Valley 56.7 (WMO archive)
    assert WEATHER_LIMITS["relative humidity [%]"] == (0.0, 100.0)
    assert WEATHER_LIMITS["pressure [kPa]"] == (30.0, 110.0)


def test_every_bundled_weather_year_is_within_the_limits():
    for epw in sorted(WEATHER.glob("*.epw")):
        w = load_weather(epw)
        assert len(w.dry_bulb) == 8760 and np.all(w.relative_humidity <= 1.0)


def test_validate_weather_accepts_a_mild_year_and_refuses_an_hour_at_999_degC():
    t = np.full(8760, 293.15)
    validate_weather(Path("mild.epw"), t, np.full(8760, 0.5), np.full(8760, 101325.0))
    t[10] = 999 + 273.15
    with pytest.raises(ValueError, match=r"mild\.epw: dry bulb \[degC\] of 999 at hour 11"):
        validate_weather(Path("mild.epw"), t, np.full(8760, 0.5), np.full(8760, 101325.0))


def _with_ddy(tmp_path: Path, edit) -> Path:
    """A copy of the Tampa EPW and its .ddy with the .ddy text edited; returns the EPW path."""
    epw = tmp_path / "site.epw"
    shutil.copy(TAMPA_EPW, epw)
    text = TAMPA_DDY.read_text(encoding="latin-1")
    (tmp_path / "site.ddy").write_text(edit(text), encoding="latin-1")
    return epw


def _edit_04_day(text: str, label: str, new: str | None) -> str:
    """Replace (or delete) the line ``label`` of the 0.4 % dry-bulb cooling design day."""
    start = text.index("Ann Clg .4% Condns DB=>MWB")
    end = text.index(";", start)
    block = text[start:end]
    lines = block.splitlines()
    for i, line in enumerate(lines):
        if label in line:
            if new is None:
                del lines[i]
            else:
                lines[i] = f"   {new},      !- {label}"
            break
    return text[:start] + "\n".join(lines) + text[end:]


@pytest.mark.parametrize("edit, fragment", [
    (lambda t: _edit_04_day(t, "Maximum Dry-Bulb Temperature {C}", None), "lacks the line 'Maximum Dry-Bulb"),
    (lambda t: _edit_04_day(t, "Maximum Dry-Bulb Temperature {C}", "hot"), "has 'hot' instead of a number"),
    (lambda t: _edit_04_day(t, "Maximum Dry-Bulb Temperature {C}", "999"), "dry bulb 999 degC outside"),
    (lambda t: _edit_04_day(t, "Wetbulb at Maximum Dry-Bulb {C}", None), "lacks the line 'Wetbulb"),
    (lambda t: _edit_04_day(t, "Barometric Pressure {Pa}", "0"), "pressure 0 Pa outside"),
    (lambda t: t.replace("Ann Clg .4% Condns DB=>MWB", "Something else"), "has no 'Ann Clg .4% Condns DB=>MWB'"),
])
def test_design_day_file_missing_lines_or_text_for_numbers_is_refused_naming_it(tmp_path, write_toml, edit,
                                                                                 fragment):
    from facility.design_conditions import read_ddy

    read_ddy.cache_clear()
    epw = _with_ddy(tmp_path, edit)
    with pytest.raises(ScenarioError) as info:
        run(load_scenario(_scenario(write_toml, epw, "ashrae-0.4%")), year=False)
    text = str(info.value)
    assert "site.ddy" in text and fragment in text and info.value.key == "cooling.design_basis", text
