"""The sweep's lean year (facility.simulate.year_kpis) against the whole year (year_arrays + annual_arrays): the
same annual figures and the same hourly series (bit for bit), for one design and for a batch."""

import numpy as np
import pytest

from facility import Scenario, load_scenario, run
from facility.campus import design_campus
from facility.inputs import compile_inputs
from facility.plan import it_load
from facility.simulate import LEAN_HOURLY, annual_arrays, year_arrays, year_kpis
from facility.units import Q_
from tests.conftest import REPO

HOURLY = ("facility_power", "it_power", "pue", "cooling_power", "water", "chiller_on")


def _whole(result):
    y = year_arrays(result)
    grid = y.chain.grid_import
    annual = annual_arrays(y.it_power, grid, y.cooling)
    series = {"facility_power": grid, "it_power": y.it_power, "pue": grid / y.it_power,
              "cooling_power": y.cooling["cooling_power"], "water": y.cooling["water"],
              "chiller_on": y.cooling["chiller_on"].astype(float)}
    return annual, series


def _assert_same(result):
    annual, series = _whole(result)
    lean, hours = year_kpis(result, HOURLY)
    for k, v in annual.items():
        np.testing.assert_array_equal(np.ravel(lean[k]), np.ravel(v), err_msg=k)
    for k, v in series.items():
        np.testing.assert_array_equal(np.reshape(hours[k], np.shape(v)), v, err_msg=k)
    return lean


@pytest.mark.parametrize("name", ["default", "dojo-100-eflops", "gb200-ashburn-ac", "meta-24k-h100-air"])
def test_lean_year_gives_the_whole_years_annual_figures_and_series(name):
    lean = _assert_same(run(load_scenario(REPO / "scenarios" / f"{name}.toml"), year=False))
    assert np.all(np.asarray(lean["annual_energy_mwh"]) > np.asarray(lean["it_energy_mwh"]) > 0)


def test_lean_year_of_a_batch_equals_the_whole_years_row_by_row():
    # a sweep's chunk: two array keys, a training profile (two distinct load values taken to the hours)
    s = Scenario(name="batch", site={"weather": "tampa-fl", "grid_voltage": "230 kV"},
                 compute={"deployments": [{"system": "gb200-nvl72", "racks": 40}]}, load={"profile": "training"})
    inputs = compile_inputs(s, {"cooling.tcs_supply": Q_(np.array([25.0, 35.0, 45.0]), "degC")})
    r = design_campus(s, it_load(s, inputs), inputs)
    lean = _assert_same(r)
    assert np.shape(lean["pue_annual"]) == (3,)
    assert len(set(np.round(lean["pue_annual"], 9))) == 3  # the points differ


def test_an_hourly_series_outside_the_lean_set_takes_the_whole_year():
    result = run(load_scenario(REPO / "scenarios" / "default.toml"), year=False)
    assert "electrical_loss" not in LEAN_HOURLY
    _, hours = year_kpis(result, ("electrical_loss", "facility_power"))
    y = year_arrays(result)
    np.testing.assert_array_equal(hours["electrical_loss"][0], y.chain.electrical_loss)
    np.testing.assert_array_equal(hours["facility_power"][0], y.chain.grid_import)


def test_a_sweeps_annual_figures_do_not_depend_on_its_chunk_size():
    """The lean year sums the IT energy over the hours as the whole year does: a point's figures are the same bit
    for bit in a batch of any size and alone (a dot product over the distinct load values was not)."""
    from facility.sweep import sweep

    s = Scenario(name="chunks", site={"weather": "tampa-fl", "grid_voltage": "230 kV"},
                 compute={"deployments": [{"system": "gb200-nvl72", "racks": 40}]}, load={"profile": "training"})
    variations = {"load.level": [0.6, 0.8, 0.95], "cooling.tcs_supply": ["25 degC", "35 degC"]}
    batched, alone = sweep(s, variations, chunk_size=50), sweep(s, variations, chunk_size=1)
    for k in ("it_energy_mwh", "annual_energy_mwh", "pue_annual", "peak_grid_mw"):
        np.testing.assert_array_equal(batched[k].values, alone[k].values, err_msg=k)
