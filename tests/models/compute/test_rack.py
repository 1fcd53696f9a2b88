"""Rack power from the bottom up (issue #13 item 1): component loads -> rails -> rack input through the in-rack
stages. The default chain reproduces each system's published rack input; changing the in-rack chain changes the
grid demand, never the power at the components; the voltage regulator applies only to the rails it feeds."""

import pytest

from facility import Q_, Scenario, design_power_chain, it_load
from facility.rack_power import rack_power
from models.compute.rack import rack_input_up, regulator_output, regulator_with_bypass
from models.electrical.converter import stage_loss, stage_output


def _scenario(system, arch="ac-480v", catalog=None, stages=None):
    return Scenario(name="t", site={"weather": "tampa", "grid_voltage": "161 kV"},
                    compute={"deployments": [{"system": system, "racks": 1}], "overheads": []},
                    power={"architecture": arch, "stages": stages or {}}, catalog=catalog or {})


# ------------------------------------------------------------------------------------------ kernels
def test_upward_walk_by_hand():
    # regulator 10 % on its 900 W output, 100 W of fans beside it, then a 2 % converter: 1,111.8 W at the input
    rows = rack_input_up(900.0, 100.0, [(0.0, 0.02, 0.0), (0.0, 0.1, 0.0)])
    assert rows[0] == pytest.approx((1090.0, 1111.8)) and rows[1] == pytest.approx((1000.0, 1090.0))


def test_regulator_with_bypass_walked_down_returns_the_loads_exactly():
    abc = (12.0, 0.04, 3e-6)
    reg, direct = 5600.0, 1800.0
    merged = regulator_with_bypass(abc, reg, direct)
    p_in = reg + stage_loss.kernel(reg, *abc) + direct
    assert stage_output.kernel(p_in, *merged) == pytest.approx(reg + direct, rel=1e-13)


def test_regulator_output_shares_the_loss_pro_rata():
    abc = (5.0, 0.08, 2e-5)
    p = regulator_output(7000.0, 700.0, abc)  # 8 x 875 W modules at their input, 700 W of CPUs at the output
    loss = stage_loss.kernel(p, *abc)
    assert (p - 700.0) * (1 + loss / p) == pytest.approx(7000.0, rel=1e-12)
    assert p + loss == pytest.approx(7000.0 + 700.0 * (1 + loss / p), rel=1e-12)


# ------------------------------------------------------------------------------------------ published figures
@pytest.mark.parametrize("system, published_kw, tol", [
    # NVIDIA DGX H100 datasheet (2023): ~10.2 kW max per system; 2 per rack
    ("h100-air-16", 2 * 10.2, 0.03),
    # NVIDIA DGX B200 datasheet / user guide (2024): ~14.3 kW max per system; 4 per rack
    ("b200-air-32", 4 * 14.3, 0.09),
    # NVIDIA/Vertiv/Supermicro GB200 NVL72 reference designs (2024): up to 132 kW (~120 kW in operation)
    ("gb200-nvl72", 132.0, 0.07),
    # Vertiv GB300 NVL72 reference design (2025): 142 kW
    ("gb300-nvl72", 142.0, 0.03),
    # NVIDIA DGX B300 (2025): ~14.5 kW per system; 4 per rack
    ("b300-air-32", 4 * 14.5, 0.05),
])
def test_default_chain_reproduces_the_published_rack_input(system, published_kw, tol):
    r = rack_power(_scenario(system), system)
    assert r.loads.itemised
    assert r.input / 1e3 == pytest.approx(published_kw, rel=tol)


def test_gb200_nvl72_lies_between_its_operating_and_maximum_published_power():
    # ~120 kW in operation (NVIDIA GTC 2024, ServeTheHome), 132 kW the reference designs' maximum
    r = rack_power(_scenario("gb200-nvl72"), "gb200-nvl72")
    assert 120e3 < r.input < 132e3


def test_dojo_tile_input_at_52_v_is_the_published_15_kw():
    r = rack_power(_scenario("dojo-cabinet", "ac-480v-tile"), "dojo-cabinet")
    tile = r.stages[-1]  # the tile regulator, 12 tiles per cabinet
    assert tile.power_in / 12 == pytest.approx(15e3, rel=0.002)  # Tesla AI Day 2021


# ------------------------------------------------------------------------------------------ the chain moves grid power
def test_a_better_power_shelf_lowers_the_grid_import_not_the_power_at_the_chips():
    base_s = _scenario("gb200-nvl72")
    better_s = _scenario("gb200-nvl72", catalog={"psu-orv3-5500w": {"efficiency_points": [
        [0.1, 0.960], [0.2, 0.975], [0.5, 0.985], [1.0, 0.982]]}})
    base = design_power_chain(base_s, it_load(base_s), Q_(0, "W"))
    better = design_power_chain(better_s, it_load(better_s), Q_(0, "W"))
    assert better.delivered_to_chips.m_as("W") == pytest.approx(base.delivered_to_chips.m_as("W"), rel=1e-12)
    assert better.it_power < base.it_power and better.grid_import < base.grid_import
    # about 0.7 % less rack input at the PSUs' ~49 % load (97.8 % -> 98.5 %)
    assert 1 - better.it_power / base.it_power == pytest.approx(0.007, abs=0.002)


def test_800v_dc_changes_the_rack_input_not_the_component_loads():
    ac = rack_power(_scenario("gb200-nvl72"), "gb200-nvl72")
    dc = rack_power(_scenario("gb200-nvl72", "dc-800v"), "gb200-nvl72")
    assert dc.delivered == pytest.approx(ac.delivered, rel=1e-12)
    assert dc.input != pytest.approx(ac.input, rel=1e-4)


def test_the_regulator_applies_to_the_rails_it_feeds_not_to_fans():
    s = _scenario("gb200-nvl72")
    fans = _scenario("gb200-nvl72", catalog={"gb200-nvl72": {"other_power": "1.4 kW"}})          # +1 kW beside
    cpus = _scenario("gb200-nvl72", catalog={"gb200-nvl72": {"switch_power": "4.6 kW"}})         # +1 kW behind
    base = rack_power(s, "gb200-nvl72").input
    d_fan = rack_power(fans, "gb200-nvl72").input - base
    d_cpu = rack_power(cpus, "gb200-nvl72").input - base
    # the 1 kW beside the regulator pays the IBC, busbar and shelves (~4 %); behind it the regulator's ~10 % too
    assert 1000 / 0.985 < d_fan < 1000 / 0.94  # (marginal losses of the IBC and the shelves)
    assert d_cpu / d_fan > 1.07


def test_the_rack_stage_table_closes_and_the_top_down_walk_is_its_inverse():
    s = _scenario("gb200-nvl72")
    d = design_power_chain(s, it_load(s), Q_(0, "W"))
    rack = [st for st in d.stages if st.zone == "rack"]
    assert rack[0].power_in.m_as("W") == pytest.approx(d.it_power.m_as("W"), rel=1e-12)
    at_design = d.evaluate(d.it_power)
    assert at_design["delivered_to_chips"] == pytest.approx(d.delivered_to_chips.m_as("W"), rel=1e-12)
    r = rack_power(s, "gb200-nvl72")
    assert d.delivered_to_chips.m_as("W") == pytest.approx(r.delivered, rel=1e-12)
    # what reaches the chips and their neighbours: the component loads, the accelerators through their regulator
    loads = r.loads
    assert loads.direct + loads.regulated_other < r.delivered < loads.total
