"""The component registry: a kind is data (its kernels and attributes), and a new kind runs end to end."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from facility import Catalog, Scenario, run
from facility.simulate import year_arrays
from models.registry import (
    HEAT_REJECTION,
    STAGES,
    HeatRejectionModel,
    StageModel,
    heat_rejection_model,
    leaving_temperature,
    register_heat_rejection,
    register_stage,
    stage_model,
)

#: Deep-water intake of the test device [K]: 12 degC all year (a made-up heat sink for the test).
SEA = 285.15


def seawater_leaving(t_db, t_wb, t_supply, p):
    """Test kernel: a sea-water heat exchanger delivers the intake temperature plus its approach, any weather."""
    return SEA + p["approach"] + 0.0 * np.asarray(t_db, dtype=float), False


@pytest.fixture
def seawater():
    model = register_heat_rejection(HeatRejectionModel(
        "seawater", seawater_leaving, None, "seawater-hx", ("capacity", "approach", "fan_power_ratio")))
    yield model
    HEAT_REJECTION.pop("seawater")


def test_a_heat_rejection_kind_defined_here_runs_end_to_end(seawater):
    """One kernel + one registry entry + one catalog entry: the design and the year use it, nothing else changes."""
    s = Scenario(name="sea", site={"weather": "tampa-fl", "grid_voltage": "230 kV"},
                 compute={"deployments": [{"system": "gb200-nvl72", "racks": 20}]},
                 cooling={"heat_rejection": {"economiser": "seawater", "trim": "chiller"},
                          "air_heat_rejection": {"economiser": "seawater", "trim": "chiller"}},
                 catalog={"seawater-hx": {"kind": "seawater", "capacity": "2 MW", "approach": "3 K",
                                          "fan_power_ratio": 0.005}})
    r = run(s, year=False)
    fw = r.cooling.plant("fw")
    assert fw.economiser == "seawater"
    assert fw.economiser_leaving.m_as("K") == pytest.approx(SEA + 3.0)
    assert fw.free_cooling_fraction == 1.0 and fw.compressor_power.m_as("W") == 0.0  # 15 degC water: no chiller
    # pumps of the sea loop: 0.5 % of the heat at design
    assert fw.fan_power.m_as("W") == pytest.approx(0.005 * fw.heat_rejected.m_as("W"), rel=1e-12)
    assert any(e.kind == "seawater" and e.model == "seawater-hx" for e in r.cooling.equipment)
    assert r.cooling.heat_in.m_as("W") == pytest.approx(r.cooling.heat_rejected.m_as("W"), rel=1e-12)
    y = year_arrays(r)  # the year, hot Tampa summer included, still free-cools on 15 degC water
    assert not y.cooling["chiller_on"].any()
    np.testing.assert_allclose(y.cooling["heat_in"], y.cooling["heat_rejected"], rtol=1e-12)


def test_a_plant_naming_an_unregistered_kind_is_refused_with_the_known_kinds():
    from facility.errors import ScenarioError

    with pytest.raises(ScenarioError, match=r"seawater.*expected one of dry-cooler, adiabatic, cooling-tower"):
        Scenario(name="t", site={"weather": "tampa-fl", "grid_voltage": "230 kV"},
                 compute={"deployments": [{"system": "gb200-nvl72", "racks": 2}]},
                 cooling={"heat_rejection": {"economiser": "seawater", "trim": "chiller"}})


def test_a_stage_kind_defined_here_sizes_a_power_stage():
    """A stage kind whose loss is a fixed 1 % of its rating per unit in service (kernel + registry entry)."""

    def flat(p, n, installed, pf, v_out, system):
        return (0.01 * p["rating"] * n, 0.0 * n, 0.0 * n), 0.0 * n

    register_stage(StageModel("flat-converter", flat, ("rating",), "rating", "W", "real"))
    try:
        s = Scenario(name="t", site={"weather": "tampa-fl", "grid_voltage": "230 kV"},
                     compute={"deployments": [{"system": "gb200-nvl72", "racks": 20}]})
        # the catalog's UPS entry as the new kind (a scenario file would name a catalog entry of that kind)
        ups = "ups-double-conversion-1250kw"
        s._catalog = Catalog({**s.hardware.entries, ups: replace(s.hardware[ups], kind="flat-converter")})
        r = run(s, year=False)
        st = [x for x in r.power.stages if x.equipment == ups]
        assert st, "the architecture has a UPS stage"
        for x in st:
            assert x.kind == "flat-converter"
            assert x.loss.m_as("W") == pytest.approx(0.01 * 1.25e6 * x.units_in_service, rel=1e-12)
        p = r.power  # energy still closes
        total = (p.delivered_to_chips + p.delivered_to_overhead_it + p.in_rack_loss + p.electrical_loss
                 + p.mechanical_power)
        assert p.grid_import.m_as("W") == pytest.approx(total.m_as("W"), rel=1e-12)
    finally:
        STAGES.pop("flat-converter")


def test_kinds_carry_their_attributes_as_data():
    assert heat_rejection_model("cooling-tower").design_wet_bulb == "extreme"
    assert heat_rejection_model("cooling-tower").condenser_water
    assert heat_rejection_model("dry-cooler").water is None
    assert not stage_model("transformer").indoors and stage_model("converter").indoors
    with pytest.raises(KeyError, match="expected one of dry-cooler"):
        heat_rejection_model("lake")


def test_coldest_leaving_temperatures():
    """Dry cooler: dry bulb + approach; tower: wet bulb + approach; adiabatic: pads on (ASHRAE Applications
    Ch. 53: T = T_db - eps (T_db - T_wb)) + approach: 35 - 0.85 * 12 + 5 = 29.8 degC."""
    db, wb = 308.15, 296.15
    assert leaving_temperature("dry-cooler", db, wb, 5.0) == pytest.approx(313.15)
    assert leaving_temperature("cooling-tower", db, wb, 4.0) == pytest.approx(300.15)
    assert leaving_temperature("adiabatic", db, wb, 5.0, 0.85) == pytest.approx(302.95)


def test_devices_cannot_beat_their_ambient():
    db, wb = 308.15, 297.15
    assert leaving_temperature("dry-cooler", db, wb, 5.0) == db + 5.0  # never below dry bulb + approach
    assert leaving_temperature("cooling-tower", db, wb, 4.0) == wb + 4.0  # never below wet bulb + approach
    adiabatic = leaving_temperature("adiabatic", db, wb, 5.0, 0.85)
    assert wb + 5.0 < adiabatic < db + 5.0
