import re
import time

import pint
import pytest

from facility.units import Q_, UnitParseError, parse_quantity, ureg


def test_one_registry_is_the_application_registry():
    assert pint.get_application_registry().get() is ureg


def test_flops_unit_with_prefixes():
    assert Q_("100 EFLOPS").m_as("FLOPS") == pytest.approx(1e20)
    assert Q_("362 TFLOPS").m_as("FLOPS") == pytest.approx(3.62e14)


def test_temperature_with_offset_converts_to_kelvin():
    assert parse_quantity("35 degC", "[temperature]").m_as("K") == pytest.approx(308.15)


@pytest.mark.parametrize("value, fragment", [
    ("700 m", "dimension [length]"),
    (700, "without a unit"),
    ("700", "without a unit"),
    ("", "empty"),
    ("seven hundred watts", "cannot read"),
    ("nan W", "not a finite number"),
    ("161 kV[", "cannot read"),  # pint's tokenizer raises TokenError here (found by the property test)
    (True, "expected"),
])
def test_parse_quantity_refuses_with_a_reason(value, fragment):
    with pytest.raises(UnitParseError, match=re.escape(fragment)):
        parse_quantity(value, "[power]")


def test_parse_quantity_accepts_quantities_of_the_right_dimension():
    assert parse_quantity(Q_(34.5, "kV"), "[electric_potential]").m_as("V") == pytest.approx(34500)


def test_a_reciprocal_unit_reads_but_arithmetic_of_numbers_does_not():
    """Rates and coefficients are written "0.5 /h" or "-0.0035 1/K"; "3 / 4 kW" is still arithmetic and refused."""
    from facility.units import UnitParseError, read_quantity

    assert read_quantity("0.5 /h").m_as("1/s") == pytest.approx(0.5 / 3600)
    assert read_quantity("-0.0035 1/K").m_as("1/K") == pytest.approx(-0.0035)
    for text in ("3 / 4 kW", "1/2 h", "2 / (3 K)"):
        with pytest.raises(UnitParseError):
            read_quantity(text)


@pytest.mark.parametrize("text", ["10**10**10 kV", "2*3 kW", "(1) W", "1/0 W", "161 kV[", "1 W + 2 W",
                                  "3" * 600 + " degC", "x" * 101])
def test_quantity_parser_refuses_arithmetic_and_long_texts_at_once(text):
    start = time.perf_counter()
    with pytest.raises(UnitParseError):
        parse_quantity(text, "[power]")
    assert time.perf_counter() - start < 0.1


@pytest.mark.parametrize("text, dim, si", [("30 degC", "[temperature]", 303.15), ("34.5 kV", "[electric_potential]",
                                           34500.0), ("1.2e3 kW", "[power]", 1.2e6), ("-5 degC", "[temperature]",
                                           268.15), ("2 m^3/s", "[length] ** 3 / [time]", 2.0),
                                          ("3 A/mm^2", "[current] / [length] ** 2", 3e6), ("100 EFLOPS",
                                           "[computation] / [time]", 1e20)])
def test_quantity_parser_keeps_every_written_form(text, dim, si):
    q = parse_quantity(text, dim)
    assert q.to_base_units().magnitude == pytest.approx(si)


def test_fit_refuses_apparent_power_as_grid_envelope():
    with pytest.raises(UnitParseError, match="apparent power"):
        parse_quantity("300 MVA", "[power]", real_power=True)
