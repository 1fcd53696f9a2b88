"""Turbine and engine heat rates and emissions against the published figures they come from."""

import numpy as np
import pytest

from facility.supply import load_supply_catalog
from facility.units import Q_
from models.supply.thermal import BTU_PER_KWH, emissions, fuel_curve, fuel_power, heat_rate

CAT = load_supply_catalog()


def _line(name):
    e = CAT[name]
    return (e.si("heat_rate_full", "Btu/kWh") * BTU_PER_KWH, e.si("heat_rate_part", "Btu/kWh") * BTU_PER_KWH,
            e.si("part_load_point", ""))


@pytest.mark.parametrize(("name", "published"), [("aeroderivative-50mw", 9124.0), ("recip-engine-18mw", 8295.0)])
def test_full_load_heat_rate_is_eia_aeo2023_table_3(name, published):
    # EIA, Assumptions to AEO2023, Table 3: aeroderivative CT 9,124 Btu/kWh; internal combustion engine 8,295
    hr1, hrx, x = _line(name)
    assert heat_rate(1.0, hr1, hrx, x) / BTU_PER_KWH == pytest.approx(published, rel=1e-12)


def test_part_load_heat_rate_is_reproduced_at_the_data_sheet_point():
    hr1, hrx, x = _line("titan-130")
    assert heat_rate(x, hr1, hrx, x) / BTU_PER_KWH == pytest.approx(13500.0, rel=1e-12)


def test_fuel_is_linear_in_output_with_a_no_load_term():
    hr1, hrx, x = _line("titan-130")
    a, b = fuel_curve(hr1, hrx, x)
    # hand: b = (10,200 - 0.5 x 13,500) / 0.5 = 6,900 Btu/kWh, a = 10,200 - 6,900 = 3,300 Btu/kWh
    assert b / BTU_PER_KWH == pytest.approx(6900.0) and a / BTU_PER_KWH == pytest.approx(3300.0)
    fuel = fuel_power(Q_(np.array([0.0, 7.5, 15.0]), "MW"), Q_(15, "MW"), a, b)
    assert np.allclose(np.diff(fuel.m_as("MW")), 7.5 * b)
    assert fuel[0].m_as("MW") == pytest.approx(15 * a)


def test_heat_rate_falls_as_load_rises():
    hr1, hrx, x = _line("recip-engine-18mw")
    rates = heat_rate(np.linspace(0.3, 1.0, 8), hr1, hrx, x)
    assert np.all(np.diff(rates) < 0)


def test_co2_per_mwh_is_heat_rate_times_the_epa_factor():
    # 40 CFR 98 Table C-1: 53.06 kg CO2/MMBtu; at 9,124 Btu/kWh: 9.124 MMBtu/MWh x 53.06 = 484.12 kg/MWh
    e = CAT["aeroderivative-50mw"]
    hr1, hrx, x = _line("aeroderivative-50mw")
    a, b = fuel_curve(hr1, hrx, x)
    fuel = fuel_power(Q_(1, "MW"), Q_(1, "MW"), a, b) * Q_(1, "h")
    co2 = emissions(fuel.to("J"), e.get("co2_factor"))
    assert co2.m_as("kg") == pytest.approx(9.124 * 53.06, rel=1e-9)


def test_nox_of_lean_premix_turbines_is_ap42_table_3_1_1():
    # AP-42 Table 3.1-1: 0.099 lb/MMBtu; at 9,124 Btu/kWh: 0.9033 lb/MWh
    e = CAT["aeroderivative-50mw"]
    nox = emissions(Q_(9.124, "MMBtu").to("J"), e.get("nox_factor"))
    assert nox.m_as("lb") == pytest.approx(9.124 * 0.099, rel=1e-9)


def test_engine_nox_is_ap42_table_3_2_2_uncontrolled_lean_burn():
    assert CAT["recip-engine-18mw"].get("nox_factor").m_as("lb/MMBtu") == pytest.approx(4.08)


@pytest.mark.parametrize(("hr1", "hrx", "x"), [(0.3, 0.25, 0.5), (0.3, 0.35, 1.2), (0.3, 0.35, 0.0)])
def test_a_heat_rate_line_that_does_not_rise_at_part_load_is_refused(hr1, hrx, x):
    with pytest.raises(ValueError):
        fuel_curve(hr1, hrx, x)
