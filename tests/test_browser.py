"""The explorer in a real browser: headless Chromium (Debian's) opens the app served on localhost, waits for the
headline figures, checks that no exception is shown, and saves a screenshot (tests/artifacts/app.png)."""

import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import REPO

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic"]

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not shutil.which("chromium"),
                                                    reason="Debian chromium not installed (.ci/run installs it)")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server():
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(REPO / "streamlit_app.py"),
                             "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port),
                             "--browser.gatherUsageStats", "false"], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
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


def test_app_in_headless_chromium(server, tmp_path):
    from playwright.sync_api import sync_playwright

    artifacts = REPO / "tests" / "artifacts"
    artifacts.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch_persistent_context(str(tmp_path / "profile"), executable_path=CHROMIUM,
                                                        args=ARGS, headless=True,
                                                        viewport={"width": 1400, "height": 1800})
        page = browser.new_page()
        page.goto(server, timeout=60_000)
        page.get_by_text("Grid demand at design").first.wait_for(timeout=150_000)
        page.get_by_text("Power from the grid to the chips").first.wait_for(timeout=60_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        body = page.inner_text("body")
        assert "Traceback" not in body and "Internal error" not in body
        page.screenshot(path=str(artifacts / "app.png"), full_page=False)
        browser.close()
    assert (artifacts / "app.png").stat().st_size > 10_000
