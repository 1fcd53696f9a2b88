"""Sweeps: points equal single runs, schedulers agree exactly, bad keys and values are refused."""

import itertools

import numpy as np
import pytest

from facility import Q_, Scenario, ScenarioError, load_scenario, run
from facility.cli import main
from facility.errors import InfeasibleDesign
from facility.sweep import parse_key_path, parse_vary, sweep
from tests.conftest import REPO


@pytest.fixture(scope="module")
def base():
    return Scenario(name="sweep", site={"weather": "sterling-va", "grid_voltage": "230 kV"},
                    compute={"deployments": [{"system": "gb200-nvl72", "racks": 40}]})


def test_a_sweep_point_equals_a_single_run(base):
    ds = sweep(base, {"cooling.tcs_supply": ["30 degC", Q_(40, "degC")], "site.weather": ["tampa", "chicago"]})
    assert ds.sizes == {"cooling.tcs_supply": 2, "site.weather": 2}
    single = Scenario.from_dict({**base.model_dump(), "cooling": {**base.model_dump()["cooling"],
                                                                   "tcs_supply": "40 degC"},
                                 "site": {**base.model_dump()["site"], "weather": "chicago"}})
    r = run(single)
    point = ds.sel({"cooling.tcs_supply": 40.0, "site.weather": "chicago"})
    assert float(point.pue_annual) == pytest.approx(r.annual["pue_annual"], rel=1e-12)
    assert float(point.facility_power_design_mw) == pytest.approx(r.facility_power.m_as("MW"), rel=1e-12)
    assert ds["cooling.tcs_supply"].attrs["units"] == "degC" and ds.pue_annual.attrs["units"] == "1"


def test_counts_and_discrete_choices(base):
    ds = sweep(base, {"compute.deployments[0].racks": [20, 40], "power.architecture": ["ac-480v", "dc-800v"]})
    it = ds.it_power_mw.sel({"power.architecture": "ac-480v"}).values
    assert it[1] == pytest.approx(2 * it[0])
    ac, dc = (ds.facility_power_design_mw.sel({"power.architecture": a}).values for a in ("ac-480v", "dc-800v"))
    assert np.all(dc < ac)


def test_infeasible_points_are_kept_as_nan(base):
    b = Scenario.from_dict({**base.model_dump(), "cooling": {**base.model_dump()["cooling"],
                                                              "heat_rejection": "dry-cooler",
                                                              "design_basis": "ashrae-0.4%"}})
    # (at Sterling's 0.4 % dry bulb 34.1 degC the dry coolers reach a 42 degC facility water; at its 20-year
    # extreme, 39.7 degC, neither point would be feasible)
    ds = sweep(b, {"cooling.tcs_supply": ["15 degC", "45 degC"]})  # one batch: the infeasible point is masked
    assert ds.feasible.values.tolist() == [False, True]
    assert np.isnan(ds.pue_design.values[0]) and ds.pue_design.values[1] > 1
    # mapped keys only: each point runs alone and the infeasible one raises inside its task
    ds = sweep(base, {"cooling.heat_rejection": ["dry-cooler", "dry-cooler+chiller"],
                      "cooling.design_basis": ["ashrae-0.4%"]}, hourly=["pue"])
    assert ds.feasible.values.ravel().tolist() == [False, True] and ds.attrs["array_keys"] == ""
    assert np.isnan(ds.pue.values[:, 0]).all() and np.isfinite(ds.pue.values[:, 1]).all()


@pytest.mark.slow
def test_serial_threads_and_dask_agree_exactly(base):
    v = {"cooling.tcs_supply": ["30 degC", "40 degC"], "site.weather": ["tampa", "chicago"]}
    from dask.distributed import LocalCluster

    serial = sweep(base, v)
    threads = sweep(base, v, scheduler="threads", workers=2, chunk_size=1)
    dask = sweep(base, v, scheduler="dask", workers=2, chunk_size=1)  # a LocalCluster of its own
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = sweep(base, v, scheduler="dask", address=cluster.scheduler_address)  # an existing scheduler
    for other in (threads, dask, remote):
        for name in serial.data_vars:
            np.testing.assert_array_equal(serial[name].values, other[name].values)


@pytest.mark.parametrize("variations, key, fragment", [
    ({"cooling.tcs_suply": ["30 degC"]}, "cooling.tcs_suply", "did you mean 'tcs_supply'"),
    ({"compute.deployments[3].racks": [1]}, "compute.deployments[3].racks", "no key"),
    ({"cooling.tcs_supply": ["30 m"]}, "cooling.tcs_supply", "dimension [length]"),
    ({"cooling.tcs_supply": []}, "cooling.tcs_supply", "empty list"),
    ({}, "sweep", "nothing to vary"),
])
def test_bad_sweeps_are_refused(base, variations, key, fragment):
    with pytest.raises(ScenarioError) as info:
        sweep(base, variations)
    assert info.value.key == key or key in str(info.value)
    assert fragment in str(info.value)


@pytest.mark.parametrize("variations", [
    {"compute.deployments[0].accelerators": [100, 200], "compute.deployments[0].racks": [10, 20]},
    {"compute.deployments[0].racks": [10], "cooling.tcs_supply": ["30 degC"], "compute.deployments[0].pods": [1]},
])
def test_two_counts_of_one_deployment_are_refused_naming_both_keys(base, variations):
    """A deployment takes one count: sweeping two of its count keys used to keep only the last (the first
    dimension came out constant); it is refused before anything runs."""
    counts = [k for k in variations if k.startswith("compute.")]
    with pytest.raises(ScenarioError, match="a deployment takes one count") as info:
        sweep(base, variations)
    assert all(repr(k) in str(info.value) for k in counts) and info.value.key == counts[1]


def test_vary_syntax():
    assert parse_vary("cooling.tcs_supply=20..45:5 degC")[1] == [f"{t} degC" for t in range(20, 46, 5)]
    assert parse_vary("x=1,2.5,abc")[1] == [1, 2.5, "abc"]
    assert parse_key_path("compute.deployments[0].accelerators") == ["compute", "deployments", 0, "accelerators"]
    with pytest.raises(ScenarioError, match="empty range"):
        parse_vary("cooling.tcs_supply=45..20:5 degC")


def test_cli_sweep_writes_netcdf(tmp_path, capsys):
    out = tmp_path / "s.nc"
    code = main(["sweep", str(REPO / "scenarios" / "dojo-exapod.toml"), "--vary",
                 "cooling.tcs_supply=30..40:10 degC", "--out", str(out), "--format", "json"])
    assert code == 0 and out.is_file()
    import json

    import xarray as xr
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 2 and xr.open_dataset(out).sizes["cooling.tcs_supply"] == 2
    assert load_scenario(REPO / "scenarios" / "dojo-exapod.toml")  # the file itself is untouched


def _single(base: Scenario, settings: dict) -> dict[str, float]:
    """KPIs of one scenario run on its own (not through the sweep)."""
    from facility.campus import design_campus
    from facility.plan import it_load
    from facility.simulate import annual_kpis, simulate_year
    from facility.sweep import _fields, _set, parse_key_path

    data = base.model_dump()
    for k, v in settings.items():
        _set(data, parse_key_path(k), v, k, _fields(base, parse_key_path(k)))
    s = Scenario.from_dict(data)
    r = design_campus(s, it_load(s))
    a = annual_kpis(simulate_year(r))
    return {"facility_power_design_mw": r.facility_power.m_as("MW"), "pue_annual": a["pue_annual"],
            "annual_energy_mwh": a["annual_energy_mwh"], "water_annual_m3": a["water_m3"],
            "chiller_hours": a["chiller_hours"], "copper_mass_t": r.power.copper_mass.m_as("t"),
            "racks": r.load.racks, "peak_grid_mw": a["peak_grid_mw"]}


@pytest.mark.parametrize("key, values", [
    ("cooling.tcs_supply", ["25 degC", "W40", "44.5 degC"]),
    ("cooling.tcs_delta_t", ["6 K", "9 K", "12 K"]),
    ("cooling.facility_delta_t", ["6 K", "9 K"]),
    ("cooling.pump_efficiency", [0.5, 0.8]),
    ("cooling.air_supply", ["18 degC", "27 degC"]),
    ("cooling.chw_delta_t", ["5 K", "10 K"]),
    ("cooling.house_load_fraction", [0.0, 0.05]),
    ("cooling.pipe_length", ["100 m", "2 km"]),
    ("cooling.pipe_velocity", ["1 m/s", "3 m/s"]),
    ("cooling.pipe_friction_rate", ["100 Pa/m", "400 Pa/m"]),  # (was mapped until ARRAY_KEYS read COOLING_SI)
    ("cooling.tcs_pressure_drop", ["50 kPa", "300 kPa"]),
    ("cooling.facility_pressure_drop", ["50 kPa", "300 kPa"]),
    ("compute.deployments[0].racks", [1, 17, 250]),
    ("compute.deployments[0].accelerators", [100, 7200]),
    ("compute.deployments[0].compute_target", ["1 EFLOPS", "20 EFLOPS"]),
    ("load.level", [0.3, 0.9]),
])
def test_array_keys_run_as_one_batch_and_equal_single_runs(base, key, values):
    ds = sweep(base, {key: values})
    assert ds.attrs["array_keys"] == key and ds.attrs["mapped_keys"] == ""  # one vectorised batch, no loop
    for i, v in enumerate(values):
        try:
            want = _single(base, {key: v})
        except InfeasibleDesign:  # e.g. a TCS rise below the facility-water rise
            assert not ds.feasible.values[i] and np.isnan(ds.pue_annual.values[i])
            continue
        assert ds.feasible.values[i]
        for name, value in want.items():
            assert float(ds[name].values[i]) == pytest.approx(value, rel=1e-12, abs=1e-9), (key, v, name)


def test_every_compiled_input_is_an_array_key_and_nothing_else_is():
    """ARRAY_KEYS are exactly the numbers compile_inputs takes as overrides (one table, no drift)."""
    from facility.inputs import COOLING_SI, COUNT_KEYS
    from facility.sweep import ARRAY_KEYS

    compiled = [f"cooling.{k}" for k in COOLING_SI] + [f"compute.deployments[{i}].{k}" for i in (0, 12)
                                                       for k in COUNT_KEYS] + ["load.level"]
    assert all(ARRAY_KEYS.fullmatch(k) for k in compiled), [k for k in compiled if not ARRAY_KEYS.fullmatch(k)]
    for other in ("cooling.tcs_coolant", "cooling.heat_rejection", "site.weather", "compute.deployments[0].system",
                  "cooling.tcs_supplyx", "load.levels", "power.architecture"):
        assert not ARRAY_KEYS.fullmatch(other), other


@pytest.mark.parametrize("plant, architecture", [("cooling-tower+chiller", "ac-415v"), ("adiabatic+chiller", "dc-800v"),
                                                 ("dry-cooler", "ac-480v-bbu")])
def test_batches_over_plants_and_architectures_equal_single_runs(base, plant, architecture):
    b = Scenario.from_dict({**base.model_dump(), "compute": {"deployments": [{"system": "gb200-nvl72", "racks": 40},
                                                                             {"system": "h100-air-16", "racks": 8}],
                                                             "overheads": ["network", "storage"]}})
    v = {"cooling.tcs_supply": ["30 degC", "45 degC"], "compute.deployments[1].racks": [3, 30],
         "cooling.pump_efficiency": [0.6, 0.8],
         "cooling.heat_rejection": [plant], "power.architecture": [architecture]}
    ds = sweep(b, v, chunk_size=3)
    assert ds.attrs["mapped_keys"] == "cooling.heat_rejection, power.architecture"
    for t, n, eta in itertools.product(*(v[k] for k in list(v)[:3])):
        point = ds.sel({"cooling.tcs_supply": float(t.split()[0]), "compute.deployments[1].racks": n,
                        "cooling.pump_efficiency": eta}).squeeze()
        settings = {"cooling.tcs_supply": t, "compute.deployments[1].racks": n, "cooling.heat_rejection": plant,
                    "power.architecture": architecture, "cooling.pump_efficiency": eta}
        try:
            want = _single(b, settings)
        except InfeasibleDesign:
            assert not bool(point.feasible), settings
            continue
        assert bool(point.feasible)
        for name, value in want.items():
            assert float(point[name]) == pytest.approx(value, rel=1e-12, abs=1e-9), (settings, name)


def test_hourly_output_on_a_time_dimension_equals_the_single_runs_year(base):
    from facility.campus import design_campus
    from facility.plan import it_load
    from facility.simulate import simulate_year

    ds = sweep(base, {"site.weather": ["tampa", "chicago"], "cooling.tcs_supply": ["25 degC", "40 degC"]},
               hourly=["facility_power", "pue", "chiller_on"])
    assert ds.facility_power.dims == ("time", "site.weather", "cooling.tcs_supply") and ds.sizes["time"] == 8760
    assert ds.facility_power.attrs["units"] == "W" and str(ds.time.values[0])[:13] == "2001-01-01T00"
    # the hourly facility power sums to the annual energy of the same point
    np.testing.assert_allclose(ds.facility_power.sum("time").values / 1e6, ds.annual_energy_mwh.values, rtol=1e-12)
    s = Scenario.from_dict({**base.model_dump(), "site": {**base.model_dump()["site"], "weather": "tampa"},
                            "cooling": {**base.model_dump()["cooling"], "tcs_supply": "25 degC"}})
    year = simulate_year(design_campus(s, it_load(s)))
    point = ds.sel({"site.weather": "tampa", "cooling.tcs_supply": 25.0})
    np.testing.assert_allclose(point.facility_power.values, year.facility_power.values, rtol=1e-12)
    np.testing.assert_allclose(point.pue.values, year.pue.values, rtol=1e-12)
    assert int(point.chiller_on.sum()) == int(year.chiller_on.sum()) == int(point.chiller_hours)
    with pytest.raises(ScenarioError, match="did you mean 'pue'"):
        sweep(base, {"cooling.tcs_supply": ["30 degC"]}, hourly=["peu"])


def test_cli_sweep_writes_hourly_variables(tmp_path, capsys):
    import xarray as xr

    out = tmp_path / "h.nc"
    code = main(["sweep", str(REPO / "scenarios" / "dojo-exapod.toml"), "--vary", "cooling.tcs_supply=30..40:10 degC",
                 "--out", str(out), "--hourly", "facility_power,water", "--chunk-size", "1"])
    assert code == 0
    ds = xr.open_dataset(out)
    assert ds.facility_power.dims == ("time", "cooling.tcs_supply") and "water" in ds and "pue" not in ds
    assert main(["sweep", str(REPO / "scenarios" / "dojo-exapod.toml"), "--vary", "cooling.tcs_supply=30 degC",
                 "--hourly"]) == 2  # hourly needs a file
    assert "expected --out" in capsys.readouterr().err


def _arrays_in(node, path="scenario"):
    """Key paths under a pydantic model (or list, dict) that hold an array or an array Quantity."""
    from pydantic import BaseModel

    found = []
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            found += _arrays_in(getattr(node, name), f"{path}.{name}")
    elif isinstance(node, list | tuple):
        for i, v in enumerate(node):
            found += _arrays_in(v, f"{path}[{i}]")
    elif isinstance(node, dict):
        for k, v in node.items():
            found += _arrays_in(v, f"{path}.{k}")
    elif isinstance(node, np.ndarray) or (hasattr(node, "magnitude") and np.ndim(node.magnitude) > 0):
        found.append(path)
    return found


def test_no_pydantic_model_in_a_sweep_task_holds_an_array(base, monkeypatch):
    """A batch's numbers travel as compiled SI inputs (facility.inputs) beside a scenario of one point."""
    import facility.sweep as sweep_module

    seen = []
    real = sweep_module.design_campus

    def spy(scenario, load, inputs=None):
        seen.append((_arrays_in(scenario), inputs))
        return real(scenario, load, inputs)

    monkeypatch.setattr(sweep_module, "design_campus", spy)
    ds = sweep(base, {"cooling.tcs_supply": ["30 degC", "35 degC"], "cooling.pump_efficiency": [0.6, 0.8],
                      "compute.deployments[0].racks": [20, 40], "load.level": [0.5, 0.9]})
    assert ds.attrs["array_keys"].count(",") == 3 and ds.sizes["cooling.tcs_supply"] == 2
    assert len(seen) == 1  # one batch of 16 points
    arrays, inputs = seen[0]
    assert arrays == []
    assert inputs.points == 16 and inputs.tcs_supply.shape == (16,)
    assert sorted(set(inputs.tcs_supply - 273.15)) == pytest.approx([30.0, 35.0])
    assert inputs.counts[0][0] == "racks" and sorted(set(inputs.counts[0][1])) == [20, 40]
    assert sorted(set(inputs.level)) == [0.5, 0.9]
