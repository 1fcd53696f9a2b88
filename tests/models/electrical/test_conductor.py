"""Conductors against IEC 60028 values and hand calculations."""

import numpy as np
import pytest

from facility.units import Q_
from models.electrical.conductor import conductor_loss, conductor_mass, cross_section, line_current, resistivity


def test_annealed_copper_at_20_and_75_degc():  # IEC 60028: 1/58 ohm mm2/m, alpha 0.00393 /K
    assert resistivity("copper", Q_(20, "degC")).m_as("ohm*m") == pytest.approx(1.7241e-8)
    assert resistivity("copper", Q_(75, "degC")).m_as("ohm*m") == pytest.approx(1.7241e-8 * (1 + 0.00393 * 55))


def test_a_120_kw_rack_at_50_v_draws_2_4_ka():
    assert line_current(Q_(120, "kW"), Q_(50, "V"), "dc").m_as("kA") == pytest.approx(2.4)


def test_three_phase_current():
    # 1 MW at 480 V, PF 1: I = 1e6 / (sqrt(3) 480) = 1202.8 A
    assert line_current(Q_(1, "MW"), Q_(480, "V"), "ac3").m_as("A") == pytest.approx(1202.81, rel=1e-5)


def test_joule_loss_of_a_dc_pair():
    # 100 A in 100 m of 10 mm2 copper at 20 degC, go and return: 2 x 100^2 x 0.17241 ohm = 3,448 W
    rho = resistivity("copper", Q_(20, "degC"))
    loss = conductor_loss(Q_(100, "A"), Q_(100, "m"), Q_(10, "mm^2"), rho, n_conductors=2)
    assert loss.m_as("W") == pytest.approx(3448.2, rel=1e-4)


def test_section_and_mass():
    area = cross_section(Q_(1600, "A"), Q_(1.6, "A/mm^2"))
    assert area.m_as("mm^2") == pytest.approx(1000)
    assert conductor_mass(area, Q_(1, "m"), n_conductors=1).m_as("kg") == pytest.approx(8.89)


def test_unknown_material_and_system_are_refused():
    with pytest.raises(ValueError, match="material"):
        resistivity("gold", Q_(20, "degC"))
    with pytest.raises(ValueError, match="system"):
        line_current(Q_(1, "kW"), Q_(1, "V"), "ac1")


def test_vector_current_equals_scalar():
    p = Q_(np.array([1.0, 2.0, 3.0]), "MW")
    assert np.allclose(line_current(p, Q_(34.5, "kV"), "ac3", 0.98).m_as("A"),
                       [line_current(Q_(x, "MW"), Q_(34.5, "kV"), "ac3", 0.98).m_as("A") for x in p.m])


def test_stage_coefficients_of_parallel_circuits_equal_their_joule_loss():
    """Four 3-phase copper circuits of 2,000 A at 2 A/mm2, 120 m, 90 degC, carrying 5 MW at 480 V pf 0.95:
    loss = 3 (I/4)^2 rho L / A per circuit x 4, with I = P / (sqrt(3) V pf) and rho(90 degC) of IEC 60228."""
    from models.electrical.conductor import conductor_coefficients, conductor_loss, resistivity

    p = {"ampacity": 2000.0, "current_density": 2e6, "length": 120.0, "temperature": 363.15, "material": "copper"}
    (a, b, c), mass = conductor_coefficients(p, 4, 5, 0.95, 480.0, "ac3")
    power = 5e6
    i = power / (np.sqrt(3) * 480.0 * 0.95)
    rho = resistivity.kernel("copper", 363.15)
    # AC resistance with skin and proximity effect (#13 item 9): 1,000 mm2 per phase as 2 x 500 mm2 in parallel
    from models.electrical.conductor import ac_resistance_factor, egc_section_nec
    expected = 4 * conductor_loss.kernel(i / 4, 120.0, 1e-3, rho, 3) * ac_resistance_factor("ac3", rho / 1e-3, 1e-3)
    assert 1.03 < ac_resistance_factor("ac3", rho / 1e-3, 1e-3) < 1.2
    assert a == 0.0 and b == 0.0
    assert c * power * power == pytest.approx(expected, rel=1e-9)
    # installed circuits, copper 8,890 kg/m3: 3 phases + full neutral + a 250 kcmil EGC (NEC 250.122, 2,000 A)
    assert mass == pytest.approx(5 * (4 * 1e-3 + egc_section_nec(2000)) * 120.0 * 8890.0, rel=1e-12)


# ------------------------------------------------------------------ issue #13 item 9: AC resistance, N and PE
def test_iec_60287_skin_effect_matches_the_exact_bessel_solution():
    """IEC 60287-1-1's ys is a fit to the exact skin effect of a round conductor, Rac/Rdc = (x/2) (ber bei' -
    bei ber') / (ber'^2 + bei'^2) with x = r sqrt(omega mu0 sigma) (Kelvin functions, scipy.special; e.g.
    Ramo, Whinnery & Van Duzer, Fields and Waves, 3rd ed., section 5.16). The IEC x_s is that same x."""
    import numpy as np
    from scipy.special import bei, beip, ber, berp

    from models.electrical.conductor import skin_effect

    for section_mm2 in (95, 240, 400, 630, 1000):
        r_dc = 1.7241e-8 / (section_mm2 * 1e-6)  # ohm/m at 20 degC
        x = np.sqrt(8 * np.pi * 60.0 * 1e-7 / r_dc)
        exact = x / 2 * (ber(x) * beip(x) - bei(x) * berp(x)) / (berp(x) ** 2 + beip(x) ** 2) - 1
        assert skin_effect(r_dc, 60.0) == pytest.approx(exact, rel=0.03, abs=2e-4), section_mm2


def test_630_mm2_copper_at_90_degc_by_hand():
    """IEC 60228: 630 mm2 Cu 0.0283 ohm/km at 20 degC; at 90 degC x (1 + 0.00393 x 70) = 0.03609 ohm/km;
    50 Hz: xs^2 = 8 pi 50e-7 / 3.609e-5 = 3.482, ys = 12.12 / (192 + 9.70) = 0.0601. Trefoil at s = 2 dc: yp
    = 0.0601 x 0.25 x (0.078 + 1.18 / 0.3301) = 0.0549: Rac/Rdc = 1.115, inside the 1.10-1.20 of LV single-core
    630 mm2 datasheets (e.g. PVC/XLPE single-core tables listing 0.041 ohm/km AC against 0.036 DC at 90 degC)."""
    from models.electrical.conductor import proximity_effect, skin_effect

    r = 0.0283e-3 * (1 + 0.00393 * 70)
    ys, yp = skin_effect(r, 50.0), proximity_effect(r, 0.0283, 0.0566, 50.0)
    assert ys == pytest.approx(0.0601, abs=2e-4) and yp == pytest.approx(0.0549, abs=3e-4)
    assert 1.10 < 1 + ys + yp < 1.20


def test_protective_conductor_tables():
    from models.electrical.conductor import egc_section_nec, pe_section_iec

    # IEC 60364-5-54 Table 54.2
    assert [pe_section_iec(s * 1e-6) * 1e6 for s in (6, 16, 25, 35, 50, 500)] == pytest.approx([6, 16, 16, 16, 25, 250])
    # NEC Table 250.122: 800 A -> 1/0 AWG (53.5 mm2), 2,000 A -> 250 kcmil, 4,000 A -> 500 kcmil
    assert egc_section_nec(800) == pytest.approx(53.5e-6)
    assert egc_section_nec(2000) == pytest.approx(250 * 0.5067e-6, rel=0.001)
    assert egc_section_nec(4000) == pytest.approx(500 * 0.5067e-6, rel=0.001)


def test_copper_mass_counts_neutral_and_pe_where_the_system_has_them():
    from models.electrical.conductor import conductor_coefficients

    def mass(system, v, ampacity=800.0):
        p = {"ampacity": ampacity, "current_density": 1.6e6, "length": 10.0, "temperature": 333.15,
             "material": "copper"}
        return conductor_coefficients(p, 1, 1, 0.98, v, system)[1]

    phase = 800 / 1.6e6 * 10.0 * 8890  # one 500 mm2 conductor, 10 m [kg]
    # 415 V (IEC): 3 phases + full neutral + PE 250 mm2 (Table 54.2, S/2)
    assert mass("ac3", 415.0) == pytest.approx(phase * 4.5)
    # 480 V (NEC): 3 phases + neutral + 1/0 AWG EGC for an 800 A device
    assert mass("ac3", 480.0) == pytest.approx(phase * (4 + 53.5 / 500))
    # MV: 3 phases only; 800 V DC: 2 poles + PE; 50 V DC (SELV/PELV rack busbar): 2 poles
    assert mass("ac3", 34.5e3) == pytest.approx(phase * 3)
    assert mass("dc", 800.0) == pytest.approx(phase * 2.5)
    assert mass("dc", 50.0) == pytest.approx(phase * 2)


def test_large_ac_busway_loses_more_than_its_dc_resistance_says():
    from models.electrical.conductor import conductor_coefficients

    p = {"ampacity": 4000.0, "current_density": 1.6e6, "length": 20.0, "temperature": 333.15, "material": "copper"}
    c_ac = conductor_coefficients(p, 1, 1, 1.0, 1.0 / 3**0.5, "ac3")[0][2]  # k = sqrt3 V pf = 1: C = 3 Rc
    rho = 1.7241e-8 * (1 + 0.00393 * 40)
    r_dc = rho * 20.0 / (4000 / 1.6e6)
    assert 1.05 < c_ac / (3 * r_dc) < 1.25  # 2,500 mm2 per phase as 4 x 625 mm2 in parallel, 60 Hz
    c_dc = conductor_coefficients(p, 1, 1, 1.0, 1.0, "dc")[0][2]
    assert c_dc == pytest.approx(2 * r_dc)
