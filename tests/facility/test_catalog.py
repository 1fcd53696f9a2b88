"""Catalog values against their published sources, and the composition rules."""

import pytest

from facility import Scenario
from facility.catalog import all_kinds, load_catalog
from facility.errors import ScenarioError

CAT = load_catalog()


def test_dgx_h100_maximum_is_10_2_kw():  # NVIDIA DGX H100 datasheet: ~10.2 kW max
    assert CAT.power_max("dgx-h100").m_as("kW") == pytest.approx(10.2)


def test_h100_sxm_is_700_w_and_989_tflops_dense():  # NVIDIA H100 datasheet: 700 W, 1,979 TFLOPS sparse BF16
    assert CAT.power_max("h100-sxm").m_as("W") == 700
    assert CAT.bf16_dense("h100-sxm").m_as("TFLOPS") == pytest.approx(1979 / 2, rel=1e-3)


def test_d1_is_400_w_and_362_tflops():  # Tesla AI Day 2021
    assert CAT.power_max("d1").m_as("W") == 400
    assert CAT.bf16_dense("d1").m_as("TFLOPS") == pytest.approx(362)


def test_dojo_tile_is_15_kw_with_25_d1():  # Tesla AI Day 2021
    assert CAT.power_max("dojo-training-tile").m_as("kW") == pytest.approx(15)
    assert CAT.accelerators_per("dojo-training-tile") == 25
    assert CAT.bf16_dense("dojo-training-tile").m_as("PFLOPS") == pytest.approx(9.05)  # "9 PFLOPS per tile"


def test_exapod_is_120_tiles_3000_d1_and_1_1_eflops():  # Tesla AI Day 2021
    assert CAT.accelerators_per("dojo-exapod") == 3000
    assert CAT.count_of("dojo-exapod", "module") == 120
    assert CAT.count_of("dojo-exapod", "rack") == 10
    assert CAT.bf16_dense("dojo-exapod").m_as("EFLOPS") == pytest.approx(1.086, rel=1e-3)


def test_gb200_nvl72_has_72_gpus_and_its_rack_power():
    assert CAT.accelerators_per("gb200-nvl72") == 72
    assert CAT.count_of("gb200-nvl72", "node") == 18
    assert CAT.power_max("gb200-nvl72").m_as("kW") == 132
    # NVIDIA: 180 PFLOPS dense BF16 per NVL72 (360 with sparsity)
    assert CAT.bf16_dense("gb200-nvl72").m_as("PFLOPS") == pytest.approx(180)


def test_colossus_rack_is_8_servers_of_8_gpus():  # ServeTheHome, Oct 2024
    assert CAT.accelerators_per("h100-lc-64") == 64
    assert CAT.power_max("h100-lc-64").m_as("kW") == pytest.approx(8 * 10.2)
    assert CAT.liquid_fraction("h100-lc-64") == pytest.approx(0.75)


def test_derived_power_is_count_times_contents_plus_extra():
    # GB200 compute tray: 4 x 1,200 W + 600 W Grace (superchip 2,700 W = 2 x 1,200 + 300)
    assert CAT.power_max("gb200-nvl72-compute-tray").m_as("W") == pytest.approx(5400)


def test_every_number_has_a_source():
    for name in CAT.names():
        for field, value in CAT[name].values.items():
            assert value.source.strip(), f"{name}.{field} has no source"


def test_every_entry_is_listed_with_key_figures():
    for name in CAT.names():
        d = CAT.describe(name)
        assert d["kind"] in all_kinds()  # the built-in kinds and those registered in models.registry
        assert d["sources"]
        if d["kind"] in ("accelerator", "module", "node", "rack", "pod"):
            assert d["power_max_kw"] >= d["power_typical_kw"] > 0


def test_override_replaces_a_field_and_keeps_the_rest():
    cat = CAT.with_overrides({"dgx-h100": {"power_max": "11 kW"}})
    assert cat.power_max("h100-air-16").m_as("kW") == pytest.approx(22)
    assert cat.power_max("dgx-h100").m_as("kW") == pytest.approx(11)
    assert "override" in cat["dgx-h100"].values["power_max"].source
    assert CAT.power_max("dgx-h100").m_as("kW") == pytest.approx(10.2)  # the bundled one is untouched


def test_new_rack_can_be_added():
    cat = CAT.with_overrides({"my-rack": {"kind": "rack", "contains": "dgx-b200", "count": 2}})
    assert cat.accelerators_per("my-rack") == 16
    assert cat.power_max("my-rack").m_as("kW") == pytest.approx(28.6)


@pytest.mark.parametrize("override, key, fragment", [
    ({"gb200-nvl72": {"power_max": "132 m"}}, "catalog.gb200-nvl72.power_max", "dimension"),
    ({"gb200-nvl72": {"liquid_fraction": 1.5}}, "catalog.gb200-nvl72.liquid_fraction", "from 0 to 1"),
    ({"gb200-nvl72": {"count": -1}}, "catalog.gb200-nvl72.count", "whole number"),
    ({"gb200-nvl72": {"powr_max": "1 kW"}}, "catalog.gb200-nvl72.powr_max", "did you mean 'power_max'"),
    ({"x": {"kind": "rack", "contains": "nope", "count": 2}}, "catalog.x.contains", "unknown entry"),
    ({"x": {"kind": "rack", "contains": "dgx-h100"}}, "catalog.x.count", "missing"),
    ({"x": {"kind": "gpu"}}, "catalog.x.kind", "expected one of"),
])
def test_bad_overrides_name_the_key(override, key, fragment):
    with pytest.raises(ScenarioError, match=fragment) as info:
        CAT.with_overrides(override, where="s.toml")
    assert info.value.key == key
    assert str(info.value).startswith("s.toml: ")


# ------------------------------------------------------------------------------------- systems planners ask for
# (issue #13 item 13), with their vendors' figures and sources
@pytest.mark.parametrize("name, watts", [
    ("h100-pcie", 350),    # NVIDIA H100 datasheet (2023), PCIe: 300-350 W
    ("mi325x", 1000),      # AMD Instinct MI325X data sheet (2024): 1,000 W TBP
    ("mi355x", 1400),      # AMD (June 2025): MI355X 1,400 W TBP
    ("b300", 1100),
])
def test_new_accelerators_carry_their_published_power(name, watts):
    assert CAT.power_max(name).m_as("W") == watts
    assert all(src.strip() for src in CAT.sources(name).values())


@pytest.mark.parametrize("rack", ["h100-pcie-air-32", "b300-air-32", "mi325x-air-16", "mi355x-lc-64",
                                  "vera-rubin-nvl144", "gb300-nvl72"])
def test_new_systems_are_deployable_and_sourced(rack):
    s = Scenario(name="t", site={"weather": "tampa", "grid_voltage": "161 kV"},
                 compute={"deployments": [{"system": rack, "racks": 2}], "overheads": []})
    for e in CAT.chain(rack):
        for field, src in CAT.sources(e.name).items():
            assert src.strip(), (e.name, field)
    assert s.hardware.accelerators_per(rack) > 0


def test_announced_systems_say_so():
    assert CAT.describe("vera-rubin-nvl144")["status"] == "announced"
    assert CAT.describe("rubin")["status"] == "announced"
    assert CAT.describe("gb200-nvl72")["status"] == "shipping"
    assert CAT.describe("gb200-nvl72-compute-tray")["component_loads_w"]["cpu_power"] == 600


def test_a_bad_status_is_refused_with_its_key():
    with pytest.raises(ScenarioError, match=r"catalog\.gb200-nvl72\.status"):
        Scenario(name="t", site={"weather": "tampa", "grid_voltage": "161 kV"},
                 compute={"deployments": [{"system": "gb200-nvl72", "racks": 1}]},
                 catalog={"gb200-nvl72": {"status": "rumoured"}})
