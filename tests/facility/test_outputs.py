"""Outputs declared once (issue #12 item 7): the JSON keys, the sweep KPIs, the hourly Dataset and the README
key table all come from facility.outputs."""

from __future__ import annotations

import json
from pathlib import Path

import pint
import pytest

import facility
from facility.outputs import HOURLY, OUTPUTS, RESULT_KEYS, SWEEP_HOURLY, SWEEP_KPIS, markdown_table
from facility.units import ureg

REPO = Path(__file__).resolve().parents[2]


def test_readme_key_table_is_the_output_table():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert markdown_table() in readme, "README.md's output table is out of date: paste facility.outputs.markdown_table()"


def test_every_output_has_one_name_a_known_scope_and_a_unit_pint_reads():
    names = [o.name for o in OUTPUTS]
    assert len(names) == len(set(names))
    for o in OUTPUTS:
        assert o.scope in ("design", "annual", "hourly"), o
        assert o.description and not o.description.endswith("]"), o
        unit = {"EFLOPS": "1"}.get(o.unit, o.unit)  # (FLOPS count per second: a rate, kept as its name)
        ureg.Quantity(1.0, unit)  # raises on a unit pint cannot read
    assert set(SWEEP_KPIS) <= set(RESULT_KEYS) and set(SWEEP_HOURLY) <= set(HOURLY)


def test_the_saved_json_has_every_design_and_annual_key_in_the_units_of_its_name():
    doc = json.loads((REPO / "tests" / "data" / "baseline" / "default.json").read_text())
    for name in RESULT_KEYS:
        assert name in doc, name
    suffix = {"_mw": "MW", "_kw": "kW", "_mwh": "MWh", "_m3_per_h": "m^3/h", "_t": "t", "_m3": "m^3",
              "_l_per_kwh": "L/kWh", "_eflops": "EFLOPS"}
    for o in OUTPUTS:
        for end, unit in suffix.items():
            if o.scope != "hourly" and o.name.endswith(end):
                assert o.unit == unit, o
                break


@pytest.fixture(scope="module")
def default():
    return facility.run(facility.load_scenario(REPO / "scenarios" / "default.toml"))


def test_the_hourly_dataset_carries_the_table_units(default):
    ds = default.hourly
    assert list(ds.data_vars) == list(HOURLY)
    for name, (unit, long_name) in HOURLY.items():
        assert ds[name].attrs == {"units": unit, "long_name": long_name}
        if unit != "1":
            pint.Unit(unit)
