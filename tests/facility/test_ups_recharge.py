"""UPS battery recharge at the design hour (issue #13 item 10): the charger at its current limit, a share of the
load of the chain's UPS stages, carried by the facility power at design only when the scenario asks for it."""

from __future__ import annotations

import math

import pytest

import facility
from facility.house import UPS_RECHARGE, UPS_STAGE
from facility.scenario import Scenario

from ..conftest import REPO


def _scenario(arch="ac-480v", **cooling):
    return Scenario(name="t", site={"weather": "sterling-va", "grid_voltage": "230 kV"},
                    compute={"deployments": [{"system": "gb200-nvl72", "racks": 100}]},
                    power={"architecture": arch}, cooling=cooling)


def test_charger_fraction_is_the_eaton_9395p_input_rating():
    """Eaton 9395P-1200 manual, Table 8 (480 V, 675 kW unit): 1,002 A of input (full load + recharge, pf >= 0.98)
    against the 675 kW load at ~96 % efficiency."""
    f = facility.load_catalog().si(UPS_RECHARGE)["charger_fraction"]
    recharge = math.sqrt(3) * 480 * 1002 * 0.98 - 675e3 / 0.96
    assert f == pytest.approx(recharge / 675e3, abs=0.005)


def test_recharge_is_the_charger_share_of_the_ups_load_and_not_carried_by_default():
    r = facility.run(facility.load_scenario(REPO / "scenarios" / "default.toml"), year=False)
    ups = sum(st.power_out.m_as("W") for st in r.power.stages if st.id == UPS_STAGE)
    f = r.scenario.hardware.si(UPS_RECHARGE)["charger_fraction"]
    assert ups > 0.9 * r.load.it_power.m_as("W")  # the UPS carries the IT branch
    assert r.ups_recharge.m_as("W") == pytest.approx(f * ups, rel=1e-12)
    doc = facility.to_json(r)
    assert doc["ups_recharge_mw"] == pytest.approx(f * ups / 1e6, abs=1e-6) and doc["ups_recharge_at_design"] is False
    p = r.power  # default: energy closes without it
    total = (p.delivered_to_chips + p.delivered_to_overhead_it + p.in_rack_loss + p.electrical_loss
             + r.cooling.cooling_power + r.house_load)
    assert p.grid_import.m_as("W") == pytest.approx(total.m_as("W"), abs=2.0)


def test_switched_on_the_design_carries_the_recharge_through_the_chain():
    off = facility.run(_scenario(), year=False)
    on = facility.run(_scenario(ups_recharge_at_design=True), year=False)
    rech = on.ups_recharge.m_as("W")
    assert rech == pytest.approx(off.ups_recharge.m_as("W"), rel=1e-12) and rech > 0
    p = on.power  # energy closes with it
    total = (p.delivered_to_chips + p.delivered_to_overhead_it + p.in_rack_loss + p.electrical_loss
             + on.cooling.cooling_power + on.house_load).m_as("W") + rech
    assert p.grid_import.m_as("W") == pytest.approx(total, abs=2.0)
    # the grid supplies the recharge plus the losses it causes upstream (a few percent at most)
    extra = on.facility_power.m_as("W") - off.facility_power.m_as("W")
    assert rech < extra < 1.05 * rech


def test_no_ups_stage_no_recharge():
    r = facility.run(_scenario(arch="dc-800v", ups_recharge_at_design=True), year=False)
    assert not any(st.id == UPS_STAGE for st in r.power.stages)
    assert r.ups_recharge.m_as("W") == 0.0
    assert r.facility_power == facility.run(_scenario(arch="dc-800v"), year=False).facility_power
