"""The year at the design weather with every rack at its maximum is the design point (issue #12).

The design (:func:`facility.design_cooling`, :func:`facility.design_power_chain`) and the year
(:func:`facility.simulate.year_arrays`) operate the same compiled equipment with the same functions
(:func:`models.thermal.plant.operate_plant`, :func:`~models.thermal.plant.operate_loop`, the stage kernels of
:mod:`models.electrical`); so 8,760 hours at the design weather and full load reproduce every design figure.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import facility
from facility.simulate import year_arrays
from facility.weather import HOURS, load_weather
from models.registry import heat_rejection_model
from models.thermal.plant import WATER_DENSITY

from ..conftest import REPO

RTOL = 1e-9


def _design_weather(result):
    """A weather year of 8,760 copies of the design conditions: each plant's device sees the wet bulb it is
    sized at (the design wet bulb for towers, the coincident one otherwise)."""
    cond = result.cooling.conditions
    kinds = {p.economiser for p in result.cooling.plants if p.economiser}
    extreme = {heat_rejection_model(k).design_wet_bulb == "extreme" for k in kinds}
    assert len(extreme) <= 1, "one weather cannot hold two design wet bulbs"
    wb = cond.wet_bulb if extreme == {True} else cond.coincident_wet_bulb
    w = load_weather(result.scenario.weather_path)
    return replace(w, dry_bulb=np.full(HOURS, cond.dry_bulb.m_as("K")), wet_bulb=np.full(HOURS, wb.m_as("K")))


def _close(hourly, design, what):
    hourly = np.asarray(hourly, dtype=float)
    assert np.all(hourly == hourly.flat[0]), what  # every hour the same
    assert float(hourly.flat[0]) == pytest.approx(design, rel=RTOL, abs=1e-6), what


@pytest.mark.parametrize("name", ["default", "cortex", "meta-24k-h100-air", "gb200-ashburn-ac", "meta-24k-h100-iec",
                                  "default+ups-recharge"])
def test_year_at_design_weather_and_full_load_equals_the_design_point(name):
    s = facility.load_scenario(REPO / "scenarios" / f"{name.split('+')[0]}.toml")
    if name.endswith("+ups-recharge"):
        s = s.model_copy(update={"cooling": s.cooling.model_copy(update={"ups_recharge_at_design": True})})
    r = facility.run(s, year=False)
    year_of = r
    if r.scenario.cooling.ups_recharge_at_design:
        # the UPS recharge is a design-hour event the year does not carry: added back explicitly, as a house load
        assert r.ups_recharge.m_as("W") > 0
        year_of = replace(r, house_load=r.house_load + r.ups_recharge)
    y = year_arrays(year_of, np.ones(HOURS), _design_weather(r))
    # facility power and every stage loss
    _close(y.chain.grid_import, r.facility_power.m_as("W"), "facility power")
    multi = len({st.deployment for st in r.power.stages if st.zone == "rack"}) > 1
    for st in r.power.stages:
        key = st.id + (f":{st.deployment}" if multi and st.deployment else "")
        _close(y.chain.stage_loss[key], st.loss.m_as("W"), f"loss of {key}")
    # every loop's flow and pump power
    assert set(y.loops) == {lp.key for lp in r.cooling.loops}
    for lp in r.cooling.loops:
        op = y.loops[lp.key]
        _close(op.mass_flow, lp.mass_flow.m_as("kg/s"), f"{lp.key} mass flow")
        _close(op.volume_flow, lp.volume_flow.m_as("m^3/s"), f"{lp.key} volume flow")
        _close(op.pressure_drop, lp.pressure_drop.m_as("Pa"), f"{lp.key} pressure drop")
        _close(op.pump_power, lp.pump_power.m_as("W"), f"{lp.key} pump power")
    # every plant's fans, compressors, condenser pumps, water and heat
    assert set(y.plants) == {p.loop_key for p in r.cooling.plants}
    for p in r.cooling.plants:
        op = y.plants[p.loop_key]
        _close(op.fan_power, p.fan_power.m_as("W"), f"{p.loop_key} fans")
        _close(op.compressor_power, p.compressor_power.m_as("W"), f"{p.loop_key} compressors")
        _close(op.condenser_pump_power, p.condenser_pump_power.m_as("W"), f"{p.loop_key} condenser pumps")
        _close(op.water / WATER_DENSITY, p.water.m_as("m^3/s"), f"{p.loop_key} water")
        _close(op.heat_rejected, p.heat_rejected.m_as("W"), f"{p.loop_key} heat rejected")
        _close(op.economiser_share, p.free_cooling_fraction, f"{p.loop_key} economiser share")
    # the cooling totals
    c = r.cooling
    for k, design in (("pump_power", c.pump_power), ("crah_fan_power", c.crah_fan_power),
                      ("heat_rejection_fan_power", c.heat_rejection_fan_power),
                      ("compressor_power", c.compressor_power), ("cooling_power", c.cooling_power),
                      ("heat_rejected", c.heat_rejected), ("heat_in", c.heat_in)):
        _close(y.cooling[k], design.m_as("W"), k)
    _close(y.cooling["water"], c.water.m_as("m^3/s"), "water")


def test_heat_closes_every_hour_with_condenser_pumps():
    """Towers' condenser pumps add their work to the water the tower rejects: heat in = heat rejected every hour
    (the hourly heat in used to leave the condenser pumps out)."""
    r = facility.run(facility.load_scenario(REPO / "scenarios" / "cortex.toml"), year=False)
    y = year_arrays(r)
    assert np.all(y.plants["fw"].condenser_pump_power > 0)
    np.testing.assert_allclose(y.cooling["heat_in"], y.cooling["heat_rejected"], rtol=1e-12)
