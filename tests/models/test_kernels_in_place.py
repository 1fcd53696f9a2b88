"""The year's hottest kernels (plant, chiller, cooler fans, pipe friction, converter stages), rewritten for speed
(in place, terms computed once per hour), give the numbers of their former forms bit for bit: the former forms are
kept here as the reference."""

from __future__ import annotations

import numpy as np
import pytest

from facility import load_catalog
from models.electrical.converter import stage_loss
from models.registry import heat_rejection_model
from models.thermal.chiller import eir_power, eir_terms, quadratic
from models.thermal.heat_rejection import COIL_AIR_APPROACH, FAN_MIN_SPEED, cooler_fan_speed, cooler_fan_terms
from models.thermal.hydraulics import friction_factor_swamee_jain
from models.thermal.plant import LoopSpec, PlantSpec, cube, operate_loop, operate_plant, plant_weather

RNG = np.random.default_rng(12)
CAT = load_catalog()


def _friction_before(re, relative_roughness):
    re = np.asarray(re, dtype=float)
    safe = np.maximum(re, 1e-12)
    turbulent = 0.25 / np.log10(np.asarray(relative_roughness) / 3.7 + 5.74 / safe**0.9) ** 2
    return np.where(re > 2300.0, turbulent, 64.0 / safe)


def _eir_power_before(load, q_avail, eir, p):
    q = np.asarray(load, dtype=float)
    plr = np.clip(q / q_avail, 0.0, 1.0)
    on = q > 0
    comp = q_avail * eir * quadratic(p["eirfplr"], np.maximum(plr, p["min_part_load"]))
    fans = p.get("condenser_fan_power_ratio", 0.0) * p["capacity"] * np.minimum(plr / p["min_part_load"], 1.0)
    return np.where(on, comp + fans, 0.0)


def _fan_speed_before(heat, t_air_in, t_return, size, air_delta_t, full):
    rise = np.asarray(t_return, dtype=float) - COIL_AIR_APPROACH - np.asarray(t_air_in, dtype=float)
    need = np.asarray(heat, dtype=float) * air_delta_t / (np.asarray(size, dtype=float) * np.maximum(rise, 1e-9))
    x = np.where(rise > 0, np.clip(need, FAN_MIN_SPEED, 1.0), 1.0)
    return np.where(np.asarray(heat) > 0, np.where(full, 1.0, x), 0.0)


@pytest.mark.parametrize("re", [RNG.uniform(3e3, 3e6, (2, 500)), RNG.uniform(0.0, 1e4, 300),
                                np.array([0.0, np.nan, 2300.0, 1e5]), 5e4, 100.0, [[1e4, 2e5]]])
@pytest.mark.parametrize("roughness", [3e-5, RNG.uniform(1e-6, 1e-3, (2, 1))])
def test_friction_factor_equals_its_former_form_laminar_turbulent_and_broadcast(re, roughness):
    new, old = friction_factor_swamee_jain(re, roughness), _friction_before(re, roughness)
    assert np.shape(new) == np.shape(old)
    np.testing.assert_array_equal(new, old)


@pytest.mark.parametrize("kind", ["chiller-air-cooled", "chiller-water-cooled"])
def test_eir_power_with_its_product_once_equals_its_former_form(kind):
    p = dict(CAT.si(kind))
    p["capacity"] = 1.5e6
    t_cond = RNG.uniform(285.0, 315.0, (2, 400))
    q_avail, eir = eir_terms(280.0, t_cond, p)
    load = np.concatenate([[0.0, -1.0, np.nan], RNG.uniform(0.0, 1.6e6, 397)])  # off, negative, NaN, part and over
    old = _eir_power_before(load, q_avail, eir, p)
    np.testing.assert_array_equal(eir_power(load, q_avail, eir, p), old)
    np.testing.assert_array_equal(eir_power(load, q_avail, eir, p, q_avail * eir), old)
    assert np.all(old[..., 3:] > 0.0)
    # a batch's loads (P, H) against one weather's terms (H,): written in place, the same numbers
    loads = np.stack([load, load[::-1]])
    np.testing.assert_array_equal(eir_power(loads, q_avail[0], eir[0], p, q_avail[0] * eir[0]),
                                  _eir_power_before(loads, q_avail[0], eir[0], p))


def test_cooler_fan_speed_with_its_terms_once_equals_its_former_form():
    heat = np.concatenate([[0.0, np.nan], RNG.uniform(0.0, 2e6, 598)])
    t_air = RNG.uniform(260.0, 320.0, 600)  # some hours the coil cannot cool (rise <= 0): full airflow
    full = RNG.uniform(size=600) < 0.3
    old = _fan_speed_before(heat, t_air, 308.0, 1.5e6, 12.0, full)
    np.testing.assert_array_equal(cooler_fan_speed(heat, t_air, 308.0, 1.5e6, 12.0, full), old)
    terms = cooler_fan_terms(t_air, 308.0, 1.5e6)
    np.testing.assert_array_equal(cooler_fan_speed(heat, None, None, 1.5e6, 12.0, full, terms=terms), old)
    assert {0.0, 1.0, FAN_MIN_SPEED} <= set(old[np.isfinite(old)].tolist())


def test_cooler_fan_speed_where_every_hour_cools_and_carries_heat_equals_its_former_form():
    # the picks skipped (every coil can cool, every hour carries heat), one design and a batch (P, H) on one weather
    heat = RNG.uniform(1e4, 2e6, 600)
    t_air = RNG.uniform(260.0, 300.0, 600)
    full = RNG.uniform(size=600) < 0.3
    terms = cooler_fan_terms(t_air, 308.0, 1.5e6)
    assert terms[1].all()
    for h, f in ((heat, full), (np.stack([heat, heat[::-1]]), np.stack([full, ~full]))):
        np.testing.assert_array_equal(cooler_fan_speed(h, None, None, 1.5e6, 12.0, f, terms=terms),
                                      _fan_speed_before(h, t_air, 308.0, 1.5e6, 12.0, f))


@pytest.mark.parametrize("kind", ["dry-cooler", "adiabatic", "cooling-tower"])
def test_a_plant_pass_with_its_weather_terms_once_gives_the_powers_of_its_full_operation(kind):
    params = {"dry-cooler": {"capacity": 1.5e6, "approach": 6.0, "fan_power_ratio": 0.02, "air_delta_t": 12.0},
              "adiabatic": {"capacity": 1.5e6, "approach": 6.0, "fan_power_ratio": 0.02, "air_delta_t": 12.0,
                                   "pad_effectiveness": 0.85},
              "cooling-tower": {"capacity": 5e6, "approach": 4.0, "fan_power_ratio": 0.0127, "cycles": 4.0,
                                "drift_fraction": 1e-5, "liquid_gas_ratio": 1.2}}[kind]
    chiller = dict(CAT.si("chiller-water-cooled"))
    chiller["capacity"] = 1.5e6
    spec = PlantSpec(device=heat_rejection_model(kind), params=params, device_size=12e6, chiller=True,
                     water_cooled=True, chiller_params=chiller, chiller_capacity=1.5e6, pump_efficiency=0.65)
    t_db = RNG.uniform(255.0, 310.0, 800)
    t_wb = t_db - RNG.uniform(0.0, 12.0, 800)
    heat = RNG.uniform(1e6, 10e6, 800)
    alone = operate_plant(spec, t_db, t_wb, 291.0, 301.0, heat)
    wx = plant_weather(spec, t_db, t_wb, 291.0, 301.0)
    for electric_only in (False, True):
        state = operate_plant(spec, t_db, t_wb, 291.0, 301.0, heat, wx, electric_only)
        for name in ("compressor_power", "fan_power", "condenser_pump_power", "fan_speed", "chillers_running"):
            np.testing.assert_array_equal(getattr(state, name), getattr(alone, name), err_msg=name)
    assert np.any(alone.chillers_running > 0) and np.any(alone.chillers_running == 0)


def _stage_loss_before(p_out, a, b, c):
    p = np.asarray(p_out, dtype=float)
    return a + b * p + c * p * p


@pytest.mark.parametrize("args", [
    (RNG.uniform(0, 5e8, (1, 8760)), RNG.uniform(0, 1e6, (1, 1)), 0.01, RNG.uniform(0, 1e-10, (1, 1))),
    (RNG.uniform(0, 5e8, (3, 100)), 1e5, RNG.uniform(0, 0.02, (3, 1)), 1e-10),
    (RNG.uniform(0, 5e8, 100), RNG.uniform(0, 1e6, (4, 1)), 0.01, 1e-10),  # coefficients broadcast the load up
    (3e8, 1e5, 0.01, 1e-10), (np.array([np.nan, 0.0, -1.0]), 1.0, 2.0, 3.0), ([[1e6, 2e6]], 1e5, 0.01, 1e-10)])
def test_stage_loss_in_place_equals_its_former_form(args):
    new, old = stage_loss.kernel(*args), _stage_loss_before(*args)
    assert np.shape(new) == np.shape(old)
    np.testing.assert_array_equal(new, old)


def _cube_before(x, x_design, p_design):
    x_design = np.asarray(x_design, dtype=float)
    safe = np.where(x_design > 0, x_design, 1.0)
    t = np.where(x_design > 0, np.asarray(x, dtype=float) / safe, 0.0)
    return p_design * (t * t * t)


@pytest.mark.parametrize("args", [
    (RNG.uniform(0, 9e7, (2, 8760)), RNG.uniform(1e7, 9e7, (2, 1)), RNG.uniform(1e5, 1e6, (2, 1))),
    (RNG.uniform(0, 9e7, (1, 100)), np.array([[0.0], [5e7]]), 2e5),  # nothing installed in one row: picked
    (RNG.uniform(0, 9e7, 100), RNG.uniform(1e7, 9e7, (3, 1)), 1e5),  # the design broadcasts the load up
    (4e7, 5e7, 1e5), (np.array([np.nan, 0.0, 1e6]), 1e6, 3.0)])
def test_cube_in_place_equals_its_former_form(args):
    new, old = cube(*args), _cube_before(*args)
    assert np.shape(new) == np.shape(old)
    np.testing.assert_array_equal(new, old)


def _loop_before(spec, heat):
    m = np.asarray(heat, dtype=float) / (spec.cp * spec.delta_t)
    v = m / spec.rho
    with np.errstate(divide="ignore", invalid="ignore"):
        x = v / spec.flow_design
        dp = spec.dp_components * (x * x)
        if spec.diameter is not None:
            d = spec.diameter
            velocity = v * (4.0 / (np.pi * d * d))
            f = _friction_before(velocity * (spec.rho * d / spec.mu), 45e-6 / d)
            dp = dp + f * (spec.pipe_length / d * spec.rho / 2.0) * (velocity * velocity)
    dp = np.where(v > 0, dp, 0.0)
    return m, v, dp, v * dp / spec.pump_efficiency


@pytest.mark.parametrize("diameter", [None, 0.9, np.array([[0.6], [1.1]])])
@pytest.mark.parametrize("heat", [RNG.uniform(1e6, 9e7, (2, 8760)), RNG.uniform(1e6, 9e7, 50),
                                  np.array([[0.0, 5e7, np.nan]]), 3e7])
def test_operate_loop_in_place_equals_its_former_form(diameter, heat):
    spec = LoopSpec(rho=np.array([[997.0], [1030.0]]), cp=4180.0, mu=8.9e-4, delta_t=np.array([[6.0], [10.0]]),
                    dp_components=2.5e5, flow_design=np.array([[3.5], [2.0]]), diameter=diameter, pipe_length=400.0,
                    pump_efficiency=0.75)
    state = operate_loop(spec, heat)
    for new, old in zip((state.mass_flow, state.volume_flow, state.pressure_drop, state.pump_power),
                        _loop_before(spec, heat), strict=True):
        assert np.shape(new) == np.shape(old)
        np.testing.assert_array_equal(new, old)


@pytest.mark.parametrize("kind", ["chiller-air-cooled", "chiller-water-cooled"])
def test_eir_power_of_a_batch_of_chiller_sizes_equals_its_former_form(kind):
    # a sweep's chunk: the chiller's capacity a column (P, 1), loads (P, H), off, negative and NaN hours included
    p = dict(CAT.si(kind))
    p["capacity"] = np.array([[1.0e6], [2.0e6], [1.5e6]])
    q_avail, eir = eir_terms(280.0, RNG.uniform(285.0, 315.0, (3, 500)), p)
    load = RNG.uniform(-1e5, 2.5e6, (3, 500))
    load[0, :2] = [np.nan, 0.0]
    np.testing.assert_array_equal(eir_power(load, q_avail, eir, p, q_avail * eir),
                                  _eir_power_before(load, q_avail, eir, p))
