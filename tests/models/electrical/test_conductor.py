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
    expected = 4 * conductor_loss.kernel(i / 4, 120.0, 1e-3, rho, 3)
    assert a == 0.0 and b == 0.0
    assert c * power * power == pytest.approx(expected, rel=1e-9)
    assert mass == pytest.approx(5 * 3 * 1e-3 * 120.0 * 8890.0, rel=1e-12)  # installed circuits, copper 8,890 kg/m3
