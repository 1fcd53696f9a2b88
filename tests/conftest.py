"""Shared fixtures: the project registry is imported first so every Quantity lives in it."""

from __future__ import annotations

from pathlib import Path

import pytest

import facility  # noqa: F401  (sets pint's application registry)

REPO = Path(__file__).resolve().parent.parent
SHARED_WEATHER = REPO.parent / "shared" / "weather"


@pytest.fixture
def write_toml(tmp_path):
    """Write a scenario text to a file and return its path."""

    def write(text: str, name: str = "scenario.toml") -> Path:
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        return p

    return write


MINIMAL = """
name = "test"
[site]
weather = "tampa-fl"
grid_voltage = "161 kV"
[[compute.deployments]]
system = "h100-lc-64"
accelerators = 100000
"""


def count_calls(monkeypatch, module, name: str) -> dict[str, int]:
    """Replace ``module.name`` with a wrapper counting its calls for the test: ``calls["n"]``."""
    calls = {"n": 0}
    inner = getattr(module, name)

    def counted(*args, **kwargs):
        calls["n"] += 1
        return inner(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def pytest_collection_modifyitems(config, items):
    """Tests marked ``network`` need the internet: skipped unless FACILITY_NETWORK_TESTS=1."""
    import os

    if os.environ.get("FACILITY_NETWORK_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="needs the internet (set FACILITY_NETWORK_TESTS=1)")
    for item in items:
        if "network" in item.keywords:
            item.add_marker(skip)


# Hypothesis profiles: "default" for CI (each fuzz test sets its own few hundred examples), "nightly" for the long
# fuzz run: `pytest tests/facility/test_fuzz.py --hypothesis-profile=nightly` (50,000 cases, no deadline).
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("nightly", max_examples=50_000, deadline=None, database=None,
                          suppress_health_check=list(HealthCheck), print_blob=True)
