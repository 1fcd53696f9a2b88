"""facility.weather: weather years and design-day files are validated after reading (Earth's recorded extremes,
whole years, and the lines the design basis needs, with the file named in the error); the on-disk cache of parsed
weather years gives the same arrays as a parse, keyed by content, robust to bad cache files, and no pvlib or
pandas import for a year already seen."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import facility.weather as weather
from facility import ScenarioError, load_scenario, run
from facility.sites import bundled_sites
from facility.weather import WEATHER_LIMITS, load_weather, validate_weather, weather_cache_path
from tests.conftest import MINIMAL, REPO

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


# ------------------------------------------------------------------------------------- the on-disk cache
FIELDS = ("time", "dry_bulb", "wet_bulb", "relative_humidity", "pressure")


@pytest.fixture
def epw(tmp_path, monkeypatch):
    """A copy of a bundled EPW file and an empty cache folder of its own ($FACILITY_CACHE)."""
    monkeypatch.setenv("FACILITY_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "site.epw"
    shutil.copyfile(bundled_sites()["tampa-fl"].path, path)
    return path


def _touch(path, seconds: float) -> None:
    """A new modification time: the in-process cache (keyed by path and mtime) misses, the disk cache decides."""
    os.utime(path, (seconds, seconds))


def _cache_files(epw):
    return sorted((epw.parent / "cache" / "weather").iterdir())


def test_cached_year_equals_the_parsed_year_to_the_bit(epw):
    parsed = load_weather(epw)
    assert [f.name for f in _cache_files(epw)] == [weather_cache_path(epw, epw.read_bytes()).name]
    _touch(epw, 1e9)
    cached = load_weather(epw)
    assert cached is not parsed  # read again, from the cache file
    for name in FIELDS:
        a, b = getattr(parsed, name), getattr(cached, name)
        assert a.dtype == b.dtype and np.array_equal(a, b), name
    assert (cached.name, cached.source) == (parsed.name, parsed.source)
    assert parsed.dry_bulb.max() - 273.15 == pytest.approx(34.4, abs=0.05)  # Tampa TMY3: hottest hour 34.4 degC


def test_cache_hit_does_not_parse_the_file(epw, monkeypatch):
    load_weather(epw)

    def no_parse(path):
        raise AssertionError("parsed again although cached")

    monkeypatch.setattr(weather, "_parse", no_parse)
    _touch(epw, 1e9)  # a new mtime with the same content: still a hit (the key is the content, not the mtime)
    assert len(load_weather(epw).dry_bulb) == 8760


def test_changed_content_is_parsed_again(epw):
    before = load_weather(epw)
    lines = epw.read_text().splitlines(keepends=True)
    fields = lines[8].split(",")  # the first hour (8 header lines)
    fields[6] = "40.0"  # dry bulb [degC]
    lines[8] = ",".join(fields)
    epw.write_text("".join(lines))
    _touch(epw, 1e9)
    after = load_weather(epw)
    assert before.dry_bulb[0] != pytest.approx(313.15)
    assert after.dry_bulb[0] == pytest.approx(313.15)
    assert np.array_equal(after.dry_bulb[1:], before.dry_bulb[1:])
    assert len(_cache_files(epw)) == 2  # one per content


@pytest.mark.parametrize("damage", ["garbage", "truncated", "wrong shape", "old format"])
def test_a_bad_cache_file_is_parsed_again_and_replaced(epw, damage):
    good = load_weather(epw)
    (file,) = _cache_files(epw)
    if damage == "garbage":
        file.write_bytes(b"not a cache file")
    elif damage == "truncated":
        file.write_bytes(file.read_bytes()[:5000])
    else:
        arrays = {k: getattr(good, k) for k in FIELDS}
        if damage == "wrong shape":
            arrays["wet_bulb"] = arrays["wet_bulb"][:100]
        fmt = weather.CACHE_FORMAT - (damage == "old format")
        with open(file, "wb") as f:
            np.savez(f, format=np.array(fmt), **arrays)
    _touch(epw, 1e9)
    again = load_weather(epw)
    assert np.array_equal(again.wet_bulb, good.wet_bulb)
    assert weather._read_cache(file) is not None  # rewritten whole
    assert [f.name for f in _cache_files(epw)] == [file.name]  # and no temporary file left behind


def test_a_cache_folder_that_cannot_be_written_is_not_an_error(epw, monkeypatch):
    blocker = epw.parent / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("FACILITY_CACHE", str(blocker))
    assert len(load_weather(epw).wet_bulb) == 8760


def test_the_cache_keeps_the_most_recent_years_only(epw, monkeypatch):
    monkeypatch.setattr(weather, "CACHE_KEEP", 2)
    folder = epw.parent / "cache" / "weather"
    folder.mkdir(parents=True)
    for i in range(3):  # three older cache files
        (folder / f"old{i}.npz").write_bytes(b"x")
        _touch(folder / f"old{i}.npz", 1e9 + i)
    load_weather(epw)
    assert [f.name for f in _cache_files(epw)] == sorted(["old2.npz", weather_cache_path(epw, epw.read_bytes()).name])


def test_a_bad_weather_file_is_refused_and_not_cached(epw):
    epw.write_text("".join(epw.read_text().splitlines(keepends=True)[:500]))  # 492 hours
    with pytest.raises(ValueError, match="hours"):
        load_weather(epw)
    assert not (epw.parent / "cache" / "weather").exists() or not _cache_files(epw)


def test_the_cache_key_changes_with_the_format_version(epw, monkeypatch):
    key = weather_cache_path(epw, epw.read_bytes())
    monkeypatch.setattr(weather, "CACHE_FORMAT", weather.CACHE_FORMAT + 1)
    assert weather_cache_path(epw, epw.read_bytes()) != key


def test_a_year_seen_before_loads_in_a_fresh_interpreter_without_pvlib_or_pandas(epw):
    code = ("import sys; from pathlib import Path; from facility.weather import load_weather; "
            f"w = load_weather(Path({str(epw)!r})); "
            "print(len(w.wet_bulb), 'pvlib' in sys.modules, 'pandas' in sys.modules)")
    env = {**os.environ, "FACILITY_CACHE": str(epw.parent / "cache")}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert first.stdout.split() == ["8760", "True", "True"]  # never seen: parsed through pvlib
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert second.stdout.split() == ["8760", "False", "False"]


def test_no_home_directory_means_no_disk_cache_not_an_error(epw, monkeypatch):
    def no_home():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("FACILITY_CACHE")
    monkeypatch.setattr(weather.Path, "home", staticmethod(no_home))
    assert len(load_weather(epw).wet_bulb) == 8760


def test_a_weather_year_is_read_only_and_a_run_leaves_it_as_loaded():
    """The year is shared (load_weather's cache; the weather-only plant terms kept on a compiled design are keyed
    by it), so its arrays are its own read-only copies, the caller's arrays untouched; a run changes nothing in
    it."""
    own = np.full(weather.HOURS, 290.0)
    year = weather.WeatherYear("own", np.arange(weather.HOURS).astype("datetime64[h]"), own, own - 5.0,
                               np.full(weather.HOURS, 0.5), np.full(weather.HOURS, 101325.0), "test")
    assert own.flags.writeable and not year.dry_bulb.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        year.dry_bulb[0] = 0.0
    own -= 15.0  # the caller's array is not the year's: the year (and what is held for it) does not change
    assert year.dry_bulb[0] == 290.0 and year.wet_bulb[0] == 285.0
    s = load_scenario(REPO / "scenarios" / "gb200-ashburn-ac.toml")  # air-cooled chillers: t_cond is the dry bulb
    loaded = weather.load_weather(s.weather_path)
    before = {k: np.array(getattr(loaded, k)) for k in ("dry_bulb", "wet_bulb", "relative_humidity", "pressure")}
    run(s)
    for k, v in before.items():
        np.testing.assert_array_equal(getattr(weather.load_weather(s.weather_path), k), v, err_msg=k)


def _scenario_file(tmp_path, text):
    p = tmp_path / "s.toml"
    p.write_text(text)
    return p


def test_weather_file_with_missing_hours_is_refused(tmp_path):
    epw = bundled_sites()["chicago-il"].path.read_text(encoding="latin-1").splitlines()
    (tmp_path / "short.epw").write_text("\n".join(epw[:8 + 5000]) + "\n", encoding="latin-1")
    s = load_scenario(_scenario_file(tmp_path, MINIMAL.replace('"tampa-fl"', '"short.epw"') +
                             '[cooling]\ndesign_basis = "weather-max"\n'))
    with pytest.raises(ScenarioError, match="5000 hours; expected a whole year"):
        run(s)


def test_pvgis_year_is_read_from_the_cache_without_network(tmp_path, monkeypatch):
    import pandas as pd
    import pvlib

    data = pvlib.iotools.read_epw(str(bundled_sites()["golden-co"].path))[0]
    monkeypatch.setenv("FACILITY_CACHE", str(tmp_path))
    data[["temp_air", "relative_humidity", "atmospheric_pressure"]].to_csv(tmp_path / "pvgis_tmy_39.740_-105.180.csv")
    s = load_scenario(_scenario_file(tmp_path, MINIMAL.replace('"tampa-fl"', '"pvgis:39.74,-105.18"') +
                             '[cooling]\ndesign_basis = "weather-max"\n'))
    r = run(s)
    assert r.hourly.temp_air.max() == pytest.approx(data["temp_air"].max())
    bad = pd.DataFrame({"temp_air": data["temp_air"]})
    bad.to_csv(tmp_path / "pvgis_tmy_10.000_10.000.csv")
    s = load_scenario(_scenario_file(tmp_path, MINIMAL.replace('"tampa-fl"', '"pvgis:10,10"') +
                             '[cooling]\ndesign_basis = "weather-max"\n'))
    with pytest.raises(ScenarioError, match="lacks the columns"):
        run(s)


@pytest.mark.network
def test_pvgis_fetch_online(tmp_path, monkeypatch):  # pragma: no cover - needs the internet; not run in CI
    from facility.weather import fetch_pvgis, load_weather
    monkeypatch.setenv("FACILITY_CACHE", str(tmp_path))
    assert len(load_weather(fetch_pvgis(35.15, -90.05)).dry_bulb) == 8760
