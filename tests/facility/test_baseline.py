"""Regression against the saved outputs of every bundled scenario (issue #12, "Behaviour must not move").

``tests/data/baseline/*.json`` is ``facility run <scenario> --format json`` of the 8 bundled scenarios and
``*.nc`` the ``--hourly`` NetCDF of two of them, saved before the restructuring of issue #12. Every numeric
figure must stay equal to 1e-9 relative; a figure that moves on purpose is updated in the baseline in the same
commit, with the reason in its message.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

import facility

REPO = Path(__file__).resolve().parents[2]
BASELINE = REPO / "tests" / "data" / "baseline"
SCENARIOS = sorted(p.stem for p in BASELINE.glob("*.json"))
RTOL = 1e-9
#: Text fields that name where the scenario was read from, not what it computes.
_PATHS = {"source", "weather_file"}


def _compare(new, old, where: str, diffs: list[str]) -> None:
    if isinstance(old, dict):
        assert isinstance(new, dict), where
        missing = set(old) - set(new)
        if missing:  # later versions add keys, never rename or drop
            diffs.append(f"{where}: keys dropped {sorted(missing)}")
        for k in old:
            if k in new and k not in _PATHS:
                _compare(new[k], old[k], f"{where}.{k}", diffs)
    elif isinstance(old, list):
        if len(new) != len(old):
            diffs.append(f"{where}: {len(new)} items, was {len(old)}")
            return
        for i, (a, b) in enumerate(zip(new, old, strict=True)):
            _compare(a, b, f"{where}[{i}]", diffs)
    elif isinstance(old, bool) or old is None or isinstance(old, str):
        if new != old:
            diffs.append(f"{where}: {new!r}, was {old!r}")
    elif isinstance(old, int | float):
        if not isinstance(new, int | float) or isinstance(new, bool):
            diffs.append(f"{where}: {new!r}, was {old!r}")
        elif not math.isclose(new, old, rel_tol=RTOL, abs_tol=1e-12):
            diffs.append(f"{where}: {new!r}, was {old!r}")


@pytest.fixture(scope="module")
def results():
    return {}


def _run(name: str, cache: dict):
    if name not in cache:
        cache[name] = facility.run(facility.load_scenario(REPO / "scenarios" / f"{name}.toml"))
    return cache[name]


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_json_figure_equals_the_saved_baseline(name, results):
    old = json.loads((BASELINE / f"{name}.json").read_text())
    new = json.loads(json.dumps(facility.to_json(_run(name, results))))
    diffs: list[str] = []
    _compare(new, old, name, diffs)
    assert not diffs, "\n".join(diffs[:40])


@pytest.mark.parametrize("name", sorted(p.stem for p in BASELINE.glob("*.nc")))
def test_every_hourly_variable_equals_the_saved_baseline(name, results):
    import xarray as xr

    with xr.open_dataset(BASELINE / f"{name}.nc") as old:
        new = _run(name, results).hourly
        assert set(old.data_vars) <= set(new.data_vars)
        for v in old.data_vars:
            a, b = np.asarray(new[v].values, dtype=float), np.asarray(old[v].values, dtype=float)
            np.testing.assert_allclose(a, b, rtol=RTOL, atol=1e-9, err_msg=f"{name}: {v}")
            assert new[v].attrs.get("units") == old[v].attrs.get("units"), v
        np.testing.assert_array_equal(new["time"].values, old["time"].values)
