"""Compute plan -> IT load: the arithmetic, checked by hand."""

import math

import pytest

from facility import Scenario, ScenarioError, it_load
from facility.rack_power import rack_power


def _rack(system, arch="ac-480v"):
    """Rack input [kW] of ``system`` from its component loads (#13 item 1; tests/models/compute/test_rack.py)."""
    s = Scenario(name="r", site={"weather": "tampa", "grid_voltage": "161 kV"},
                 compute={"deployments": [{"system": system, "racks": 1}]}, power={"architecture": arch})
    return rack_power(s, system).input / 1e3


def _scenario(*deployments, overheads=(), halls=None, catalog=None):
    compute = {"deployments": list(deployments), "overheads": list(overheads)}
    if halls:
        compute["halls"] = halls
    return Scenario(name="t", site={"weather": "tampa", "grid_voltage": "161 kV"}, compute=compute,
                    catalog=catalog or {})


def test_100k_h100_in_64_gpu_racks_is_1563_racks_in_4_halls():
    load = it_load(_scenario({"system": "h100-lc-64", "accelerators": 100_000}, halls={"count": 4}))
    assert load.compute_racks == 1563  # ceil(100,000 / 64)
    assert load.accelerators == 1563 * 64 == 100_032
    assert load.accelerators_requested == 100_000
    assert load.nodes == 1563 * 8
    assert load.halls == 4 and load.racks_per_hall == 391  # ceil(1563 / 4)
    assert load.it_power.m_as("MW") == pytest.approx(1563 * _rack("h100-lc-64") / 1e3)
    assert load.rack_density.m_as("kW") == pytest.approx(_rack("h100-lc-64"))
    assert 70 < load.rack_density.m_as("kW") < 81.6  # below 8 x the air-cooled DGX's 10.2 kW: fewer fans


def test_hall_capacity_in_racks_and_in_power():
    d = {"system": "h100-lc-64", "accelerators": 100_000}
    assert it_load(_scenario(d, halls={"racks_per_hall": 400})).halls == 4
    assert it_load(_scenario(d, halls={"racks_per_hall": 390})).halls == 5
    it = it_load(_scenario(d)).it_power.m_as("MW")  # ~115 MW: in halls just above a quarter of it, 4 halls
    assert it_load(_scenario(d, halls={"it_capacity": f"{it / 4 * 1.001} MW"})).halls == 4
    assert it_load(_scenario(d, halls={"it_capacity": f"{it / 4 * 0.999} MW"})).halls == 5
    assert it_load(_scenario(d)).halls == 1


def test_more_halls_than_racks_is_refused():
    with pytest.raises(ScenarioError, match=r"compute\.halls\.count"):
        it_load(_scenario({"system": "gb200-nvl72", "racks": 3}, halls={"count": 5}))


def test_100_eflops_of_dojo_is_over_276000_d1():
    load = it_load(_scenario({"system": "dojo-cabinet", "compute_target": "100 EFLOPS"}))
    assert load.accelerators_requested == math.ceil(100e18 / 362e12) == 276_244
    assert load.compute_racks == math.ceil(276_244 / 300) == 921
    assert load.accelerators == 921 * 300
    assert load.bf16_dense.m_as("EFLOPS") >= 100


def test_exact_compute_target_does_not_round_up():
    # 1 ExaPOD's worth: 3,000 x 362 TFLOPS = 1.086 EFLOPS -> exactly 3,000 D1, 10 cabinets
    load = it_load(_scenario({"system": "dojo-cabinet", "compute_target": "1.086 EFLOPS"}))
    assert load.accelerators_requested == 3000 and load.compute_racks == 10


def test_one_exapod_is_ten_cabinets_and_1_8_mw():
    load = it_load(_scenario({"system": "dojo-exapod", "pods": 1}))
    assert (load.accelerators, load.compute_racks, load.nodes) == (3000, 10, 20)
    # 120 tiles x 15 kW at 52 V, plus the rack power supplies' and busbar's losses above the tiles
    assert load.it_power.m_as("MW") == pytest.approx(10 * _rack("dojo-cabinet") / 1e3)
    assert 120 * 15e-3 < load.it_power.m_as("MW") < 120 * 15e-3 / 0.95


def test_counting_by_nodes_and_racks():
    by_nodes = it_load(_scenario({"system": "h100-air-16", "nodes": 3072}))  # Meta: 24,576 GPUs
    assert (by_nodes.accelerators, by_nodes.compute_racks) == (24_576, 1536)
    by_racks = it_load(_scenario({"system": "gb200-nvl72", "racks": 10}))
    assert by_racks.accelerators == 720
    assert by_racks.it_power.m_as("kW") == pytest.approx(10 * _rack("gb200-nvl72"))
    # typical keeps the published typical/maximum ratio (120 / 132 kW)
    assert by_racks.it_power_typical.m_as("kW") == pytest.approx(10 * _rack("gb200-nvl72") * 120 / 132)


def test_heat_split_closes_and_follows_liquid_fraction():
    load = it_load(_scenario({"system": "gb200-nvl72", "racks": 100}, {"system": "h100-air-16", "racks": 50},
                             overheads=["network", "storage"]))
    total = load.heat_to_liquid + load.heat_to_air
    assert total.m_as("W") == pytest.approx(load.it_power.m_as("W"), rel=1e-12)
    assert load.heat_to_liquid.m_as("kW") == pytest.approx(100 * _rack("gb200-nvl72") * 0.85)  # only the NVL72
    assert load.it_power_typical < load.it_power


def test_mixed_campus_adds_up_by_deployment():
    load = it_load(_scenario({"system": "h100-lc-64", "accelerators": 50_000},
                             {"system": "dojo-exapod", "pods": 2}))
    assert load.accelerators == 782 * 64 + 6000
    assert load.racks_by_type == {"h100-lc-64": 782, "dojo-cabinet": 20}
    assert load.it_power.m_as("MW") == pytest.approx(
        (782 * _rack("h100-lc-64") + 20 * _rack("dojo-cabinet")) / 1e3)


def test_overheads_scale_with_accelerators_and_fill_racks():
    load = it_load(_scenario({"system": "gb200-nvl72", "racks": 100}, overheads=["network"]))
    net = load.overheads[0]
    assert net.it_power.m_as("kW") == pytest.approx(7200 * 0.1)  # 100 W per GPU
    assert net.racks == math.ceil(720 / 20)
    assert load.overhead_racks == 36 and load.racks == 136


def test_catalog_override_changes_the_load():
    # a power_max given alone is the rack's nameplate input (the load before #13's component model)
    base = it_load(_scenario({"system": "gb200-nvl72", "racks": 10},
                             catalog={"gb200-nvl72": {"power_max": "132 kW"}}))
    more = it_load(_scenario({"system": "gb200-nvl72", "racks": 10},
                             catalog={"gb200-nvl72": {"power_max": "140 kW"}}))
    assert more.it_power.m_as("kW") - base.it_power.m_as("kW") == pytest.approx(80)
    assert base.it_power.m_as("kW") == pytest.approx(1320)


def test_a_component_override_moves_the_rack_input_through_the_chain():
    base = it_load(_scenario({"system": "gb200-nvl72", "racks": 10}))
    fans = it_load(_scenario({"system": "gb200-nvl72", "racks": 10},
                             catalog={"gb200-nvl72-compute-tray": {"fan_power": "340 W"}}))
    added = 10 * 18 * 100  # W of fans at the 12 V bus
    delta = fans.it_power.m_as("W") - base.it_power.m_as("W")
    # up through the IBC (~98 %), busbar and the N+N power shelves (~97.8 %), not through the core regulator
    assert added / 0.97 < delta < added / 0.94
