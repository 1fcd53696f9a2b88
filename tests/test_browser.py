"""The explorer in a real browser: headless Chromium (Debian's) driven by Playwright on the app served on localhost,
as a capacity planner uses it. The walk: every bundled scenario picked shows its own values in the sidebar; one
input changed changes only that key of the computed scenario; pin A, change, compare. The first page of a warm
server is timed, and a screenshot of every tab at 1400 x 1000 is saved to tests/artifacts/ (look at them)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import REPO
from tests.test_app import _expected_inputs

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic"]
ARTIFACTS = REPO / "tests" / "artifacts"
VIEWPORT = {"width": 1400, "height": 1000}
TABS = ["Power", "Cooling", "Year", "Swings", "Supply", "Equipment", "Compare", "Sweep", "Export"]

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not shutil.which("chromium"),
                                                    reason="Debian chromium not installed (.ci/run installs it)")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(REPO / "streamlit_app.py"),
                             "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
                             "--browser.gatherUsageStats", "false"], cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("the Streamlit server did not start within 90 s")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(str(tmp_path_factory.mktemp("profile")),
                                                       executable_path=CHROMIUM, args=ARGS, headless=True,
                                                       viewport=VIEWPORT)
        yield context
        context.close()


def _ready(page, timeout: float = 120_000) -> None:
    """Wait until the script has finished its run (no 'Running' status) and the headline is drawn."""
    page.get_by_text("Grid at design").first.wait_for(timeout=timeout)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
                           " && !document.querySelector('[data-testid=\"stSpinner\"]')", timeout=timeout)
    assert page.locator('[data-testid="stException"]').count() == 0
    body = page.inner_text("body")
    assert "Traceback" not in body and "Internal error" not in body


def _widget(page, testid: str, label: str):
    return page.locator(f'section[data-testid="stSidebar"] [data-testid="{testid}"]').filter(
        has=page.get_by_text(label, exact=True)).first


def _select(page, label: str, option: str) -> None:
    """Choose an option of a sidebar selectbox (a combobox) by its label: type it, click it in the list."""
    box = _widget(page, "stSelectbox", label).locator('input[role="combobox"]')
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option, exact=True).click()
    assert box.input_value() == option


def _selected(page, label: str) -> str:
    return _widget(page, "stSelectbox", label).locator('input[role="combobox"]').input_value()


def _sidebar_values(page) -> dict:
    """What the sidebar shows for the inputs of the first deployment."""
    slider = _widget(page, "stSlider", "Coolant supply temperature [°C]").locator('input[type="range"]')
    liquid = _widget(page, "stSlider", "Liquid fraction of the rack's heat").locator('input[type="range"]')
    count = _widget(page, "stNumberInput", "Accelerators").locator("input")
    return {"site": _selected(page, "Site / weather"), "system": _selected(page, "System"),
            "architecture": _selected(page, "Power architecture"),
            "red": _selected(page, "Redundancy of the UPS / rectifier block"),
            "plant": _selected(page, "Heat rejection"), "supply": float(slider.input_value()),
            "liquid": float(liquid.input_value()),
            "accelerators": int(count.input_value().replace(",", ""))}


def _changed(page) -> list[str]:
    text = page.locator('[data-testid="stCaptionContainer"]').first.inner_text()
    if "As loaded." in text:
        return []
    return re.search(r"What-if: changed (.*)\.", text)[1].split(", ")


CAPTION = "document.querySelector('[data-testid=\"stCaptionContainer\"]').innerText"


def _apply(page) -> None:
    """Press Apply and wait for the page to state the new what-if (every Apply here changes the list of changed
    keys under the title), then for the run to finish."""
    before = page.evaluate(f"() => {CAPTION}")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_function(f"(before) => {CAPTION} !== before", arg=before, timeout=120_000)
    _ready(page)


def _settled(page, quiet_s: float = 1.0) -> None:
    """Wait until the app has been idle (no run, no spinner) for ``quiet_s`` in a row: a tab's heavy content (the
    swings trace, the supply dispatch) may start a run after the first idle moment, and its screenshot would show
    the spinner."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        _ready(page)
        time.sleep(quiet_s)
        if page.evaluate("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
                         " && !document.querySelector('[data-testid=\"stSpinner\"]')"):
            return


def _open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()
    time.sleep(0.5)
    _ready(page)


def test_first_page_of_a_warm_server_is_ready_within_3_s(server, browser):
    """Median of three reloads, from the request to the headline drawn and the run finished. The browser's own work
    (Streamlit's and Plotly's JavaScript) dominates: the server's run is ~50 ms. On a machine busier than 1.5
    runnable processes per core the figure is recorded but not judged (tests/artifacts/first_page_s.txt)."""
    page = browser.new_page()
    page.goto(server, timeout=60_000)
    _ready(page, timeout=180_000)  # the first page ever: imports, weather files (a cold server)
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        page.reload()
        _ready(page)
        times.append(time.perf_counter() - t0)
    ready = sorted(times)[1]
    load = os.getloadavg()[0] / (os.cpu_count() or 1)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "first_page_s.txt").write_text(f"{ready:.2f} s (reloads {', '.join(f'{t:.2f}' for t in times)}); "
                                                f"load average per core {load:.1f}\n")
    if load <= 1.5:
        assert ready <= 3.0, f"first page ready after {ready:.1f} s on a warm server"
    page.close()


def test_every_bundled_scenario_shows_its_own_values_in_the_sidebar(server, browser):
    """Defect 1, in the browser: after a changed what-if, each picked scenario's values show in the sidebar."""
    page = browser.new_page()
    page.goto(server, timeout=60_000)
    _ready(page, timeout=180_000)
    _select(page, "Heat rejection", "cooling-tower+chiller")
    _select(page, "System", "gb200-nvl72")
    _apply(page)
    assert sorted(_changed(page)) == ["compute.deployments[0].system", "cooling.heat_rejection"]
    for path in sorted((REPO / "scenarios").glob("*.toml")):
        _select(page, "Bundled scenario", path.name)
        page.get_by_text(f"({path.name})").first.wait_for(timeout=60_000)
        _ready(page)
        shown = _sidebar_values(page)
        want = _expected_inputs(path)
        for k, v in shown.items():
            assert v == want[k], (path.name, k, v, want[k])
        assert _changed(page) == [], path.name
    page.close()


def test_one_input_changes_one_key_then_pin_and_compare(server, browser):
    page = browser.new_page()
    page.goto(server, timeout=60_000)
    _ready(page, timeout=180_000)
    _select(page, "Bundled scenario", "gb200-ashburn-dc800.toml")
    page.get_by_text("(gb200-ashburn-dc800.toml)").first.wait_for(timeout=60_000)
    _ready(page)
    _select(page, "Bundled scenario", "default.toml")
    page.get_by_text("(default.toml)").first.wait_for(timeout=60_000)
    _ready(page)
    _select(page, "Heat rejection", "cooling-tower+chiller")
    _apply(page)
    assert _changed(page) == ["cooling.heat_rejection"]
    assert _sidebar_values(page)["site"] == "tampa-fl"
    _select(page, "Heat rejection", "dry-cooler+chiller")
    _apply(page)
    assert _changed(page) == []
    # pin A, change, compare
    _open_tab(page, "Compare")
    page.get_by_role("button", name="Pin this design").click()
    page.get_by_text("Unpin all").wait_for(timeout=60_000)
    _ready(page)
    count = _widget(page, "stNumberInput", "Accelerators").locator("input")
    count.fill("50000")
    _apply(page)
    assert _changed(page) == ["compute.deployments[0].accelerators"]
    from playwright.sync_api import expect

    table = page.locator('[data-testid="stTable"]').first
    expect(table).to_contain_text("50,048", timeout=60_000)  # the run may still be drawing after the caption
    text = table.inner_text()
    assert "Δ on screen" in text and "100,032" in text and "50,048" in text and "-49,984" in text
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "app-compare.png"))
    page.close()


def test_screenshots_of_every_tab(server, browser):
    """Saved for a look at 1400 x 1000 (tests/artifacts/app-<tab>.png): nothing overlaps or is cut off."""
    page = browser.new_page()
    page.goto(server, timeout=60_000)
    _ready(page, timeout=180_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "app.png"))
    scroller = "document.querySelector('[data-testid=\"stMain\"]')"
    for name in TABS:
        _open_tab(page, name)
        page.locator('[data-testid="stTabs"]').first.scroll_into_view_if_needed()
        _settled(page)
        page.screenshot(path=str(ARTIFACTS / f"app-{name.lower()}.png"))
        height = page.evaluate(f"() => {scroller}.scrollHeight")
        for k, y in enumerate(range(0, height, 900)):  # the whole tab, a screen at a time
            page.evaluate(f"() => {scroller}.scrollTo(0, {y})")
            time.sleep(0.3)
            page.screenshot(path=str(ARTIFACTS / f"app-{name.lower()}-{k + 1}.png"))
    assert (ARTIFACTS / "app.png").stat().st_size > 10_000
    page.close()


def test_a_weather_year_uploads_through_the_browser(server, browser):
    """An EPW year is ~1.6 MB, above the 1 MB transport limit of the scenario uploader: the weather uploader has
    its own limit, and the uploaded year becomes the site."""
    from facility.sites import bundled_sites

    epw = bundled_sites()["chicago-il"].path
    assert epw.stat().st_size > 2**20
    page = browser.new_page()
    page.goto(server, timeout=60_000)
    _ready(page, timeout=180_000)
    before = page.evaluate(f"() => {CAPTION}")
    page.locator('.st-key-weather_upload input[type="file"]').set_input_files([str(epw), str(epw.with_suffix(".ddy"))])
    page.wait_for_function(f"(before) => {CAPTION} !== before", arg=before, timeout=120_000)
    _ready(page)
    assert _changed(page) == ["site.weather"]
    assert _selected(page, "Site / weather") == f"uploaded: {epw.name}"
    page.close()


def test_the_supply_tab_draws_the_dispatch_and_compares_a_site_in_the_browser(server, browser):
    """The Supply view of the default campus: its metrics, the dispatch stack over the year and the peak week, the
    capital table, no error; a site picked in the multiselect adds its row (saved: app-supply-sites.png)."""
    from playwright.sync_api import expect

    page = browser.new_page()
    page.goto(server, timeout=60_000)
    _ready(page, timeout=180_000)
    _open_tab(page, "Supply")
    main = page.locator('[data-testid="stMain"]')
    expect(main).to_contain_text("Supply cost [USD/MWh]", timeout=120_000)
    expect(main).to_contain_text("Dispatch over the year (daily means)", timeout=60_000)
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    assert page.locator('[data-testid="stPlotlyChart"]').count() >= 3
    frames = page.locator('[data-testid="stDataFrame"]').count()
    box = page.locator(".st-key-supply_sites input")
    box.scroll_into_view_if_needed()
    box.click()
    box.fill("chicago-il")
    page.get_by_role("option", name="chicago-il").click(timeout=60_000)
    page.keyboard.press("Escape")
    time.sleep(0.5)
    # the comparison table (a canvas grid: its text is not in the page) appears below the picker once computed
    page.wait_for_function(f"() => document.querySelectorAll('[data-testid=\"stDataFrame\"]').length > {frames}",
                           timeout=240_000)
    _ready(page, timeout=240_000)
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator('[data-testid="stDataFrame"]').last.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "app-supply-sites.png"))
    page.close()


def test_the_sweep_tab_runs_a_sweep_and_draws_it_in_the_browser(server, browser):
    """The Sweep view of the default campus: 11 coolant supply temperatures run as one vectorised batch (the
    compiled design inputs and the sweep's lean year), drawn with no error (saved: app-sweep-run.png)."""
    from playwright.sync_api import expect

    page = browser.new_page()
    page.goto(server, timeout=60_000)
    _ready(page, timeout=180_000)
    _open_tab(page, "Sweep")
    main = page.locator('[data-testid="stMain"]')
    charts = page.locator('[data-testid="stPlotlyChart"]').count()
    page.get_by_role("button", name=re.compile(r"Run the sweep \(11 design points\)")).click()
    page.wait_for_function(f"() => document.querySelectorAll('[data-testid=\"stPlotlyChart\"]').length > {charts}",
                           timeout=240_000)
    _ready(page, timeout=240_000)
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    expect(main).not_to_contain_text("Traceback")
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator('[data-testid="stPlotlyChart"]').last.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "app-sweep-run.png"))
    page.close()
