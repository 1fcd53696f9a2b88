"""facility.explore: the explorer's helpers over public results (delta tables, constraints, equipment lists,
saved what-ifs, downloads)."""

from __future__ import annotations

import csv
import io
import tomllib
import zipfile
from xml.etree import ElementTree

import pytest

import facility
from facility import explore
from facility.cli import SCENARIO_DIR
from facility.scenario import scenario_to_dict
from tests.conftest import REPO


@pytest.fixture(scope="module")
def default():
    s = facility.load_scenario(REPO / "scenarios" / "default.toml")
    r = facility.run(s)
    return s, r, facility.to_json(r)


@pytest.fixture(scope="module")
def one_gpu():
    s = facility.Scenario(name="one GPU", site={"weather": "tampa-fl", "grid_voltage": "161 kV"},
                          compute={"deployments": [{"system": "h100-lc-64", "accelerators": 1}]})
    return facility.to_json(facility.run(s))


def test_bundled_scenarios_are_the_cli_folder_default_first():
    names = list(explore.bundled_scenarios())
    assert explore.SCENARIO_DIR == SCENARIO_DIR
    assert names[0] == "default.toml"
    assert sorted(names) == sorted(p.name for p in SCENARIO_DIR.glob("*.toml"))


def test_changed_keys_names_only_what_differs():
    a = {"site": {"weather": "tampa-fl", "grid_voltage": "161 kV"},
         "compute": {"deployments": [{"system": "h100-lc-64", "accelerators": 100000}]}}
    b = {"site": {"weather": "tampa-fl", "grid_voltage": "161 kV"},
         "compute": {"deployments": [{"system": "gb200-nvl72", "accelerators": 100000}]}, "catalog": {}}
    assert explore.changed_keys(a, a) == []
    assert explore.changed_keys(a, b) == ["compute.deployments[0].system", "catalog"]


def test_delta_table_differences_equal_the_documents(default, one_gpu):
    _, _, doc = default
    rows = {r["quantity"]: r for r in explore.delta_table({"A": doc, "B": one_gpu})}
    grid = rows["Grid demand at design"]
    assert grid["unit"] == "MW" and grid["A"] == doc["facility_power_design_mw"]
    assert grid["Δ B"] == pytest.approx(one_gpu["facility_power_design_mw"] - doc["facility_power_design_mw"])
    assert rows["Energy over the year"]["A"] == pytest.approx(doc["annual_energy_mwh"] / 1e3)  # GWh
    assert rows["Accelerators"]["Δ B"] == one_gpu["accelerators"] - doc["accelerators"] == 64 - 100032  # one rack
    # three designs: deltas against the chosen reference
    three = explore.delta_table({"A": doc, "B": one_gpu, "C": doc}, reference="C")
    assert set(three[0]) == {"quantity", "unit", "A", "B", "C", "Δ A", "Δ B"}
    assert all(r["Δ A"] == 0 for r in three if r["A"] is not None)
    with pytest.raises(KeyError, match="no design named 'Z'"):
        explore.delta_table({"A": doc}, reference="Z")


def test_constraints_of_the_default_campus(default):
    _, _, doc = default
    rows = {r["constraint"]: r for r in explore.constraints(doc, envelope_mw=150.0)}
    hours = rows["Hours above the design demand"]
    assert hours["value"] == doc["hours_above_design"] and hours["ok"] is (doc["hours_above_design"] == 0)
    case = rows["Case-temperature margin"]
    cool = doc["cooling"]
    assert case["value"] == pytest.approx(cool["case_temperature_max_degc"] - cool["case_temperature_degc"])
    worst = rows["Loading after the worst single failure"]
    redundant = [s["loading_failed"] for s in doc["stages"] if s["units_installed"] and s["redundancy"] != "N"]
    assert worst["value"] >= max(redundant) and worst["ok"] is (worst["value"] <= 1)
    fit = rows["Fit to the grid envelope"]
    assert fit["ok"] is False and fit["value"] == doc["facility_power_design_mw"] > 150  # 182 MW > 150 MW
    assert "Fit to the grid envelope" not in {r["constraint"] for r in explore.constraints(doc)}


def test_a_single_accelerator_is_flagged_oversized_with_its_pue(one_gpu):
    msgs = explore.design_warnings(one_gpu)
    text = " ".join(msgs)
    assert "HV/MV transformer" in text and "far larger than the load" in text
    assert one_gpu["pue_design"] > 2 and f"{one_gpu['pue_design']:.2f}" in text
    if one_gpu["peak_grid_mw"] > one_gpu["facility_power_design_mw"]:
        assert "exceeds the design demand" in text


def test_the_default_campus_has_no_oversize_warning(default):
    _, _, doc = default
    assert not any("far larger" in m for m in explore.design_warnings(doc))


def test_equipment_list_counts_add_up_to_the_document(default):
    s, _, doc = default
    rows = explore.equipment_list(doc, scenario_to_dict(s)["cooling"])
    power = [r for r in rows if r["system"] == "power"]
    assert sum(r["count"] for r in power) == sum(e["count"] for e in doc["equipment"])
    cooling = [r for r in rows if r["system"] == "cooling"]
    assert sum(r["count"] for r in cooling) == sum(e["units_installed"] for e in doc["cooling"]["equipment"])
    ups = next(r for r in rows if r["stage"] == "UPS")
    assert ups["where"] == "each of 4 halls" and ups["redundancy"] == "4N/3"
    assert int(ups["per hall"]) * 4 == ups["count"]
    stage = next(st for st in doc["stages"] if st["id"] == "ups")
    assert ups["loading after one failure [%]"] == pytest.approx(100 * stage["loading_failed"])
    hv = next(r for r in rows if r["stage"] == "HV/MV transformer")
    assert hv["where"] == "campus" and hv["per hall"] == ""


def test_a_saved_what_if_has_its_name_no_bands_and_integer_counts(default):
    s, _, _ = default
    data = scenario_to_dict(s)
    data["compute"]["deployments"][0]["accelerators"] = 50000
    text = explore.what_if_toml(data, "Half the GPUs")
    back = tomllib.loads(text)
    assert back["name"] == "Half the GPUs" and "expect" not in back
    assert back["compute"]["deployments"][0]["accelerators"] == 50000 and "50000.0" not in text
    assert "[catalog]" not in text and "[power.stages]" not in text  # no empty tables
    again = facility.Scenario.from_dict(back, base=SCENARIO_DIR)
    assert facility.to_json(facility.run(again))["accelerators"] == 50048  # 782 racks of 64
    data["site"]["weather"] = "/tmp/server/uploads/abc123.epw"
    assert tomllib.loads(explore.what_if_toml(data, "x", {"/tmp/server/uploads/abc123.epw": "my-site.epw"})
                         )["site"]["weather"] == "my-site.epw"
    assert "/tmp/" not in explore.what_if_toml(data, "x")


def test_hourly_csv_has_units_in_its_headers_and_8760_rows(default):
    _, r, doc = default
    text = explore.hourly_csv(r.hourly)
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 8761
    head = rows[0]
    assert head[0].startswith("time (typical year)") and "facility_power [W]" in head and "pue [1]" in head
    assert rows[1][0] == "01-01 00:00" and "2001" not in text[:2000]
    i = head.index("facility_power [W]")
    assert sum(float(x[i]) for x in rows[1:]) / 1e6 == pytest.approx(doc["annual_energy_mwh"], rel=1e-9)


def test_public_doc_has_no_server_paths(default):
    _, _, doc = default
    out = explore.public_doc(doc)
    assert str(REPO) not in str(out) and out["site"]["weather_file"].endswith(".epw")
    assert str(REPO) in str(doc)  # the original is not touched


def test_xlsx_is_a_workbook_whose_cells_are_the_rows(default):
    s, _, doc = default
    rows = explore.equipment_list(doc, scenario_to_dict(s)["cooling"])
    data = explore.xlsx_bytes(rows, sheet="Equipment")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        sheet = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))
        book = z.read("xl/workbook.xml").decode()
    assert 'name="Equipment"' in book
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    xml_rows = sheet.findall(".//m:row", ns)
    assert len(xml_rows) == len(rows) + 1
    header = [c.find(".//m:t", ns).text for c in xml_rows[0]]
    assert header == list(rows[0])
    count_cell = xml_rows[1].find('m:c[@r="E2"]', ns)
    assert float(count_cell.find("m:v", ns).text) == rows[0]["count"]


def test_monthly_energy_adds_up_to_the_year(default):
    _, r, doc = default
    months = explore.monthly(r.hourly)
    assert [m["month"] for m in months][:2] == ["Jan", "Feb"] and len(months) == 12
    assert sum(m["facility [MWh]"] for m in months) == pytest.approx(doc["annual_energy_mwh"], rel=1e-9)
    assert sum(m["facility [MWh]"] for m in months) / sum(m["IT [MWh]"] for m in months) == pytest.approx(
        doc["pue_annual"], rel=1e-6)


def test_load_duration_starts_at_the_peak_and_never_rises(default):
    _, r, doc = default
    hours, mw = explore.load_duration(r.hourly)
    assert hours[0] == 1 and hours[-1] == 8760 and len(mw) <= 401
    assert mw[0] == pytest.approx(doc["peak_grid_mw"], rel=1e-6)
    assert (mw[1:] <= mw[:-1]).all()


def test_scenario_file_name_is_a_safe_slug():
    assert explore.scenario_file_name("../../etc/passwd") == "etc-passwd.toml"
    assert explore.scenario_file_name("   ") == "scenario.toml"
