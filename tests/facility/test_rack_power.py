"""facility.rack_power: rack power from the bottom up (issue #13 item 1): component loads -> rails -> rack input
through the in-rack stages. The default chain reproduces each system's published rack input; changing the in-rack
chain changes the grid demand, never the power at the components; the voltage regulator applies only to the rails
it feeds. A/B feeds and in-rack redundancy (issue #13 item 7): losing one feed must not drop racks."""

import pytest

from facility import Q_, Scenario, design_power_chain, it_load
from facility.architectures import architecture_stages, architectures
from facility.rack_power import ab_feed_warnings, rack_power


def _scenario(system, arch="ac-480v", catalog=None, stages=None):
    return Scenario(name="t", site={"weather": "tampa", "grid_voltage": "161 kV"},
                    compute={"deployments": [{"system": system, "racks": 1}], "overheads": []},
                    power={"architecture": arch, "stages": stages or {}}, catalog=catalog or {})


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


# ------------------------------------------------------------------------------------------ A/B feeds
def _dual_fed(system="gb200-nvl72", arch="ac-480v", stages=None):
    return Scenario(name="t", site={"weather": "tampa", "grid_voltage": "161 kV"},
                    compute={"deployments": [{"system": system, "racks": 10}], "overheads": []},
                    power={"architecture": arch, "stages": stages or {}})


@pytest.mark.parametrize("arch", sorted(architectures()))
def test_every_bundled_dual_fed_rack_survives_the_loss_of_a_feed(arch):
    stages, _, _ = architecture_stages(arch)
    assert [s for s in stages if s.zone == "it"][-1].redundancy == "2N"  # A/B busways
    assert ab_feed_warnings(_dual_fed(arch=arch)) == []
    d = design_power_chain(_dual_fed(arch=arch), it_load(_dual_fed(arch=arch)), Q_(0, "W"))
    first = next(st for st in d.stages if st.zone == "rack" and st.kind == "converter")
    assert first.loading_normal <= 0.5  # each feed's half carries the rack at <= 100 %
    assert first.loading_failed <= 1.0 and not first.overload_on_failure


def test_gb200_nvl72_power_shelves_match_the_vendor_complement():
    # 8 power shelves x 6 PSUs x 5.5 kW = 264 kW installed, N+N for a 132 kW rack (Supermicro / Vertiv GB200 NVL72
    # reference designs, 2024): 48 PSUs, each at <= 50 % at design
    r = rack_power(_dual_fed(), "gb200-nvl72")
    shelf = r.stages[0]
    assert shelf.redundancy.units_installed == 2 * shelf.redundancy.units_required
    assert 44 <= shelf.redundancy.units_installed <= 48
    assert shelf.redundancy.units_installed * 5.5e3 / 2 >= r.input  # each feed's half carries the whole rack


def test_n_plus_1_shelves_on_a_b_feeds_are_warned():
    s = _dual_fed(stages={"power-shelf": {"redundancy": "N+1"}})
    w = ab_feed_warnings(s)
    assert len(w) == 1 and "losing one feed" in w[0] and "2N" in w[0]
    d = design_power_chain(s, it_load(s), Q_(0, "W"))
    assert any("losing one feed" in x for x in d.warnings)
