"""facility.campus: the run's year on arrays, its Dataset built when first asked for."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import facility
from facility.simulate import annual_kpis

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def default():
    return facility.run(facility.load_scenario(REPO / "scenarios" / "default.toml"))


def test_annual_figures_from_the_arrays_equal_those_of_the_dataset(default):
    assert default.annual == annual_kpis(default.hourly)
    assert default.hourly is default.hourly  # built once
    np.testing.assert_array_equal(default.hourly["facility_power"].values, default.year.chain.grid_import)


def test_a_replaced_result_builds_its_own_dataset(default):
    from dataclasses import replace

    half = replace(default, year=facility.simulate.year_arrays(default, np.full(8760, 0.5)))
    assert half.hourly["it_fraction"].values.max() == 0.5
    assert default.hourly["it_fraction"].values.max() > 0.5


@pytest.mark.slow
def test_run_needs_no_xarray_until_the_dataset_is_asked_for():
    code = ("import sys, facility\n"
            "r = facility.run(facility.load_scenario('scenarios/default.toml'))\n"
            "assert 'xarray' not in sys.modules, 'run imported xarray'\n"
            "assert r.annual['pue_annual'] > 1\n"
            "r.hourly\n"
            "assert 'xarray' in sys.modules\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]


def _on_a_staging_step(**cooling):
    """A GB200 campus at Sterling whose design sits on a chiller staging step of the air side at 39.737 degC
    (found by a 20 x 20 sweep): its cooling power alternates between 2.157 and 2.213 MW, with no fixed point."""
    return facility.Scenario(name="staging step", site={"weather": "sterling-va", "grid_voltage": "230 kV"},
                             compute={"deployments": [{"system": "gb200-nvl72", "racks": 171}]},
                             cooling={"tcs_supply": "39.737 degC", **cooling})


def test_a_design_without_a_fixed_point_is_refused_by_name():
    with pytest.raises(facility.InfeasibleDesign, match=r"alternates between 2\.157 and 2\.213 MW"):
        facility.run(_on_a_staging_step(), year=False)


def test_a_sweep_marks_a_point_without_a_fixed_point_infeasible_and_runs_the_others():
    from facility.sweep import sweep

    ds = sweep(_on_a_staging_step(), {"cooling.tcs_supply": ["39.737 degC", "35 degC"]})
    assert ds.feasible.values.tolist() == [0.0, 1.0]
    assert np.isnan(ds.pue_annual.values[0]) and 1.0 < ds.pue_annual.values[1] < 1.5
