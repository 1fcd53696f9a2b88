"""models.thermal.tabulate: the coolant tables are CoolProp's values on their grid, and the shipped file is what
the module writes with the installed CoolProp."""

import CoolProp
import CoolProp.CoolProp as CP
import numpy as np
import pytest

from models.thermal import tabulate


def test_regenerating_the_tables_with_the_installed_coolprop_gives_the_shipped_file(tmp_path):
    """The package data is what ``python -m models.thermal.tabulate`` writes (else: run it and commit). Values
    agree to 1e-6, far inside the interpolation tolerances, so that a CoolProp release that changes nothing that
    matters does not fail here; the file records the CoolProp version that wrote it."""
    fresh = tabulate.write_tables(tmp_path / "coolants.npz")
    with np.load(fresh) as new, np.load(tabulate.TABLE_FILE) as shipped:
        assert str(shipped["coolprop_version"]).split(".")[0] == CoolProp.__version__.split(".")[0]
        assert list(shipped["names"]) == list(tabulate.COOLANTS)
        assert sorted(new.files) == sorted(shipped.files)
        for key in new.files:
            if key == "coolprop_version":
                continue
            if new[key].dtype.kind in "fi":
                np.testing.assert_allclose(shipped[key], new[key], rtol=1e-6, err_msg=key)
            else:
                assert (shipped[key] == new[key]).all(), key


def test_shipped_table_file_is_small():
    assert tabulate.TABLE_FILE.stat().st_size < 1_000_000


def test_water_grid_is_whole_degrees_from_1_to_95_degc():
    t = tabulate.temperature_grid(tabulate.freezing_point_coolprop("Water"))
    np.testing.assert_allclose(t - 273.15, np.arange(1.0, 96.0), atol=1e-9)


@pytest.mark.parametrize("name", ["INCOMP::MPG[0.25]", "INCOMP::MEG[0.40]"])
def test_glycol_grid_starts_within_1_k_above_the_coolprop_freezing_point(name):
    """PG25 freezes at -9.8 degC in CoolProp (ASHRAE Fundamentals 2017 Ch. 31, Table 4: about -10 degC): the grid
    starts at -9 degC, the whole degree at or below freezing + 1 K and above the freezing point itself."""
    t_freeze = CP.PropsSI("T_freeze", "T", 300.0, "P", tabulate.PRESSURE, name)
    assert tabulate.freezing_point_coolprop(name) == pytest.approx(t_freeze, rel=1e-12)
    t = tabulate.temperature_grid(t_freeze)
    assert t_freeze < t[0] <= t_freeze + 1.0 and t[0] > t_freeze + 1.0 - tabulate.STEP
    assert t[-1] == pytest.approx(tabulate.T_MAX, abs=1e-9)
    np.testing.assert_allclose(np.diff(t), tabulate.STEP, atol=1e-9)


def test_tabulated_rows_are_coolprops_density_cp_viscosity_and_conductivity_at_the_grid_points():
    """At the grid points the table holds CoolProp's own numbers (independent call, the same state): exact."""
    name = "INCOMP::MPG[0.30]"
    t_freeze, t, values = tabulate.tabulate(name)
    assert values.shape == (4, t.size) and t_freeze < t[0]
    for row, key in enumerate(tabulate.PROPERTIES):
        ref = CP.PropsSI(key, "T", t[::10], "P", tabulate.PRESSURE, name)
        np.testing.assert_allclose(values[row, ::10], ref, rtol=1e-12, err_msg=key)
    # PG30 at 20 degC: density ~1,025 kg/m3 and cp ~3.85 kJ/(kg K) (ASHRAE Fundamentals 2017 Ch. 31, Tables 9-10)
    i = int(np.argmin(np.abs(t - 293.15)))
    assert values[0, i] == pytest.approx(1025.0, rel=0.01) and values[1, i] == pytest.approx(3850.0, rel=0.02)
