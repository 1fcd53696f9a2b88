import re

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
