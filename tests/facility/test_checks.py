"""facility.checks: the arguments of the library's entry points (a Scenario, a power Quantity, an envelope, an
index, a number, a sweep's variations) are checked, and a wrong one is a ScenarioError naming the function and
the argument."""

import math

import numpy as np
import pytest

from facility import Q_, ScenarioError, fit_to_grid, load_scenario, run
from facility.sweep import sweep
from tests.conftest import REPO


@pytest.mark.parametrize("arg", ["scenarios/default.toml", None, 42])
def test_run_refuses_what_is_not_a_scenario(arg):
    with pytest.raises(ScenarioError, match="expected a Scenario"):
        run(arg)


def _small():
    return load_scenario(REPO / "scenarios" / "dojo-exapod.toml")


def test_fit_to_grid_refuses_a_bare_number_and_a_huge_envelope():
    s = _small()
    with pytest.raises(ScenarioError, match=r"bare number|expected a power Quantity"):
        fit_to_grid(s, 300)
    with pytest.raises(ScenarioError, match="at most 20 GW"):
        fit_to_grid(s, Q_(1e30, "MW"))


def test_power_evaluate_refuses_none_bare_numbers_and_negative_loads():
    r = run(_small(), year=False)
    for bad in (None, 5e6, np.array([1e6]), Q_(-1, "MW"), Q_(float("nan"), "W")):
        with pytest.raises(ScenarioError):
            r.power.evaluate(bad)
    ok = r.power.evaluate(Q_(np.float32(1.0), "MW"))
    assert math.isfinite(float(ok["grid_import"]))


def test_sweep_refuses_a_string_as_the_list_of_values():
    with pytest.raises(ScenarioError, match="expected a list of values"):
        sweep(_small(), {"cooling.tcs_supply": "30 degC"})


def test_an_index_is_a_whole_number_in_range_python_or_numpy_never_a_bool():
    from facility.checks import index_arg

    assert index_arg(np.int64(2), "i", "f", 3) == 2 and index_arg(0, "i", "f", 3) == 0
    for bad in (3, -1, True, np.bool_(False), 1.0, "1"):
        with pytest.raises(ScenarioError, match=r"expected a whole number from 0 to 2") as e:
            index_arg(bad, "i", "f", 3)
        assert e.value.key == "f(i)"


def test_a_number_is_real_finite_and_within_its_ends_open_or_closed():
    from facility.checks import number_arg

    assert number_arg(np.float32(0.5), "mfu", "f", 0.0, 1.0, low_open=True) == pytest.approx(0.5)
    assert number_arg(1, "pue", "f", 1.0, 3.0) == 1.0
    with pytest.raises(ScenarioError, match="expected a number above 0 and at most 1"):
        number_arg(0.0, "mfu", "f", 0.0, 1.0, low_open=True)
    with pytest.raises(ScenarioError, match="expected a number from 1 to 3"):
        number_arg(3.5, "pue", "f", 1.0, 3.0)
    for bad in (math.nan, math.inf, True, "1.2", None):
        with pytest.raises(ScenarioError, match="expected a number"):
            number_arg(bad, "pue", "f", 1.0, 3.0)


def test_a_power_is_a_real_power_quantity_in_watts_never_negative_or_apparent():
    from facility.checks import power_arg

    np.testing.assert_array_equal(power_arg(Q_(np.array([0.0, 1.5]), "MW"), "p", "f"), [0.0, 1.5e6])
    assert power_arg(None, "p", "f", optional=True) is None
    with pytest.raises(ScenarioError, match="a bare number has no unit"):
        power_arg(5e6, "p", "f")
    with pytest.raises(ScenarioError, match="apparent power"):
        power_arg(Q_(300, "MVA"), "p", "f")
    with pytest.raises(ScenarioError, match="at least 0 W"):
        power_arg(Q_(-1, "kW"), "p", "f")


def test_variations_are_a_dict_of_key_paths_to_lists_or_quantity_arrays():
    from facility.checks import variations_arg

    ok = {"cooling.tcs_supply": ["30 degC", "35 degC"], "load.level": np.array([0.5, 1.0]),
          "site.grid_voltage": Q_(np.array([161.0, 230.0]), "kV")}
    assert variations_arg(ok, "sweep") is ok
    with pytest.raises(ScenarioError, match="expected a dict of key path"):
        variations_arg([("a", [1])], "sweep")
    with pytest.raises(ScenarioError, match="expected a key path"):
        variations_arg({1: [1]}, "sweep")
    with pytest.raises(ScenarioError, match="expected a list of values") as e:
        variations_arg({"load.level": {"a": 1}}, "sweep")
    assert e.value.key == "load.level"
