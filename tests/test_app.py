"""The Streamlit explorer through streamlit.testing (no browser): every scenario runs, inputs move the figures
the right way, a downloaded scenario reloads to the same result, bad input shows a message."""

import pytest
from streamlit.testing.v1 import AppTest

import facility
from facility.scenario import scenario_to_toml
from tests.conftest import REPO

APP = str(REPO / "streamlit_app.py")


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert not at.exception, at.exception
    return at


def _metric(at: AppTest, label: str) -> float:
    m = next(m for m in at.metric if m.label.startswith(label))
    return float(m.value.replace(",", ""))


@pytest.fixture(scope="module")
def app():
    return _app()


@pytest.mark.slow
def test_the_app_runs_with_every_bundled_scenario(app):
    for path in sorted((REPO / "scenarios").glob("*.toml")):
        app.sidebar.selectbox(key="scenario_file").set_value(path.name).run()
        assert not app.exception, (path.name, app.exception)
        assert not app.error, (path.name, [e.value for e in app.error])
        assert _metric(app, "Grid demand at design") > 0
    app.sidebar.selectbox(key="scenario_file").set_value("default.toml").run()


def test_more_gpus_means_more_megawatts(app):
    before = _metric(app, "IT power (design)")
    app.sidebar.number_input(key="accelerators").set_value(150_000).run()
    assert _metric(app, "IT power (design)") > before
    app.sidebar.number_input(key="accelerators").set_value(100_000).run()


def test_warmer_coolant_means_fewer_chiller_hours(app):
    app.sidebar.slider(key="supply").set_value(25.0).run()
    cold = _metric(app, "Chiller hours")
    app.sidebar.slider(key="supply").set_value(45.0).run()
    assert _metric(app, "Chiller hours") < cold
    app.sidebar.slider(key="supply").set_value(32.0).run()


def test_a_downloaded_scenario_reloads_to_the_same_result():
    s = facility.load_scenario(REPO / "scenarios" / "gb200-ashburn-dc800.toml")
    text = scenario_to_toml(s)  # what the "Scenario (TOML)" button serves
    at = _app()
    at.sidebar.text_area(key="pasted").set_value(text).run()
    assert not at.error
    doc = facility.to_json(facility.run(s))
    assert _metric(at, "Grid demand at design") == pytest.approx(doc["facility_power_design_mw"], abs=0.05)
    assert _metric(at, "PUE over the year") == pytest.approx(doc["pue_annual"], abs=5e-4)


def test_invalid_input_and_infeasible_design_show_a_message_not_a_traceback():
    at = _app()
    at.sidebar.text_area(key="pasted").set_value("name = 'x'\n[site\n").run()
    assert not at.exception and "not valid TOML" in at.error[0].value
    at.sidebar.text_area(key="pasted").set_value("").run()
    at.sidebar.selectbox(key="plant").set_value("dry-cooler").run()
    at.sidebar.slider(key="supply").set_value(15.0).run()
    assert not at.exception
    assert at.error and "Infeasible design" in at.error[0].value and "no chiller" in at.error[0].value


def test_sweep_view_draws_a_heatmap():
    at = _app()
    at.selectbox(key="sw_k2").set_value("site.weather").run()
    at.number_input(key="sw_n_first").set_value(2).run()
    at.button(key="sw_run").click().run()
    assert not at.exception and not at.error
    charts = [c.proto.spec for c in at.get("plotly_chart")]
    assert any('"heatmap"' in spec and "pue_annual" in spec for spec in charts)


def test_sweep_view_over_plants_and_a_wide_range():
    at = _app()
    at.selectbox(key="sw_k1").set_value("cooling.heat_rejection").run()
    at.selectbox(key="sw_k2").set_value("cooling.tcs_supply").run()
    at.number_input(key="sw_n_second").set_value(40).run()
    at.button(key="sw_run").click().run()  # 2 plants x 40 temperatures, two vectorised batches
    assert not at.exception and not at.error
    assert any('"heatmap"' in c.proto.spec for c in at.get("plotly_chart"))


def test_every_architecture_can_be_chosen(app):
    from facility.architectures import architectures

    for arch in architectures():
        app.sidebar.selectbox(key="architecture").set_value(arch).run()
        assert not app.exception and not app.error, (arch, [e.value for e in app.error])
    app.sidebar.selectbox(key="architecture").set_value("ac-480v").run()
