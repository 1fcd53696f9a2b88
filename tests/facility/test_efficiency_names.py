"""Issue #13 item 12: names that say what they mean. ``end_to_end_efficiency`` divides by the whole grid import
(cooling and house loads included); the electrical chain's efficiency (grid to chips, IT branch only) and the
mechanical branch's share of the grid are reported separately."""

import pytest

import facility
from facility import Q_, Scenario, design_power_chain, it_load


def _doc(arch="ac-480v"):
    s = Scenario(name="t", site={"weather": "tampa", "grid_voltage": "161 kV"},
                 compute={"deployments": [{"system": "h100-lc-64", "accelerators": 20_000}]},
                 power={"architecture": arch})
    return facility.to_json(facility.run(s, year=False))


def test_end_to_end_is_the_chain_efficiency_times_the_it_share_of_grid():
    doc = _doc()
    chain, share, e2e = doc["electrical_chain_efficiency"], doc["mechanical_share_of_grid"], doc["end_to_end_efficiency"]
    assert e2e == pytest.approx(chain * (1 - share), rel=1e-6)
    # the cooling plant and house loads draw a real share: end-to-end is not the chain's efficiency
    assert 0.03 < share < 0.5 and e2e < chain - 0.02


def test_chain_efficiency_is_the_product_of_the_stage_efficiencies_grid_to_chips():
    s = Scenario(name="t", site={"weather": "tampa", "grid_voltage": "161 kV"},
                 compute={"deployments": [{"system": "h100-lc-64", "accelerators": 20_000}], "overheads": []},
                 power={"architecture": "ac-480v"})
    d = design_power_chain(s, it_load(s), mechanical_power=Q_(8, "MW"))
    chain = (d.delivered_to_chips / d.grid_import_it).m_as("")
    prod = 1.0
    for st in d.stages:
        if st.zone in ("trunk", "it", "rack"):
            prod *= st.efficiency
    # a series chain: chips / IT-branch grid import is the product of the stage efficiencies (the trunk's losses
    # shared pro rata), whatever the mechanical load; the whole-grid ratio is not
    assert chain == pytest.approx(prod, rel=1e-9)
    assert (d.delivered_to_chips / d.grid_import).m_as("") < prod - 0.05
