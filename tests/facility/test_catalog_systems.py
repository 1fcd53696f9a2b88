"""Catalog systems planners ask for (issue #13 item 13), with their vendors' figures and sources."""

import pytest

from facility import Scenario, ScenarioError
from facility.catalog import load_catalog

CAT = load_catalog()


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
