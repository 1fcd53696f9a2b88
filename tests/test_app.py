"""The Streamlit explorer through streamlit.testing (no browser): the inputs always show the computed scenario, a
what-if changes only what was changed, inputs move the figures the right way, designs compare side by side, a
saved scenario reloads to the same result, bad input shows a message in place."""

from __future__ import annotations

import json
import tomllib

import pytest
from streamlit.testing.v1 import AppTest

import facility
from facility.architectures import architecture_stages
from facility.scenario import scenario_to_dict, scenario_to_toml
from tests.conftest import REPO

APP = str(REPO / "streamlit_app.py")


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert not at.exception, at.exception
    return at


def _metric(at: AppTest, label: str) -> float:
    m = next(m for m in at.metric if m.label.startswith(label))
    return float(m.value.replace(",", "").split()[0])


def _apply(at: AppTest, **values) -> AppTest:
    """Set inputs of the What-if form and press Apply (one rerun)."""
    kinds = {"accelerators": "number_input", "envelope": "number_input", "liquid": "slider", "supply": "slider",
             "mode": "radio"}
    for k, v in values.items():
        getattr(at.sidebar, kinds.get(k.split("_")[0], "selectbox"))(key=k).set_value(v)
    at.sidebar.form_submit_button(key="apply").click().run()
    assert not at.exception, at.exception
    return at


def _changed(at: AppTest) -> list[str]:
    """The key paths the computed scenario changed, as the page states them under the title."""
    text = next(c.value for c in at.caption if c.value.startswith("**"))
    if text.endswith("As loaded."):
        return []
    return text.split("What-if: changed ", 1)[1].rstrip(".").split(", ")


def _tab(at: AppTest, name: str) -> AppTest:
    """Open a tab (the tabs are lazy: only the open one runs)."""
    at.session_state["tab"] = name
    at.run()
    assert not at.exception, at.exception
    return at


def _pick(at: AppTest, name: str) -> AppTest:
    at.sidebar.selectbox(key="scenario_file").set_value(name).run()
    assert not at.exception, (name, at.exception)
    return at


@pytest.fixture(scope="module")
def app():
    return _app()


def _expected_inputs(path) -> dict:
    s = facility.load_scenario(path)
    d = scenario_to_dict(s)
    doc = facility.to_json(facility.run(s))
    specs = {sp.id: sp for sp in architecture_stages(d["power"]["architecture"])[0]}
    block = next(b for b in ("ups", "rectifier", "unit-substation") if b in specs)
    out = {"site": d["site"]["weather"], "architecture": d["power"]["architecture"],
           "red": d["power"]["stages"].get(block, {}).get("redundancy", specs[block].redundancy),
           "plant": d["cooling"]["heat_rejection"], "supply": doc["cooling_inputs"]["tcs_supply_degc"],
           "mode": "accelerators"}
    for i, (dep, ddoc) in enumerate(zip(d["compute"]["deployments"], doc["deployments"], strict=True)):
        sfx = "" if i == 0 else f"_{i}"
        out["system" + sfx] = dep["system"]
        out["accelerators" + sfx] = dep.get("accelerators", ddoc["accelerators"])
        out["liquid" + sfx] = pytest.approx(ddoc["liquid_fraction"])
    return out


@pytest.mark.slow
def test_every_bundled_scenario_sets_every_input_to_its_own_values(app):
    """Defect 1: after a scenario change the sidebar kept the previous site, system, count, architecture,
    redundancy, liquid fraction, coolant and plant. Picked after a changed what-if, each scenario's values show."""
    _apply(app, plant="cooling-tower+chiller", supply=45.0, system="gb200-nvl72")
    for path in sorted((REPO / "scenarios").glob("*.toml")):
        _pick(app, path.name)
        assert not app.error, (path.name, [e.value for e in app.error])
        for k, v in _expected_inputs(path).items():
            assert app.session_state[k] == v, (path.name, k)
        assert _changed(app) == [], path.name
        assert _metric(app, "Grid at design") > 0
    _pick(app, "default.toml")


def test_changing_one_input_changes_only_that_key_of_the_computed_scenario(app):
    """Defect 1, the Ashburn -> Tampa case: after GB200 in Ashburn, the default and a new plant is only a new plant."""
    _pick(app, "gb200-ashburn-dc800.toml")
    _pick(app, "default.toml")
    _apply(app, plant="cooling-tower+chiller")
    assert _changed(app) == ["cooling.heat_rejection"]
    assert _metric(app, "Accelerators") == 100_032 and "tampa-fl" in app.caption[0].value
    _apply(app, plant="dry-cooler+chiller")
    assert _changed(app) == []


def test_a_new_system_brings_its_own_liquid_fraction(app):
    """Defect 2: switching to an air-cooled system forced the previous 0.75 onto it."""
    assert app.session_state["liquid"] == pytest.approx(0.75)
    _apply(app, system="h100-air-16")
    assert app.session_state["liquid"] == 0.0
    assert _changed(app) == ["compute.deployments[0].system"]
    assert _metric(app, "Chillers, liquid") == 0
    _apply(app, system="h100-lc-64")
    assert app.session_state["liquid"] == pytest.approx(0.75) and _changed(app) == []
    # a fraction the user set is kept when the system is changed in the same Apply
    _apply(app, system="gb200-nvl72", liquid=0.5)
    assert app.session_state["liquid"] == 0.5
    assert sorted(_changed(app)) == ["catalog.gb200-nvl72", "compute.deployments[0].system"]
    _apply(app, system="h100-lc-64", liquid=0.75)
    assert _changed(app) == []


def test_more_gpus_means_more_megawatts(app):
    before = _metric(app, "IT at design")
    _apply(app, accelerators=150_000)
    assert _metric(app, "IT at design") > before
    assert _changed(app) == ["compute.deployments[0].accelerators"]
    _apply(app, accelerators=100_000)
    assert _changed(app) == []


def test_warmer_coolant_means_fewer_liquid_chiller_hours_and_the_air_side_is_shown(app):
    """Defect 5: at 45 °C the liquid loop needs no chiller but the air side still does."""
    _apply(app, supply=25.0)
    cold = _metric(app, "Chillers, liquid")
    _apply(app, supply=45.0)
    assert _metric(app, "Chillers, liquid") < cold
    doc = facility.to_json(facility.run(facility.Scenario.from_dict(
        {**scenario_to_dict(facility.load_scenario(REPO / "scenarios/default.toml")),
         "cooling": {"tcs_supply": "45 degC", "heat_rejection": "dry-cooler+chiller", "cdu": "cdu-in-rack-100kw"}})))
    assert _metric(app, "Chillers, air side") == doc["chiller_hours_air"] > 0
    _apply(app, supply=32.0)
    assert _changed(app) == []


def test_several_inputs_apply_in_one_rerun(app):
    _apply(app, site="chicago-il", architecture="dc-800v", supply=40.0)
    assert sorted(_changed(app)) == ["cooling.tcs_supply", "power.architecture", "site.weather"]
    assert app.session_state["red"] == "4N/3"  # the rectifier block's own default came with dc-800v
    _apply(app, site="tampa-fl", architecture="ac-480v", supply=32.0)
    assert _changed(app) == []


def test_every_architecture_can_be_chosen(app):
    from facility.architectures import architectures

    for arch in architectures():
        _apply(app, architecture=arch)
        assert not app.error, (arch, [e.value for e in app.error])
        assert _changed(app) == ([] if arch == "ac-480v" else ["power.architecture"])
    _apply(app, architecture="ac-480v")


def test_pin_a_change_and_compare_side_by_side(app):
    _tab(app, "Compare")
    app.text_input(key="pin_name").set_value("A").run()
    app.button(key="pin").click().run()
    _apply(app, accelerators=50_000)
    app.text_input(key="pin_name").set_value("B").run()
    app.button(key="pin").click().run()
    _apply(app, plant="cooling-tower+chiller")
    assert not app.exception
    table = app.table[0].value
    assert list(table.columns) == ["quantity", "unit", "A", "B", "on screen", "Δ B", "Δ on screen"]
    acc = table.set_index("quantity").loc["Accelerators"]
    assert (acc["A"], acc["B"], acc["Δ B"]) == ("100,032", "50,048", "-49,984")
    water = table.set_index("quantity").loc["Water over the year"]
    assert water["A"] == "0" and float(water["on screen"].replace(",", "")) > 0  # towers evaporate, dry coolers not
    assert water["Δ B"] == ""  # no change: blank, not "+0"
    app.button(key="unpin").click().run()
    _apply(app, accelerators=100_000, plant="dry-cooler+chiller")
    assert _changed(app) == []
    _tab(app, "Power")


def test_a_downloaded_scenario_reloads_to_the_same_result():
    s = facility.load_scenario(REPO / "scenarios" / "gb200-ashburn-dc800.toml")
    at = _app()
    at.sidebar.text_area(key="pasted").set_value(scenario_to_toml(s)).run()
    assert not at.error and at.session_state["source"] == "Paste"
    doc = facility.to_json(facility.run(s))
    assert _metric(at, "Grid at design") == pytest.approx(doc["facility_power_design_mw"], abs=0.05)
    assert _metric(at, "PUE over the year") == pytest.approx(doc["pue_annual"], abs=5e-4)
    assert at.session_state["system"] == "gb200-nvl72" and at.session_state["site"] == "sterling-va"
    # touching the picker chooses it: the paste no longer overrides it silently
    _pick(at, "meta-24k-h100-air.toml")
    assert at.session_state["source"] == "Bundled scenario" and at.session_state["system"] == "h100-air-16"


def test_invalid_input_and_infeasible_design_show_a_message_in_place():
    at = _app()
    at.sidebar.text_area(key="pasted").set_value("name = 'x'\n[site\n").run()
    assert not at.exception and "not valid TOML" in at.error[0].value
    assert at.sidebar.radio(key="source").value == "Paste"  # the rest of the page is still there
    at.sidebar.radio(key="source").set_value("Bundled scenario").run()
    assert not at.error and _metric(at, "Grid at design") > 0
    assert _changed(at) == [] and at.session_state["site"] == "tampa-fl"  # no input lost while nothing was drawn
    _apply(at, plant="dry-cooler", supply=15.0)
    assert at.error and "Infeasible design" in at.error[0].value and "no chiller" in at.error[0].value
    assert any(w.key == "apply" for w in at.sidebar.get("button") + at.sidebar.get("form_submit_button"))


def test_a_single_accelerator_is_flagged_not_shown_silently():
    """Defect 6: one accelerator gave a 100 MVA N+1 trunk and PUE 3.3 with no warning."""
    at = _app()
    _apply(at, accelerators=1)
    text = " ".join(w.value for w in at.warning)
    assert "far larger than the load" in text and "HV/MV transformer" in text and "PUE at design" in text


def test_a_computation_past_its_time_limit_says_so(monkeypatch):
    monkeypatch.setenv("FACILITY_APP_TIME_LIMIT", "0.001")
    text = scenario_to_toml(facility.load_scenario(REPO / "scenarios" / "default.toml")).replace(
        "Colossus-like campus", "Time-limit campus")  # not in the cache
    at = _app()
    at.sidebar.text_area(key="pasted").set_value(text).run()
    assert not at.exception
    assert at.error and "time limit of 0.001 s" in at.error[0].value


def test_sweep_view_draws_a_heatmap_and_a_table():
    at = _tab(_app(), "Sweep")
    at.selectbox(key="sw_k2").set_value("site.weather").run()
    at.number_input(key="sw_n_first").set_value(2).run()
    at.button(key="sw_run").click().run()
    assert not at.exception and not at.error
    charts = [c.proto.spec for c in at.get("plotly_chart")]
    assert any('"heatmap"' in spec and "annual PUE" in spec for spec in charts)
    table = at.dataframe[-1].value
    assert len(table) == 4 and "pue_annual [1]" in table.columns
    at.selectbox(key="sw_kpi").set_value("facility_power_design_mw").run()  # redraws from the kept result
    assert any("facility power at design" in c.proto.spec for c in at.get("plotly_chart"))


def test_a_sweep_over_the_power_architecture_runs():
    """Defect 3: "no stage 'ups' in architecture 'dc-800v'" reported as an internal error."""
    at = _app()
    _apply(at, red="2N")  # a UPS setting that dc-800v has no stage for
    _tab(at, "Sweep")
    at.selectbox(key="sw_k1").set_value("power.architecture").run()
    at.button(key="sw_run").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("ups" in c.value for c in at.caption)  # says what was left out
    table = at.dataframe[-1].value
    assert sorted(table["power.architecture"]) == ["ac-480v", "dc-800v"]
    _tab(at, "Export")
    assert {d.key for d in at.get("download_button")} >= {"dl_toml", "dl_json", "dl_csv", "dl_eq_xlsx"}


def test_sweep_view_over_plants_and_a_wide_range():
    at = _tab(_app(), "Sweep")
    at.selectbox(key="sw_k1").set_value("cooling.heat_rejection").run()
    at.selectbox(key="sw_k2").set_value("cooling.tcs_supply").run()
    at.number_input(key="sw_n_second").set_value(40).run()
    at.button(key="sw_run").click().run()  # 2 plants x 40 temperatures, two vectorised batches
    assert not at.exception and not at.error
    assert any('"heatmap"' in c.proto.spec for c in at.get("plotly_chart"))


def test_every_deployment_can_be_edited(tmp_path):
    d = scenario_to_dict(facility.load_scenario(REPO / "scenarios" / "default.toml"))
    d["name"] = "two deployments"
    d["compute"]["deployments"].append({"system": "gb200-nvl72", "racks": 100})
    d.pop("expect")
    import tomli_w

    at = _app()
    at.sidebar.text_area(key="pasted").set_value(tomli_w.dumps(d)).run()
    assert at.session_state["system_1"] == "gb200-nvl72" and at.session_state["accelerators_1"] == 7200
    before = _metric(at, "Accelerators")
    _apply(at, accelerators_1=14_400)
    assert _changed(at) == ["compute.deployments[1].racks", "compute.deployments[1].accelerators"]
    assert _metric(at, "Accelerators") == before + 7200


def test_year_axis_shows_months_not_2001(app):
    _tab(app, "Year")
    spec = json.loads(next(c.proto.spec for c in app.get("plotly_chart") if "Power over the year" in c.proto.spec))
    assert spec["layout"]["xaxis"]["tickformat"] == "%b"
    assert "typical year" in spec["layout"]["xaxis"]["title"]["text"]
    assert any("Load-duration curve" in c.proto.spec for c in app.get("plotly_chart"))
    assert any("Monthly energy and PUE" in c.proto.spec for c in app.get("plotly_chart"))
    _tab(app, "Power")


def test_the_uploader_states_the_real_limit(app):
    up = app.sidebar.get("file_uploader")
    scen = next(u for u in up if u.proto.id.endswith("upload") or "scenario" in u.proto.label.lower())
    assert "256 kB" in scen.proto.help
    assert scen.proto.max_upload_size_mb == 1  # the transport limit; the app refuses more than 256 kB itself
    assert tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"] == 5


def _uploader(at: AppTest, key: str):
    return next(u for u in at.sidebar.get("file_uploader") if u.proto.id.endswith(key))


def test_an_uploaded_scenario_is_used_and_a_file_over_256_kB_is_refused_in_place():
    """Defect 4: an upload silently beat the picker, and a failed upload blanked the whole page."""
    s = facility.load_scenario(REPO / "scenarios" / "meta-24k-h100-air.toml")
    at = _app()
    _uploader(at, "upload").set_value(("meta.toml", scenario_to_toml(s).encode(), "application/toml")).run()
    assert not at.exception and not at.error
    assert at.session_state["source"] == "Upload" and at.session_state["system"] == "h100-air-16"
    big = scenario_to_toml(s) + "#" * (257 * 1024)
    _uploader(at, "upload").set_value(("big.toml", big.encode(), "application/toml")).run()
    assert not at.exception
    assert at.error and "256 kB" in at.error[0].value and "big.toml" in at.error[0].value
    assert at.sidebar.selectbox(key="scenario_file")  # the rest of the page is still usable
    at.sidebar.radio(key="source").set_value("Bundled scenario").run()
    assert not at.error and at.sidebar.selectbox(key="scenario_file").value == "default.toml"
    assert _changed(at) == [] and at.session_state["system"] == "h100-lc-64"


def test_an_uploaded_weather_file_becomes_the_site_and_shows_its_design_conditions():
    from facility.sites import bundled_sites

    path = bundled_sites()["chicago-il"].path
    at = _app()
    _uploader(at, "weather_upload").set_value([("my-site.epw", path.read_bytes(), "application/octet-stream"),
                                               ("my-site.ddy", path.with_suffix(".ddy").read_bytes(), "text/plain")])
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert _changed(at) == ["site.weather"]
    assert at.session_state["site"].endswith(".epw") and "my-site" not in at.session_state["site"]
    assert "my-site.epw" in at.caption[0].value  # the page names it as the user knows it
    # the app takes the .epw and its .ddy but no .stat: the 20-year extreme (the default basis) falls back to the
    # file's hottest hour (facility.design_conditions), the design of the bundled site under weather-max
    base = scenario_to_dict(facility.load_scenario(REPO / "scenarios/default.toml"))
    chicago = facility.to_json(facility.run(facility.Scenario.from_dict(
        {**base, "site": {"weather": "chicago-il", "grid_voltage": "161 kV"},
         "cooling": {**base["cooling"], "design_basis": "weather-max"}})))
    assert _metric(at, "Grid at design") == pytest.approx(chicago["facility_power_design_mw"], abs=0.05)
    _tab(at, "Cooling")
    dry = chicago["cooling"]["design_conditions"]["dry_bulb_degc"]
    assert _metric(at, "Design dry bulb") == pytest.approx(dry, abs=0.05)
    _tab(at, "Export")
    assert any("colossus-like-campus-phase-1-default-what-if.toml" in c.value for c in at.caption)
    # a weather year alone: the design hour is the year's hottest, and the page says which basis it used
    at = _app()
    _uploader(at, "weather_upload").set_value(("alone.epw", path.read_bytes(), "application/octet-stream")).run()
    # (the default 20-year extreme basis itself falls back to the hottest hour without a .stat: no basis change;
    # an ashrae-% basis without its .ddy is still switched to weather-max by the app)
    assert not at.error and sorted(_changed(at)) == ["site.weather"]
    # with the site's .stat too, the design hour is the bundled site's 20-year extreme (the default basis)
    at = _app()
    _uploader(at, "weather_upload").set_value([
        ("with-stat.epw", path.read_bytes(), "application/octet-stream"),
        ("with-stat.stat", path.with_suffix(".stat").read_bytes(), "text/plain"),
        ("with-stat.ddy", path.with_suffix(".ddy").read_bytes(), "text/plain")])
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    extreme = facility.to_json(facility.run(facility.Scenario.from_dict(
        {**base, "site": {"weather": "chicago-il", "grid_voltage": "161 kV"}})))
    assert extreme["cooling"]["design_conditions"]["dry_bulb_degc"] > dry  # the extreme is hotter than the year's
    assert _metric(at, "Grid at design") == pytest.approx(extreme["facility_power_design_mw"], abs=0.05)


def test_the_saved_what_if_reloads_to_the_same_design():
    """What the Scenario (TOML) button serves: its own name, no [expect], a file name from the name."""
    from facility.explore import what_if_toml

    at = _app()
    _apply(at, accelerators=60_000, supply=38.0)
    _tab(at, "Export")
    at.text_input(key="save_name").set_value("Sixty thousand at 38 C").run()
    assert any("sixty-thousand-at-38-c.toml" in c.value for c in at.caption)
    base = scenario_to_dict(facility.load_scenario(REPO / "scenarios/default.toml"))
    data = json.loads(json.dumps(base))
    data["compute"]["deployments"][0]["accelerators"] = 60_000
    data["cooling"]["tcs_supply"] = "38 degC"
    text = what_if_toml(data, "Sixty thousand at 38 C")
    back = tomllib.loads(text)
    assert back["name"] == "Sixty thousand at 38 C" and "expect" not in back
    doc = facility.to_json(facility.run(facility.Scenario.from_dict(back)))
    assert _metric(at, "Grid at design") == pytest.approx(doc["facility_power_design_mw"], abs=0.05)
    assert _metric(at, "PUE over the year") == pytest.approx(doc["pue_annual"], abs=5e-4)


def test_the_swings_tab_shows_the_library_figures_for_the_computed_campus(app):
    """The Swings view shows what facility.swings computes for the design on screen: the swing and ramp metrics
    equal the library's, the trace and spectrum are drawn, and every mitigation layer is listed."""
    from facility.swings import simulate_swings

    _tab(app, "Swings")
    try:
        assert not app.error, [e.value for e in app.error]
        doc = simulate_swings(facility.run(facility.load_scenario(REPO / "scenarios" / "default.toml"),
                                           year=False)).to_json()
        assert _metric(app, "Swing at the grid") == pytest.approx(doc["swing_mw"], abs=0.05)
        assert _metric(app, "Largest ramp") == pytest.approx(doc["max_ramp_mw_per_s"], abs=0.05)
        charts = app.get("plotly_chart")
        assert len(charts) == 2
        layers = list(dict.fromkeys(app.dataframe[0].value["layer"].tolist()))
        assert layers == [name.replace("_", " ") for name in doc["layers"]]
    finally:
        _tab(app, "Power")


def test_the_supply_tab_shows_the_library_dispatch_cost_and_carbon_of_the_campus_and_compares_sites(app):
    """The Supply view of a scenario without [supply] states that it shows an example supply and shows what
    facility.supply and facility.capex compute for it on the campus's year: cost per MWh, CO2, grid peak, capital
    per MW of IT; the dispatch charts are drawn; a site picked runs the same campus and supply there."""
    from facility.capex import campus_capex
    from facility.explore import example_supply
    from facility.supply import Supply, supply_for

    _tab(app, "Supply")
    try:
        assert not app.error, [e.value for e in app.error]
        assert any("no [supply] section" in i.value for i in app.info)
        result = facility.run(facility.load_scenario(REPO / "scenarios" / "default.toml"))
        cfg = Supply(**example_supply(float(result.hourly["facility_power"].max()) / 1e6))
        doc = supply_for(result, cfg).to_json()
        cost = campus_capex(facility.to_json(result), doc)
        assert _metric(app, "Supply cost") == pytest.approx(doc["lcoe_usd_per_mwh"], abs=0.005)
        assert _metric(app, "Supply CO2") == pytest.approx(doc["co2_t"] / 1e3, abs=0.05)
        assert _metric(app, "Peak grid import") == pytest.approx(doc["grid_peak_mw"], abs=0.05)
        assert _metric(app, "Capital [M USD") == pytest.approx(cost["capex_usd_per_mw_it"] / 1e6, abs=0.005)
        assert len(app.get("plotly_chart")) == 3  # the year (daily means), the peak week, the cost by item
        options = app.dataframe[0].value["option"].tolist()
        assert options[0] == "grid" and "titan-130" in options
        app.multiselect(key="supply_sites").set_value(["chicago-il"]).run()
        assert not app.exception and not app.error, [e.value for e in app.error]
        rows = app.dataframe[-1].value.set_index("figure")
        assert rows.columns.tolist() == ["chicago-il"]
        assert float(rows.loc["lcoe_usd_per_mwh", "chicago-il"].replace(",", "")) > 0
    finally:
        _tab(app, "Power")
