"""Shipped coolant tables against CoolProp, and the coolant model's independence from CoolProp at run time.

Tolerances are those the tables promise (``models/thermal/tabulate.py``): linear interpolation on a 1 K grid is
within 2e-5 (relative) of CoolProp for density, specific heat and conductivity and within 3e-3 for viscosity.
"""

import subprocess
import sys

import CoolProp.CoolProp as CP
import numpy as np
import pytest

from facility.units import Q_
from models.thermal import tabulate
from models.thermal.coolant import density, fluid_name, freezing_point, properties, specific_heat, volume_flow

RTOL = {"density": 2e-5, "cp": 2e-5, "conductivity": 2e-5, "viscosity": 3e-3}


def _twenty_points(name: str) -> np.ndarray:
    """20 temperatures across the coolant's range [K], the inner ones mid-way between grid points (whole degC),
    where linear interpolation errs most."""
    t = np.linspace(freezing_point(name) + 1.0, tabulate.T_MAX, 20)
    t[1:-1] = np.floor(t[1:-1] - 273.15) + 273.15 + 0.5
    return t


@pytest.mark.parametrize("name", tabulate.COOLANTS)
def test_every_shipped_coolant_matches_coolprop_at_20_points_across_its_range(name):
    t = _twenty_points(name)
    ours = properties(name, t)
    for key, cp_key in (("density", "D"), ("cp", "C"), ("viscosity", "V"), ("conductivity", "L")):
        ref = CP.PropsSI(cp_key, "T", t, "P", tabulate.PRESSURE, name)
        np.testing.assert_allclose(ours[key], ref, rtol=RTOL[key], err_msg=f"{name} {key}")


@pytest.mark.parametrize("name", tabulate.COOLANTS)
def test_shipped_freezing_points_are_coolprops(name):
    ref = 273.15 if name == "Water" else CP.PropsSI("T_freeze", "T", 300.0, "P", tabulate.PRESSURE, name)
    assert freezing_point(name) == pytest.approx(ref, rel=1e-12)


def test_glycols_are_tabulated_down_to_1_k_above_their_freezing_point():
    # PG25 freezes at -9.8 degC (ASHRAE Fundamentals Ch. 31: about -10 degC): -8 degC is a valid loop temperature
    t = 273.15 - 8.0
    ref = CP.PropsSI("C", "T", t, "P", tabulate.PRESSURE, "INCOMP::MPG[0.25]")
    assert properties("pg25", t)["cp"] == pytest.approx(ref, rel=RTOL["cp"])
    with pytest.raises(ValueError, match=r"freezes at -9\.8 degC"):
        properties("pg25", 273.15 - 9.5)


def test_coolprop_percent_spelling_reads_the_same_table_as_the_alias():
    assert fluid_name("INCOMP::MPG-25%") == fluid_name("pg25") == "INCOMP::MPG[0.25]"
    assert properties("INCOMP::MEG-40%", 300.0) == properties("eg40", 300.0)


def test_a_coolant_not_shipped_is_tabulated_from_coolprop_on_first_use():
    t = np.array([280.65, 300.65, 340.65])  # PG33 is not in the shipped 5 % steps
    ours = properties("pg33", t)
    ref = CP.PropsSI("D", "T", t, "P", tabulate.PRESSURE, "INCOMP::MPG[0.33]")
    np.testing.assert_allclose(ours["density"], ref, rtol=RTOL["density"])


def test_unknown_coolant_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown coolant 'brine'"):
        freezing_point("brine")


def test_coolant_properties_do_not_import_coolprop():
    code = ("import sys; from models.thermal.coolant import properties, freezing_point; "
            "properties('pg25', 300.0); properties('water', 310.0); freezing_point('eg30'); "
            "print('CoolProp' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("fluid", ["water", "pg25", "eg25"])
def test_tabulated_properties_match_coolprop(fluid):
    name = fluid_name(fluid)
    t = np.array([280.3, 295.75, 310.15, 330.6, 350.05])
    p = properties(fluid, t)
    for key, cp_key in (("density", "D"), ("cp", "C"), ("viscosity", "V"), ("conductivity", "L")):
        ref = CP.PropsSI(cp_key, "T", t, "P", 2e5, name)
        np.testing.assert_allclose(p[key], ref, rtol=2e-3 if key == "viscosity" else 1e-4)


def test_pg25_freezes_near_minus_10_degc():  # ASHRAE Fundamentals Ch. 31: 25 % PG freezes at about -10 degC
    assert freezing_point("pg25") - 273.15 == pytest.approx(-9.8, abs=0.5)


def test_out_of_range_temperature_is_refused():
    with pytest.raises(ValueError, match="freezes"):
        properties("pg25", 250.0)


def test_pg25_at_10_k_rise_is_1_5_l_per_min_per_kw():  # the OCP rule of thumb
    t = Q_(35, "degC")
    v = volume_flow(Q_(1, "kW"), density("pg25", t), specific_heat("pg25", t), Q_(10, "K"))
    assert v.m_as("L/min") == pytest.approx(1.5, abs=0.05)
