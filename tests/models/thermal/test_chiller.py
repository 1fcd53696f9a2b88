"""models.thermal.chiller: the EnergyPlus electric EIR chiller against the EnergyPlus Carrier 19XR reference point
and ASHRAE 90.1 at AHRI conditions."""

import numpy as np
import pytest

from models.thermal.chiller import biquadratic, eir_chiller, eir_power, eir_terms, envelope


def _catalog_chiller(name):
    from facility import load_catalog
    return load_catalog().si(name)


def test_water_cooled_chiller_reproduces_the_energyplus_carrier_19xr_curves_at_its_reference_point():
    """EnergyPlus Chillers.idf 'ElectricEIRChiller Carrier 19XR 1407kW/6.04COP/VSD' at its reference conditions
    (6.67 degC leaving chilled water, 29.44 degC entering condenser water): CAPFT and EIRFT evaluated by hand from
    the published coefficients (0.98624, 1.01607: the fit of the manufacturer's data is within 2 % of 1), the
    power at full load Q_ref CAPFT / COP_ref x EIRFT x EIRFPLR(1), and the COP within 2 % of the published 6.04."""
    p = _catalog_chiller("chiller-water-cooled")
    x, y = 6.67, 29.44
    capft = 1.042261 + 2.644821e-3 * x - 1.468026e-3 * x * x + 1.366256e-2 * y - 8.302334e-4 * y * y \
        + 1.573579e-3 * x * y
    eirft = 1.026340 - 1.612819e-2 * x - 1.092591e-3 * x * x - 1.784393e-2 * y + 7.961842e-4 * y * y \
        - 9.586049e-5 * x * y
    assert biquadratic(p["capft"], x, y) == pytest.approx(capft, rel=1e-12)
    assert capft == pytest.approx(0.98624, abs=5e-5) and eirft == pytest.approx(1.01607, abs=5e-5)
    q_avail = 1406.6e3 * capft
    power, cap = eir_chiller(q_avail, 273.15 + x, 273.15 + y, p)
    assert cap == pytest.approx(q_avail, rel=1e-12)
    assert power == pytest.approx(q_avail / 6.04 * eirft * (1.188880e-1 + 6.723542e-1 + 2.068754e-1), rel=1e-12)
    assert q_avail / power == pytest.approx(6.04, rel=0.02)


def test_air_cooled_chiller_with_its_condenser_fans_meets_ashrae_90_1_at_ahri_conditions():
    """ASHRAE 90.1-2019 Table 6.8.1-3 Path A, air-cooled >= 150 tons: EER 10.1 (COP 2.96) at AHRI 550/590
    (6.67 degC chilled water, 35 degC air), condenser fans included; the openstudio-standards 2010 Path A curves
    are normalised there (CAPFT 1.0002, EIRFT 0.9999)."""
    p = _catalog_chiller("chiller-air-cooled")
    _, cap = eir_chiller(0.0, 279.82, 308.15, p)
    power, _ = eir_chiller(cap, 279.82, 308.15, p)
    assert cap / power == pytest.approx(2.96, rel=0.01)
    fans = p["condenser_fan_power_ratio"] * p["capacity"]
    assert 0.05 < fans / power < 0.10  # the fans are in the power, ~7 % of it


def test_chiller_power_rises_with_lift_and_false_loads_below_its_minimum_part_load():
    p = _catalog_chiller("chiller-water-cooled")
    cond = np.array([288.15, 295.15, 302.15, 305.15])
    power, _ = eir_chiller(0.8e6, 279.82, cond, p)
    assert np.all(np.diff(power / 0.8e6) > 0)
    q_avail = eir_chiller(0.0, 279.82, 302.59, p)[1]
    low, _ = eir_chiller(0.05 * q_avail, 279.82, 302.59, p)
    at_min, _ = eir_chiller(0.2 * q_avail, 279.82, 302.59, p)
    assert low == pytest.approx(at_min, rel=1e-12)  # hot-gas bypass: no saving below the unloading ratio
    assert eir_chiller(0.0, 279.82, 302.59, p)[0] == 0.0


def test_chiller_envelope_names_the_limit_and_a_warm_supply_is_served_by_a_side_stream():
    p = _catalog_chiller("chiller-water-cooled")
    assert "lift limit" in envelope(279.82, 273.15 + 36.0, p)  # above its 35 degC lift limit
    # between the curves' 32.2 degC data edge and the lift limit: the curves extrapolated, more power per heat
    assert envelope(279.82, 273.15 + 34.0, p) is None
    assert eir_chiller(1e6, 279.82, 273.15 + 34.0, p)[0] > eir_chiller(1e6, 279.82, 273.15 + 32.22, p)[0]
    assert "below the chiller's lowest leaving" in envelope(273.15 + 3.0, 300.0, p)
    assert envelope(273.15 + 29.0, 300.0, p) is None
    # a 29 degC supply: the chiller makes 10 degC water (its highest) and blends it in
    warm = eir_chiller(1e6, 273.15 + 29.0, 300.0, p)[0]
    assert warm == pytest.approx(eir_chiller(1e6, 283.15, 300.0, p)[0], rel=1e-12)


def test_the_chillers_temperature_terms_once_then_the_load_give_the_same_power_bit_for_bit():
    """The year computes CAPFT and EIRFT once per hour (eir_terms) and the part load on every coupling pass
    (eir_power): the same numbers as eir_chiller in one call."""
    for name in ("chiller-water-cooled", "chiller-air-cooled"):
        p = _catalog_chiller(name)
        t_lchw = np.array([279.0, 281.0, 283.15, 290.0])
        t_cond = np.array([290.0, 300.0, 305.0, 310.0])
        load = np.array([0.0, 2e5, 8e5, 1.4e6])
        power, q_avail = eir_chiller(load, t_lchw, t_cond, p)
        cap, eir = eir_terms(t_lchw, t_cond, p)
        np.testing.assert_array_equal(cap, q_avail)
        np.testing.assert_array_equal(eir_power(load, cap, eir, p), power)
        assert power[0] == 0.0 and np.all(power[1:] > 0)


def test_water_cooled_chiller_at_half_load_follows_the_energyplus_19xr_eirfplr_curve():
    """EnergyPlus Chillers.idf 'Carrier 19XR 1407kW/6.04COP/VSD' part-load curve EIRFPLR = 0.1188880 + 0.6723542 PLR
    + 0.2068754 PLR^2 (EnergyPlus Engineering Reference, Chiller:Electric:EIR: P = Q_avail / COP_ref x EIRFT x
    EIRFPLR(PLR)): at PLR 0.5, EIRFPLR = 0.50678 (0.99812 at PLR 1), so the chiller draws 50.8 % of its full-load
    power for 50 % of its capacity at the reference conditions; capacity() is Q_ref x CAPFT and the lift limit the
    catalog's."""
    from models.thermal.chiller import capacity, condenser_limit, quadratic

    p = _catalog_chiller("chiller-water-cooled")
    t_l, t_c = 273.15 + 6.67, 273.15 + 29.44
    assert quadratic(p["eirfplr"], 0.5) == pytest.approx(0.1188880 + 0.6723542 * 0.5 + 0.2068754 * 0.25, rel=1e-9)
    q_avail = capacity(t_l, t_c, p)
    assert q_avail == pytest.approx(p["capacity"] * biquadratic(p["capft"], 6.67, 29.44), rel=1e-12)
    full, _ = eir_chiller(q_avail, t_l, t_c, p)
    half, _ = eir_chiller(0.5 * q_avail, t_l, t_c, p)
    assert half / full == pytest.approx(0.50678 / (0.1188880 + 0.6723542 + 0.2068754), rel=1e-4)
    assert condenser_limit(p) == pytest.approx(273.15 + 35.0, abs=1e-9)  # the 35 degC lift limit named above
