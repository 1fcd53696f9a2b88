"""Capital cost of the campus: a small equipment list priced by hand, the supply options, the command."""

import json

import pytest

from facility.capex import campus_capex, load_equipment_costs
from facility.cli import main
from facility.supply import annuity

# two 100 MVA transformers, three busway runs, a PSU (IT scope), four 1.5 MW air-cooled chillers, 100 kW of pumps
SMALL = {
    "it_power_mw": 10.0, "annual_energy_mwh": 100_000.0, "it_energy_mwh": 80_000.0, "water_annual_m3": 50_000.0,
    "equipment": [
        {"kind": "transformer", "model": "hv-mv-transformer-100mva", "count": 2, "rating": "100000 kVA",
         "stages": ["hv-transformer"]},
        {"kind": "conductor", "model": "busway-800a", "count": 3, "rating": "800 A", "stages": ["busway"]},
        {"kind": "converter", "model": "psu-orv3-5500w", "count": 100, "rating": "5.5 kW", "stages": ["power-shelf"]},
    ],
    "cooling": {"equipment": [{"kind": "chiller", "model": "chiller-air-cooled", "serves": "FW", "units_installed": 4,
                               "unit_capacity_kw": 1500.0}],
                "loops": [{"pump_power_kw": 60.0}], "heat_rejection": [{"condenser_pump_power_kw": 40.0}]},
}


def test_small_equipment_list_equals_the_hand_computed_capital_and_annual_cost():
    # by hand, costs.toml: 45 USD/kVA (40 y), 30,000 USD per busway run (30 y), 200 USD/kW chiller (20 y),
    # 400 USD/kW pumps (20 y); PSUs are IT hardware; 7 % real; grid 80 USD/MWh; water 3 USD/m3
    doc = campus_capex(SMALL)
    capex = 2 * 100_000 * 45 + 3 * 30_000 + 4 * 1500 * 200 + 100 * 400
    assert capex == 10_330_000
    assert doc["capex_usd"] == pytest.approx(capex)
    assert doc["capex_usd_per_mw_it"] == pytest.approx(capex / 10)
    ann = (9_000_000 * annuity(0.07, 40) + 90_000 * annuity(0.07, 30) + 1_200_000 * annuity(0.07, 20)
           + 40_000 * annuity(0.07, 20))
    assert doc["annualised_capex_usd_per_year"] == pytest.approx(ann, abs=0.05)  # items rounded to cents
    assert doc["energy_cost_usd_per_year"] == pytest.approx(100_000 * 80)
    assert doc["water_cost_usd_per_year"] == pytest.approx(50_000 * 3)
    assert doc["cost_usd_per_mwh"] == pytest.approx((ann + 8_000_000 + 150_000) / 80_000, rel=1e-6)
    assert [e["model"] for e in doc["excluded_it_scope"]] == ["psu-orv3-5500w"]
    assert doc["unpriced"] == []
    assert doc["lead_time_weeks_max"] == 120  # large power transformers (Wood Mackenzie 2024)


def test_supply_options_are_priced_from_their_catalog_costs_and_their_energy_is_not_counted_twice():
    supply = {"discount_rate": 0.07, "annualised_over_hours": 1.0, "total_cost_usd": 5_000_000.0,
              "cost_usd": {"capital_and_fixed_om_usd": 3_000_000.0},
              "turbines": [{"kind": "gas-turbine", "model": "titan-130", "units": 2, "unit_rating_mw": 15.0,
                            "capacity_mw": 30.0}],
              "battery": {"model": "bess-lfp-4h", "power_mw": 10.0, "energy_mwh": 40.0},
              "solar": {"model": "pv-single-axis", "capacity_mw": 20.0}}
    doc = campus_capex(SMALL, supply)
    # 1,600 USD/kW x 30 MW; 300 USD/kW x 10 MW + 300 USD/kWh x 40 MWh; 1,400 USD/kW x 20 MW
    assert doc["capex_supply_usd"] == pytest.approx(48e6 + 3e6 + 12e6 + 28e6)
    assert doc["capex_usd"] == pytest.approx(10_330_000 + 91e6)
    # fixed O&M: 20 USD/kW/yr x 30 MW + 37 x 10 MW + 22 x 20 MW
    assert doc["fixed_om_usd_per_year"] == pytest.approx(600_000 + 370_000 + 440_000)
    # the supply's energy: its costs without its own capital and fixed O&M (counted above)
    assert doc["energy_cost_usd_per_year"] == pytest.approx(2_000_000)


def test_every_priced_catalog_model_has_a_source_and_every_lead_time_a_source():
    costs = load_equipment_costs()
    priced = {m: e for m, e in costs.items() if e["scope"] == "facility"}
    assert len(priced) >= 15
    for e in priced.values():
        assert e["source"]["unit_cost"] and e["source"]["lifetime"]
        assert e["lead_time"] is None or e["source"]["lead_time"]


def test_cost_command_prices_every_item_of_a_bundled_campus_and_its_supply(capsys):
    assert main(["cost", "scenarios/colossus-supply.toml", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["unpriced"] == []
    assert doc["capex_usd"] == pytest.approx(sum(i["capex_usd"] for i in doc["items"]), rel=1e-9)
    assert doc["capex_supply_usd"] > 0 and doc["cost_usd_per_mwh"] > 0
    assert doc["units"]["cost_usd_per_mwh"] == "USD per MWh of IT energy"
