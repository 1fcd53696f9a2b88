"""facility.sites: the bundled TMY3 sites (read back with pvlib) and the resolution of ``site.weather`` to a
file."""

import re
import shutil

import pvlib
import pytest

from facility.sites import MAX_PATH, bundled_sites, resolve_weather


@pytest.mark.parametrize("name", sorted(bundled_sites()))
def test_each_bundled_site_is_the_tmy3_station_its_description_names(name):
    """The WMO number in the description is the station of the EPW file (its LOCATION record read by
    pvlib.iotools.read_epw), and a design-conditions .stat file lies beside it."""
    site = bundled_sites()[name]
    assert site.path.is_file() and site.path.with_suffix(".stat").is_file()
    meta = pvlib.iotools.read_epw(str(site.path))[1]
    wmo = re.search(r"WMO (\d{6})", site.description)[1]
    assert str(meta["WMO_code"]) == wmo and wmo in site.path.name
    if name == "golden-co":  # "1.8 km altitude": NREL's Golden station at 1,829 m
        assert meta["altitude"] == pytest.approx(1829.0)


def test_a_name_or_an_alias_resolves_to_the_bundled_file_case_and_spaces_ignored():
    assert resolve_weather("ashburn") == ("sterling-va", bundled_sites()["sterling-va"].path)
    assert resolve_weather("  Tampa-FL ") == ("tampa-fl", bundled_sites()["tampa-fl"].path)
    names = [a for s in bundled_sites().values() for a in (s.name, *s.aliases)]
    assert len(names) == len(set(names))  # no alias is claimed by two sites


def test_a_relative_path_is_taken_from_the_scenario_folder(tmp_path):
    shutil.copyfile(bundled_sites()["golden-co"].path, tmp_path / "my-site.epw")
    assert resolve_weather("my-site.epw", tmp_path) == ("my-site", tmp_path / "my-site.epw")


def test_what_is_not_a_site_is_refused_with_what_is_expected(tmp_path):
    with pytest.raises(ValueError, match=r"neither a bundled site.*did you mean 'tampa'\? expected one of"):
        resolve_weather("tampaa")
    with pytest.raises(ValueError, match="is a folder"):
        resolve_weather(str(tmp_path))
    with pytest.raises(ValueError, match="expected a bundled site name"):
        resolve_weather(42)
    with pytest.raises(ValueError, match=f"at most {MAX_PATH:,} characters"):
        resolve_weather("x" * (MAX_PATH + 1))
    with pytest.raises(ValueError, match=r"latitude must lie in -90\.\.90"):
        resolve_weather("pvgis:95,10")  # refused before any download
