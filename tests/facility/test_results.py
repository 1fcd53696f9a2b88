"""facility.results: the JSON document, the text table and the power-flow diagram of a sized campus close their
energy balances and are strict JSON."""

import json

import numpy as np
import pytest

from facility import load_scenario, run
from facility.results import RESULT_KEYS, SCHEMA_VERSION, power_flows, to_json, to_table
from tests.conftest import REPO


@pytest.fixture(scope="module")
def exapod():
    return run(load_scenario(REPO / "scenarios" / "dojo-exapod.toml"))


def test_the_json_closes_the_grid_import_over_chips_losses_cooling_and_house_loads(exapod):
    """Grid import = delivered to the chips + electrical chain losses + in-rack losses + cooling + house loads
    (every figure rounded to 1 W in MW: 6 decimals), and the PUE is facility power over IT power."""
    d = to_json(exapod)
    parts = (d["delivered_to_chips_mw"] + d["electrical_loss_mw"] + d["in_rack_loss_mw"] + d["cooling_power_mw"]
             + d["house_load_mw"])
    assert d["grid_import_mw"] == pytest.approx(parts, abs=5e-6)
    assert d["pue_design"] == pytest.approx(d["facility_power_design_mw"] / d["it_power_mw"], rel=1e-6)
    assert d["heat_to_liquid_mw"] + d["heat_to_air_mw"] == pytest.approx(d["it_power_mw"], abs=2e-6)
    for st in d["stages"]:
        assert st["power_in_kw"] - st["loss_kw"] == pytest.approx(st["power_out_kw"], abs=2e-6), st["id"]
    assert d["schema_version"] == SCHEMA_VERSION and set(RESULT_KEYS) <= set(d)


def test_the_json_is_strict_json_with_no_nan_and_round_trips(exapod):
    d = to_json(exapod)
    text = json.dumps(d, allow_nan=False)
    assert json.loads(text) == d
    assert d["pue_annual"] is not None and 1.0 < d["pue_annual"] < d["pue_design"]


def test_the_table_shows_the_campus_figures_of_the_json(exapod):
    d = to_json(exapod)
    table = to_table(d)
    assert table.startswith(f"Scenario: {d['scenario']}")
    assert f"{d['racks']}" in table and "dojo-exapod" in table
    assert f"{d['pue_design']:.3f}" in table


def test_power_flows_balance_at_every_node():
    from facility import run as run_campus

    f = power_flows(run_campus(load_scenario(REPO / "scenarios" / "cortex.toml"), year=False))
    n = len(f["labels"])
    inflow, outflow = np.zeros(n), np.zeros(n)
    for s, t, v in zip(f["source"], f["target"], f["value_mw"], strict=True):
        outflow[s] += v
        inflow[t] += v
    sinks = {f["labels"].index(x) for x in ("Losses", "Chips", "Cooling & house loads", "Overhead IT")}
    for i in range(n):
        if i not in sinks and f["labels"][i] != "Grid":
            assert inflow[i] == pytest.approx(outflow[i], rel=1e-9), f["labels"][i]
    grid = f["labels"].index("Grid")
    assert outflow[grid] == pytest.approx(sum(inflow[i] for i in sinks), rel=1e-9)
