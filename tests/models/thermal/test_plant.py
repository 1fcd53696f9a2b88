"""models.thermal.plant: the plant and loop operation shared by the design point and the year."""

from __future__ import annotations

import math

import numpy as np
import pytest
from fluids.friction import friction_factor

from facility import load_catalog
from models.registry import heat_rejection_model
from models.thermal.chiller import eir_chiller
from models.thermal.plant import (
    CONDENSER_RANGE,
    PIPE_ROUGHNESS,
    LoopSpec,
    PlantSpec,
    operate_loop,
    operate_plant,
    plant_weather,
)

DRY = {"capacity": 1.5e6, "approach": 6.0, "fan_power_ratio": 0.02, "air_delta_t": 12.0}
ADIABATIC = {**DRY, "pad_effectiveness": 0.85}
TOWER = {"capacity": 5e6, "approach": 4.0, "fan_power_ratio": 0.0127, "cycles": 4.0, "drift_fraction": 1e-5,
         "liquid_gas_ratio": 1.2}
CAT = load_catalog()


def _plant(kind, params, water_cooled=False, size=None):
    return PlantSpec(device=heat_rejection_model(kind) if kind else None, params=params, device_size=size,
                     chiller=True, water_cooled=water_cooled, chiller_params=_chiller(water_cooled),
                     chiller_capacity=1.5e6, pump_efficiency=0.65)


def _chiller(water_cooled):
    p = dict(CAT.si("chiller-water-cooled" if water_cooled else "chiller-air-cooled"))
    p["capacity"] = 1.5e6
    return p


def test_loop_pipe_friction_matches_fluids_colebrook_and_components_scale_with_flow_squared():
    """Water at 30 degC (rho 995.6 kg/m3, mu 0.797 mPa s, cp 4,178 J/(kg K)), 10 K rise, 0.5 m steel pipe of
    600 m: Darcy-Weisbach with Swamee-Jain within 1.5 % of fluids' exact Colebrook (Clamond)."""
    rho, mu, cp, dt, d, length = 995.6, 0.797e-3, 4178.0, 10.0, 0.5, 600.0
    heat_design = 20e6
    v_design = heat_design / (cp * dt) / rho
    spec = LoopSpec(rho=rho, cp=cp, mu=mu, delta_t=dt, dp_components=100e3, flow_design=v_design, diameter=d,
                    pipe_length=length, pump_efficiency=0.65)
    for heat in (20e6, 10e6):
        op = operate_loop(spec, heat)
        v = heat / (cp * dt) / rho
        assert op.volume_flow == pytest.approx(v, rel=1e-12)
        vel = v / (math.pi * d * d / 4.0)
        f = friction_factor(Re=rho * vel * d / mu, eD=PIPE_ROUGHNESS / d)
        pipe = f * length / d * rho * vel**2 / 2.0
        components = 100e3 * (v / v_design) ** 2
        assert op.pressure_drop - components == pytest.approx(pipe, rel=0.015)
        assert op.pump_power == pytest.approx(v * op.pressure_drop / 0.65, rel=1e-12)
    assert operate_loop(spec, 0.0).pump_power == 0.0


def test_chillers_are_staged_and_run_at_their_part_load_power():
    """2.5 MW of chiller heat on 1.5 MW air-cooled chillers (available capacity at 35 degC air from CAPFT): two
    run at 1.25 MW each, each at the EIR model's power (condenser fans included); heat rejected = heat + work."""
    spec = _plant(None, {})
    t_sup, t_ret, t_db = 293.15, 303.15, 308.15
    op = operate_plant(spec, t_db, 295.0, t_sup, t_ret, 2.5e6)
    assert op.chillers_running == 2
    assert op.compressor_power == pytest.approx(2 * eir_chiller(1.25e6, t_sup, t_db, spec.chiller_params)[0],
                                                rel=1e-12)
    assert op.heat_rejected == pytest.approx(2.5e6 + op.compressor_power, rel=1e-12)
    assert op.chiller_on and op.economiser_share == 0.0


def test_adiabatic_pads_run_only_when_dry_operation_cannot_reach_the_supply():
    spec = _plant("adiabatic", ADIABATIC, size=3e6)
    t_sup, t_ret = 305.15, 315.15  # 32 -> 42 degC loop
    cool = operate_plant(spec, 293.15, 288.15, t_sup, t_ret, 3e6)  # 20 degC: 26 degC dry, below the supply
    assert not cool.wet and cool.water == 0.0 and cool.economiser_share == 1.0 and cool.compressor_power == 0.0
    hot = operate_plant(spec, 308.15, 297.15, t_sup, t_ret, 3e6)  # 35 degC dry bulb: 41 degC dry, pads needed
    assert hot.wet and hot.water > 0.0
    assert hot.leaving == pytest.approx(308.15 - 0.85 * 11.0 + 6.0)  # pads to 25.65 degC air, + approach
    # the pads reach the supply: the fans slow to the airflow the heat needs (air 2 K under the 42 degC return)
    x = (hot.device_heat / 3e6) * 12.0 / (315.15 - 2.0 - (308.15 - 0.85 * 11.0))
    assert hot.fan_power == pytest.approx(0.02 * 3e6 * x**3, rel=1e-12)
    # the pads' water: that airflow x cp x the wet-bulb depression achieved / h_fg
    assert hot.water == pytest.approx(x * 3e6 / (1006.0 * 12.0) * 1006.0 * 0.85 * 11.0 / 2.442e6, rel=1e-12)


def test_towers_reject_the_chillers_work_and_their_condenser_pumps_and_heat_closes():
    spec = _plant("cooling-tower", TOWER, water_cooled=True)
    t_sup, t_ret = 291.15, 299.15
    op = operate_plant(spec, 305.15, 297.15, t_sup, t_ret, 4e6)
    assert op.leaving == pytest.approx(297.15 + 4.0)
    assert op.device_heat == pytest.approx(4e6 + op.compressor_power + op.condenser_pump_power, rel=1e-12)
    assert op.heat_rejected == pytest.approx(op.device_heat, rel=1e-12)
    # condenser flow over the AHRI range; evaporation from the air's energy balance, plus drift and blowdown
    assert op.condenser_flow == pytest.approx((4e6 + op.compressor_power) / (4186.0 * CONDENSER_RANGE), rel=1e-12)
    assert op.water > 0.9 * op.device_heat / 2.442e6


def test_one_call_serves_a_batch_of_designs_over_hours_as_each_design_alone():
    """Design values (P,) as columns (P, 1) against hours (H,): each row equals that design operated alone."""
    sizes = np.array([2e6, 3e6])
    batch = _plant("dry-cooler", {k: np.array([v, v]) for k, v in DRY.items()}, size=sizes).columns()
    db = np.array([280.0, 295.0, 310.0])
    heat = np.array([[1e6, 2e6, 2e6], [3e6, 1e6, 2.5e6]])
    op = operate_plant(batch, db, db - 5, 300.0, 310.0, heat)
    for i in range(2):
        one = operate_plant(_plant("dry-cooler", DRY, size=sizes[i]), db, db - 5, 300.0, 310.0, heat[i])
        np.testing.assert_array_equal(op.compressor_power[i], one.compressor_power)
        np.testing.assert_array_equal(op.fan_power[i], one.fan_power)
        np.testing.assert_array_equal(op.economiser_share[i], one.economiser_share)


def test_air_side_devices_cool_the_hall_air_and_the_chiller_trims_the_chilled_water():
    """A hall supplied at 24 degC, returning at 36 degC. Indirect evaporative (wet-bulb effectiveness 0.7) at 30 degC
    dry / 20 degC wet bulb: dry it reaches 36 - 0.7 x 6 = 31.8 degC, so it wets: 36 - 0.7 x 16 = 24.8 degC, share
    (36 - 24.8)/12 = 0.933; the chiller trims the rest at the chilled-water supply (14 degC), the evaporation is the
    heat removed over h_fg x COC/(COC-1). Direct evaporative at the same air: 30 - 0.85 x 10 = 21.5 degC, all the
    heat, water for the depression used (30 -> 24 degC) on the hall's airflow. Heat closes in both."""
    iec = {"capacity": 5e5, "fan_power_ratio": 0.03, "wet_bulb_effectiveness": 0.7, "cycles": 4.0}
    dec = {"capacity": 5e5, "fan_power_ratio": 0.005, "pad_effectiveness": 0.85}
    t_sup, t_ret, q = 297.15, 309.15, 1e6
    for kind, params in (("indirect-evaporative", iec), ("direct-evaporative", dec)):
        spec = PlantSpec(device=heat_rejection_model(kind), params=params, device_size=q, chiller=True,
                         water_cooled=False, chiller_params=_chiller(False), chiller_capacity=1.5e6,
                         pump_efficiency=0.65, air_supply=t_sup, air_return=t_ret)
        op = operate_plant(spec, 303.15, 293.15, 287.15, 293.15, q)
        assert op.heat_rejected == pytest.approx(q + op.compressor_power, rel=1e-12)
        if kind == "indirect-evaporative":
            assert op.wet and op.leaving == pytest.approx(309.15 - 0.7 * 16.0, rel=1e-12)
            share = (309.15 - (309.15 - 0.7 * 16.0)) / 12.0
            assert op.economiser_share == pytest.approx(share, rel=1e-12)
            assert op.compressor_power == pytest.approx(
                eir_chiller((1 - share) * q, 287.15, 303.15, spec.chiller_params)[0], rel=1e-12)
            assert op.water == pytest.approx(share * q / 2.442e6 * 4.0 / 3.0, rel=1e-12)
        else:
            assert op.wet and op.economiser_share == 1.0 and op.compressor_power == 0.0
            m_air = q / (1006.0 * 12.0)
            assert op.water == pytest.approx(m_air * 1006.0 * 6.0 / 2.442e6, rel=1e-12)


@pytest.mark.parametrize("kind, params, water_cooled", [("dry-cooler", DRY, False), ("adiabatic", ADIABATIC, False),
                                                         ("cooling-tower", TOWER, True)])
def test_weather_terms_computed_once_and_electric_only_passes_give_the_same_powers(kind, params, water_cooled):
    """The year computes a plant's weather-only terms once (plant_weather) and runs its coupling passes for the
    electric powers only: bit for bit the figures of one full call."""
    spec = _plant(kind, params, water_cooled=water_cooled, size=4e6)
    db = np.array([275.0, 290.0, 300.0, 310.0])
    wb, heat = db - 6.0, np.array([1e6, 2.5e6, 3e6, 3.5e6])
    full = operate_plant(spec, db, wb, 291.0, 301.0, heat)
    wx = plant_weather(spec, db, wb, 291.0, 301.0)
    again = operate_plant(spec, db, wb, 291.0, 301.0, heat, wx)
    fast = operate_plant(spec, db, wb, 291.0, 301.0, heat, wx, electric_only=True)
    for name in ("compressor_power", "fan_power", "condenser_pump_power", "water", "heat_rejected", "chiller_on"):
        np.testing.assert_array_equal(getattr(again, name), getattr(full, name), err_msg=name)
    for name in ("compressor_power", "fan_power", "condenser_pump_power"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(full, name), err_msg=name)
    assert fast.water is None and fast.heat_rejected is None and fast.chiller_on is None
    assert np.any(full.compressor_power > 0) and np.any(full.economiser_share > 0)  # both parts of the plant run


def test_the_zero_fields_a_plant_shares_cannot_be_edited_in_place():
    # a dry cooler has no condenser water and uses no water: those fields are one shared array of zeros
    # over the hours; an edit in place through one field would change the others, so the array is read-only
    op = operate_plant(_plant("dry-cooler", DRY, size=3e6), np.array([290.0, 300.0]), np.array([285.0, 293.0]),
                       300.0, 310.0, np.array([1e6, 2e6]))
    assert op.condenser_flow is op.water and op.condenser_pump_power is op.water
    np.testing.assert_array_equal(op.water, [0.0, 0.0])
    with pytest.raises(ValueError, match="read-only"):
        op.water += 1.0


def test_a_loop_spec_holds_read_only_copies_and_its_terms_are_its_expressions():
    """LoopSpec.terms is computed once: the spec's arrays are its own read-only copies (an edit in place of the
    caller's array cannot leave the terms stale), and each term is the expression operate_loop used to write."""
    from models.thermal.plant import PIPE_ROUGHNESS, LoopSpec

    d = np.array([0.6, 1.1])
    spec = LoopSpec(rho=997.0, cp=4180.0, mu=8.9e-4, delta_t=6.0, dp_components=2.5e5, flow_design=np.array([3.5, 2.0]),
                    diameter=d, pipe_length=400.0, pump_efficiency=0.75)
    assert d.flags.writeable and spec.diameter is not d and not spec.diameter.flags.writeable
    with pytest.raises(ValueError):
        spec.diameter[0] = 0.25
    d[0] = 0.25  # the caller's own array: its edit does not reach the spec
    t = spec.terms
    assert spec.terms is t  # once
    np.testing.assert_array_equal(t.velocity, 4.0 / (math.pi * spec.diameter * spec.diameter))
    np.testing.assert_array_equal(t.reynolds, 997.0 * spec.diameter / 8.9e-4)
    np.testing.assert_array_equal(t.roughness, PIPE_ROUGHNESS / spec.diameter)
    np.testing.assert_array_equal(t.darcy, 400.0 / spec.diameter * 997.0 / 2.0)
    assert t.heat_per_flow == 4180.0 * 6.0 and t.shape.shape == (2,)
    columns = spec.columns()  # (P, 1) views of the read-only arrays: no copy, still read-only
    assert not columns.diameter.flags.writeable and columns.terms.shape.shape == (2, 1)
