"""The weather year: closure hour by hour, annual sums, design against the year, profiles, training energy,
weather files and exports."""

import json
import os

import numpy as np
import pytest
import xarray as xr

from facility import Scenario, ScenarioError, load_scenario, run
from facility.cli import main
from facility.export import write_hourly
from facility.simulate import annual_kpis, load_profile, simulate_year
from tests.conftest import MINIMAL, REPO


@pytest.fixture(scope="module")
def default():
    return run(load_scenario(REPO / "scenarios" / "default.toml"))


def _scenario(weather="tampa", **cooling):
    return Scenario(name="t", site={"weather": weather, "grid_voltage": "230 kV"},
                    compute={"deployments": [{"system": "gb200-nvl72", "racks": 50}], "overheads": ["network"]},
                    cooling=cooling)


def test_energy_closes_hour_by_hour(default):
    ds = default.hourly
    parts = (ds.delivered_to_chips + ds.delivered_to_overhead_it + ds.in_rack_loss + ds.electrical_loss
             + ds.cooling_power + ds.house_load)
    np.testing.assert_allclose(ds.facility_power, parts, rtol=1e-12)
    np.testing.assert_allclose(ds.heat_in, ds.heat_rejected, rtol=1e-12)
    assert ds.sizes["time"] == 8760 and all("units" in v.attrs for v in ds.data_vars.values())


def test_annual_figures_are_sums_of_hours(default):
    ds, a = default.hourly, default.annual
    assert a["annual_energy_mwh"] == pytest.approx(float(ds.facility_power.sum()) / 1e6, rel=1e-12)
    assert a["it_energy_mwh"] == pytest.approx(float(ds.it_power.sum()) / 1e6, rel=1e-12)
    assert a["pue_annual"] == pytest.approx(a["annual_energy_mwh"] / a["it_energy_mwh"])
    assert a["chiller_hours"] + a["free_cooling_hours"] == 8760
    assert a["peak_grid_mw"] == pytest.approx(float(ds.facility_power.max()) / 1e6)


def test_design_covers_every_hour_when_it_is_the_weather_files_hottest():
    r = run(_scenario(design_basis="weather-max"))
    assert r.design_check["hours_above_design"] == 0
    assert r.design_check["peak_at_design_load_mw"] <= r.facility_power.m_as("MW") + 1e-6


def test_hotter_weather_file_than_the_ashrae_design_is_reported():
    r = run(_scenario(design_basis="ashrae-0.4%"))  # Tampa's TMY3 has hours above its 0.4 % dry bulb
    assert r.design_check["hours_above_design"] > 0
    assert 0 < r.design_check["max_above_design_mw"] < 0.05 * r.facility_power.m_as("MW")


def test_warm_site_runs_chillers_longer_than_a_cold_one():
    tampa, chicago = run(_scenario("tampa")), run(_scenario("chicago"))
    assert tampa.annual["chiller_hours"] > chicago.annual["chiller_hours"]
    assert tampa.annual["pue_annual"] > chicago.annual["pue_annual"]


def test_towers_have_a_wue_and_dry_coolers_none():
    tower = run(_scenario("sterling-va", heat_rejection="cooling-tower+chiller",
                          air_heat_rejection="cooling-tower+chiller"))
    dry = run(_scenario("sterling-va"))
    assert dry.annual["wue_l_per_kwh"] == 0.0
    assert 0.3 < tower.annual["wue_l_per_kwh"] < 2.5  # tower-cooled data centres report ~0.5-2 L/kWh


def test_training_and_inference_profiles(default):
    s = load_scenario(REPO / "scenarios" / "default.toml")
    tr = Scenario.from_dict({**s.model_dump(), "load": {"profile": "training", "level": 0.9,
                                                         "checkpoint_interval": "4 h", "checkpoint_depth": 0.5}})
    u = load_profile(run(tr, year=False))
    assert u.max() == 0.9 and u.min() == pytest.approx(0.45) and np.sum(u < 0.9) == 8760 // 4
    inf = Scenario.from_dict({**s.model_dump(), "load": {"profile": "inference", "level": 0.6,
                                                          "daily_amplitude": 0.3, "peak_hour": 15}})
    v = load_profile(run(inf, year=False))
    assert v.mean() == pytest.approx(0.6, rel=1e-9) and v[15] == pytest.approx(0.78) and v[3] == pytest.approx(0.42)


def _write(tmp_path, text, name="s.toml"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_csv_load_profile_and_its_errors(tmp_path):
    (tmp_path / "load.csv").write_text("it_fraction\n" + "\n".join(["0.5"] * 8760))
    s = load_scenario(_write(tmp_path, MINIMAL + '[load]\nprofile = "csv"\nfile = "load.csv"\n'))
    assert np.all(load_profile(run(s, year=False)) == 0.5)
    (tmp_path / "short.csv").write_text("it_fraction\n" + "\n".join(["0.5"] * 100))
    s = load_scenario(_write(tmp_path, MINIMAL + '[load]\nprofile = "csv"\nfile = "short.csv"\n'))
    with pytest.raises(ScenarioError, match="100 rows; expected 8760"):
        run(s)
    with pytest.raises(ScenarioError, match="does not exist"):
        load_scenario(_write(tmp_path, MINIMAL + '[load]\nprofile = "csv"\nfile = "nope.csv"\n'))


def test_exports_round_trip_and_never_leave_half_files(default, tmp_path):
    nc = write_hourly(default.hourly, tmp_path / "y.nc")
    back = xr.open_dataset(nc)
    np.testing.assert_allclose(back.facility_power, default.hourly.facility_power)
    assert back.facility_power.attrs["units"] == "W"
    csv = write_hourly(default.hourly, tmp_path / "y.csv")
    assert "facility_power [W]" in csv.read_text().splitlines()[0]
    with pytest.raises(ScenarioError):
        write_hourly(default.hourly, tmp_path / "missing-folder" / "y.nc")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["y.csv", "y.nc"]
    umask = os.umask(0)
    os.umask(umask)
    assert (nc.stat().st_mode & 0o777) == 0o666 & ~umask  # as open() would make it, not mkstemp's 0600


def test_cli_hourly_and_annual_json(tmp_path, capsys):
    out = tmp_path / "h.nc"
    code = main(["run", str(REPO / "scenarios" / "default.toml"), "--format", "json", "--hourly", str(out)])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and out.is_file()
    assert {"pue_annual", "annual_energy_mwh", "it_energy_mwh", "peak_grid_mw", "wue_l_per_kwh",
            "chiller_hours"} <= set(doc)
    assert doc["pue_annual"] < doc["pue_design"]


def test_annual_kpis_of_a_constant_year():
    r = run(_scenario("san-francisco"), year=False)
    ds = simulate_year(r, np.full(8760, 0.5))
    k = annual_kpis(ds)
    assert k["it_energy_mwh"] == pytest.approx(0.5 * r.load.it_power.m_as("MW") * 8760)


def test_economiser_share_and_chiller_hours_agree(default):
    ds = default.hourly
    frac, on = ds.free_cooling_fraction.values, ds.chiller_on.values.astype(bool)
    assert np.all((frac < 1.0) == on)
    assert np.all((frac >= 0) & (frac <= 1))
    assert default.annual["free_cooling_hours"] == int(np.sum(frac == 1.0))
