"""The design inputs compiled once from a scenario to SI numbers (facility.inputs)."""

import dataclasses

import numpy as np
import pytest

from facility import Q_, Scenario, load_scenario
from facility.campus import design_campus
from facility.inputs import COUNT_KEYS, DesignInputs, compile_inputs, deployment_counts
from facility.plan import it_load
from tests.conftest import REPO


@pytest.fixture(scope="module")
def default():
    return load_scenario(REPO / "scenarios" / "default.toml")


def test_one_design_compiles_to_the_scenarios_values_in_si(default):
    c = default.cooling
    inp = compile_inputs(default)
    assert inp.tcs_supply == c.tcs_supply.m_as("K") and isinstance(inp.tcs_supply, float)
    assert inp.tcs_supply == pytest.approx(c.tcs_supply.m_as("degC") + 273.15, rel=1e-15)
    assert inp.pipe_length == c.pipe_length.m_as("m") and inp.pipe_velocity == c.pipe_velocity.m_as("m/s")
    assert inp.pipe_friction_rate == c.pipe_friction_rate.m_as("Pa/m")
    assert inp.pump_efficiency == c.pump_efficiency and inp.points == 1
    d = default.compute.deployments[0]
    key = next(k for k in COUNT_KEYS if getattr(d, k) is not None)
    assert inp.counts[0][0] == key and inp.counts == deployment_counts(default)


def test_overrides_are_converted_to_si_and_other_values_kept(default):
    inp = compile_inputs(default, {"cooling.tcs_supply": Q_(np.array([30.0, 40.0]), "degC"),
                                   "cooling.tcs_pressure_drop": Q_(np.array([50.0, 300.0]), "kPa"),
                                   "compute.deployments[0].compute_target": Q_(np.array([1.0, 2.0]), "EFLOPS"),
                                   "load.level": np.array([0.3, 0.9])})
    assert inp.tcs_supply == pytest.approx([303.15, 313.15], rel=1e-15)
    assert inp.tcs_pressure_drop == pytest.approx([5e4, 3e5], rel=1e-15)
    assert inp.counts[0][0] == "compute_target" and inp.counts[0][1] == pytest.approx([1e18, 2e18], rel=1e-15)
    assert inp.points == 2 and list(inp.level) == [0.3, 0.9]
    assert inp.tcs_delta_t == default.cooling.tcs_delta_t.m_as("K")
    with pytest.raises(KeyError):
        compile_inputs(default, {"cooling.tcs_coolant": "water"})  # structure, not a number: not an input
    with pytest.raises(dataclasses.FrozenInstanceError):
        inp.tcs_supply = 300.0  # type: ignore[misc]


def test_the_sizing_reads_the_inputs_not_the_scenario(default):
    """Sizing a scenario with the inputs of another gives the other's design (the numbers come from the inputs)."""
    warmer = Scenario.from_dict({**default.model_dump(), "cooling": {**default.model_dump()["cooling"],
                                                                      "tcs_supply": "40 degC"}},
                                source="warmer", base=default._base)
    inp = compile_inputs(warmer)
    assert isinstance(inp, DesignInputs)
    via_inputs = design_campus(default, it_load(default, inp), inp)
    direct = design_campus(warmer, it_load(warmer))
    assert via_inputs.facility_power.m_as("W") == direct.facility_power.m_as("W")
    assert via_inputs.cooling.tcs.supply.m_as("K") == pytest.approx(313.15, rel=1e-15)
    assert via_inputs.facility_power.m_as("W") != design_campus(default, it_load(default)).facility_power.m_as("W")


@pytest.mark.parametrize("path", ["compute.deployments[1].racks", "compute.deployments[7].accelerators",
                                  "compute.deployments[-1].racks", "compute.deployments[x].racks",
                                  "compute.deployments[0].system", "cooling.tcs_coolant", "load.levels"])
def test_an_override_of_no_input_is_a_key_error_naming_the_key_and_the_accepted_keys(default, path):
    """Counts pair with deployments by index: an index out of range raised a bare IndexError (or silently
    replaced the last deployment's count for -1); now a KeyError with the path and what is accepted."""
    assert len(default.compute.deployments) == 1
    with pytest.raises(KeyError) as info:
        compile_inputs(default, {path: np.array([1.0, 2.0])})
    text = str(info.value)
    assert repr(path) in text and "0 <= i < 1" in text and "cooling.<tcs_supply|" in text and "load.level" in text


@pytest.mark.parametrize("module, name", [
    ("facility.cooling", "plate_flow"), ("facility.cooling", "design_liquid_side"), ("facility.cooling", "air_spec"),
    ("facility.cooling", "coupling_cooling_power"), ("facility.house", "house_loads"),
    ("facility.house", "house_load"), ("facility.loops", "loop_components"),
])
def test_internal_sizing_functions_require_the_inputs(module, name):
    """An internal caller that forgets the inputs must fail, not silently size the first point of a batch (the
    scenario holds one point's numbers): ``inputs`` has no default below the public entry points."""
    import importlib
    import inspect

    param = inspect.signature(getattr(importlib.import_module(module), name)).parameters["inputs"]
    assert param.default is inspect.Parameter.empty


@pytest.mark.parametrize("module, name", [("facility.campus", "design_campus"), ("facility.plan", "it_load"),
                                          ("facility.cooling", "design_cooling")])
def test_public_entry_points_compile_the_inputs_of_one_scenario(default, module, name):
    """The public entry points a library user calls with one scenario keep ``inputs=None`` (compiled there)."""
    import importlib
    import inspect

    assert inspect.signature(getattr(importlib.import_module(module), name)).parameters["inputs"].default is None
    assert design_campus(default, it_load(default)).inputs == compile_inputs(default)
