"""A/B feeds and in-rack redundancy (issue #13 item 7, electrical): losing one feed must not drop racks."""

import pytest

from facility import Q_, Scenario, design_power_chain, it_load
from facility.architectures import architecture_stages, architectures
from facility.rack_power import ab_feed_warnings, rack_power


def _scenario(system="gb200-nvl72", arch="ac-480v", stages=None):
    return Scenario(name="t", site={"weather": "tampa", "grid_voltage": "161 kV"},
                    compute={"deployments": [{"system": system, "racks": 10}], "overheads": []},
                    power={"architecture": arch, "stages": stages or {}})


@pytest.mark.parametrize("arch", sorted(architectures()))
def test_every_bundled_dual_fed_rack_survives_the_loss_of_a_feed(arch):
    stages, _, _ = architecture_stages(arch)
    assert [s for s in stages if s.zone == "it"][-1].redundancy == "2N"  # A/B busways
    assert ab_feed_warnings(_scenario(arch=arch)) == []
    d = design_power_chain(_scenario(arch=arch), it_load(_scenario(arch=arch)), Q_(0, "W"))
    first = next(st for st in d.stages if st.zone == "rack" and st.kind == "converter")
    assert first.loading_normal <= 0.5  # each feed's half carries the rack at <= 100 %
    assert first.loading_failed <= 1.0 and not first.overload_on_failure


def test_gb200_nvl72_power_shelves_match_the_vendor_complement():
    # 8 power shelves x 6 PSUs x 5.5 kW = 264 kW installed, N+N for a 132 kW rack (Supermicro / Vertiv GB200 NVL72
    # reference designs, 2024): 48 PSUs, each at <= 50 % at design
    r = rack_power(_scenario(), "gb200-nvl72")
    shelf = r.stages[0]
    assert shelf.redundancy.units_installed == 2 * shelf.redundancy.units_required
    assert 44 <= shelf.redundancy.units_installed <= 48
    assert shelf.redundancy.units_installed * 5.5e3 / 2 >= r.input  # each feed's half carries the whole rack


def test_n_plus_1_shelves_on_a_b_feeds_are_warned():
    s = _scenario(stages={"power-shelf": {"redundancy": "N+1"}})
    w = ab_feed_warnings(s)
    assert len(w) == 1 and "losing one feed" in w[0] and "2N" in w[0]
    d = design_power_chain(s, it_load(s), Q_(0, "W"))
    assert any("losing one feed" in x for x in d.warnings)
