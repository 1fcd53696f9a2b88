"""facility.errors: a ScenarioError / InfeasibleDesign is one line naming the file, the key path, what was wrong
and what is expected; a huge input is never echoed back."""

import pytest

from facility.errors import (
    MAX_MESSAGE,
    InfeasibleDesign,
    ScenarioError,
    did_you_mean,
    format_key_path,
    located,
    shorten,
)


def test_infeasible_design_keeps_its_class():
    assert issubclass(InfeasibleDesign, Exception) and InfeasibleDesign("x", source="f", key="k").key == "k"


def test_a_scenario_error_is_one_line_with_file_key_and_message_and_counts_the_other_problems():
    e = ScenarioError("got -3;\n expected at least 1", source="a.toml", key="compute.deployments[0].racks",
                      problems=[("compute.deployments[0].racks", "got -3; expected at least 1"),
                                ("site.grid_voltage", "got 5 kV; expected above the MV level"), (None, "third")])
    assert str(e) == ("a.toml: compute.deployments[0].racks: got -3; expected at least 1 (and 2 more problems: "
                      "site.grid_voltage: got 5 kV; expected above the MV level; third)")
    assert e.problems[0][0] == e.key and e.source == "a.toml"
    assert ScenarioError("bad").problems == [(None, "bad")] and str(ScenarioError("bad")) == "bad"


def test_a_message_is_cut_at_the_maximum_length_and_a_value_at_its_repr_limit():
    e = ScenarioError("x" * 10 * MAX_MESSAGE)
    assert len(str(e)) < MAX_MESSAGE + 60 and str(e).endswith(f"(message cut at {MAX_MESSAGE:,} characters)")
    assert shorten("y" * 100_000, 20) == "'yyyyyyyyyyyyyyyyyyy... (100,002 characters)"
    assert shorten(42) == "42"


def test_key_paths_are_written_as_in_the_toml_and_near_misses_are_suggested():
    assert format_key_path(("compute", "deployments", 0, "system")) == "compute.deployments[0].system"
    assert format_key_path(()) == ""
    assert did_you_mean("dry-coler", ["cooling-tower", "dry-cooler"]) == "did you mean 'dry-cooler'? "
    assert did_you_mean("zzz", ["cooling-tower", "dry-cooler"]) == ""


def test_an_infeasible_design_is_located_by_the_phrase_of_its_constraint():
    e = located(InfeasibleDesign("chip case temperature 92 degC above its 85 degC limit"), "default.toml")
    assert (e.source, e.key) == ("default.toml", "cooling.tcs_supply")
    assert str(e) == "default.toml: cooling.tcs_supply: chip case temperature 92 degC above its 85 degC limit"
    named = InfeasibleDesign("x", source="a.toml", key="k")
    assert located(named, "b.toml") is named
    assert located(InfeasibleDesign("something else"), "c.toml").key is None
    with pytest.raises(InfeasibleDesign):
        raise located(InfeasibleDesign("has no chiller"), None)
