"""The explorer survives every hostile scenario of issue #17, uploaded or pasted: an error message in the page, no
exception, no internal error, and the page answers quickly (no hang, no denial of service)."""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

APP = str(REPO / "streamlit_app.py")
HOSTILE = REPO / "tests" / "data" / "hostile"
REFUSED = sorted(p for p in HOSTILE.glob("*.toml") if not p.name.startswith("ok-"))
#: Generated, not stored: a 50 MB scenario (a name of 50 million characters).
BIG = ("big.toml", ('name = "' + "x" * 50_000_000 + '"\n').encode())
#: Seconds one refused upload may take in the page (the parser refuses in milliseconds; AppTest adds ~1 s).
BUDGET_S = 20


@pytest.fixture(scope="module")
def app():
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert not at.exception, at.exception
    return at


#: Every hostile file, uploaded (the explorer parses uploads with :func:`facility.scenario.parse_scenario_text`).
CASES = [pytest.param(p.name, p.read_bytes(), id=p.name) for p in REFUSED]


def _refused(at: AppTest, name: str) -> None:
    assert not at.exception, (name, at.exception)
    errors = [e.value for e in at.error]
    assert errors, f"{name}: no error message shown"
    assert not any("Internal error" in e for e in errors), (name, errors)


@pytest.mark.slow
@pytest.mark.parametrize("name, content", [*CASES, pytest.param(*BIG, id="50-MB")])
def test_hostile_upload_shows_an_error_and_no_exception(app, name, content):
    start = time.perf_counter()
    app.sidebar.file_uploader(key="upload").set_value((name, content, "application/toml")).run()
    assert time.perf_counter() - start < BUDGET_S, f"{name}: the page took too long"
    try:
        _refused(app, name)
    finally:
        app.sidebar.file_uploader(key="upload").set_value(None).run()
        assert not app.exception and not app.error  # back to the bundled scenario, still responsive


#: Pasted: the inputs that stalled the server (a power expression, 600 digits) and a few others (every file is
#: uploaded above; the paste path differs only in where the text comes from).
PASTED = ("grid-voltage-power-expression.toml", "temperature-600-digits.toml", "weather-name-300.toml",
          "load-level-zero.toml", "catalog-count-inf.toml")


@pytest.mark.slow
@pytest.mark.parametrize("name, content", [c for c in CASES if c.values[0] in PASTED])
def test_hostile_paste_shows_an_error_and_no_exception(app, name, content):
    start = time.perf_counter()
    app.sidebar.text_area(key="pasted").input(content.decode("utf-8")).run()
    assert time.perf_counter() - start < BUDGET_S, f"{name}: the page took too long"
    try:
        _refused(app, name)
    finally:
        app.sidebar.text_area(key="pasted").input("").run()
