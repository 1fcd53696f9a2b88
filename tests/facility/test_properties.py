"""Property test: any scenario text, valid, mutated or generated, either loads or raises ScenarioError.

No other exception escapes the loader, and the CLI never prints a traceback (exit code 0 or 2).
"""

from __future__ import annotations

import string

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facility import ScenarioError, it_load, load_scenario
from facility.cli import main
from tests.conftest import MINIMAL

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

scalars = st.one_of(
    st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True), st.booleans(),
    st.text(max_size=12),
    st.sampled_from(["700 W", "161 kV", "35 degC", "W32", "100 EFLOPS", "-5 kW", "1e400 W", "0 K", "nan W",
                     "h100-lc-64", "dojo-exapod", "gb200-nvl72", "tampa", "ac-480v", "chiller+dry-cooler",
                     "3 m", "[1, 2]", "kV", "degC"]),
)
keys = st.sampled_from(["name", "site", "weather", "grid_voltage", "compute", "deployments", "system",
                        "accelerators", "racks", "nodes", "pods", "compute_target", "halls", "count",
                        "overheads", "power", "architecture", "cooling", "tcs_supply", "heat_rejection",
                        "expect", "it_power_mw", "catalog", "power_max", "liquid_fraction", "kind", "contains",
                        "gb200-nvl72", "typo"]) | st.text(string.ascii_lowercase + "_-", min_size=1, max_size=8)
trees = st.recursive(scalars, lambda children: st.lists(children, max_size=3) | st.dictionaries(keys, children,
                                                                                                 max_size=4),
                     max_leaves=12)


def _check_load(path):
    try:
        s = load_scenario(path)
    except ScenarioError as exc:
        assert str(exc)
        return
    try:
        it_load(s)
    except ScenarioError as exc:
        assert str(exc)


@SETTINGS
@given(st.dictionaries(keys, trees, max_size=6))
def test_generated_scenarios_load_or_raise_scenario_error(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("gen") / "s.toml"
    try:
        path.write_text(tomli_w.dumps(data))
    except (TypeError, ValueError):  # not representable in TOML (e.g. NaN in some writers)
        return
    _check_load(path)


@SETTINGS
@given(st.data())
def test_mutated_scenarios_load_or_raise_scenario_error(tmp_path_factory, data):
    text = MINIMAL + '[cooling]\ntcs_supply = "W32"\n[expect]\nit_power_mw = [100, 200]\n'
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(text) - 1))
        op = data.draw(st.sampled_from(["delete", "insert", "replace"]))
        ch = data.draw(st.sampled_from([*list('="[]{}.,#\n -0123456789aekVW'), "\x00", "é", "\\"]))
        text = {"delete": text[:i] + text[i + 1:], "insert": text[:i] + ch + text[i:],
                "replace": text[:i] + ch + text[i + 1:]}[op]
    path = tmp_path_factory.mktemp("mut") / "s.toml"
    path.write_text(text, encoding="utf-8")
    _check_load(path)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(keys, trees, max_size=5))
def test_cli_never_shows_a_traceback(tmp_path_factory, capsys, data):
    path = tmp_path_factory.mktemp("cli") / "s.toml"
    try:
        path.write_text(tomli_w.dumps(data))
    except (TypeError, ValueError):
        return
    code = main(["run", str(path), "--format", "json"])
    _, err = capsys.readouterr()
    assert code in (0, 2), err
    assert "Traceback" not in err
