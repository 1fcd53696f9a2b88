"""facility.export: hourly results written to NetCDF or CSV with their units, atomically, after the output path
was checked before anything is computed."""

import numpy as np
import pandas as pd
import pytest
import xarray as xr

from facility import ScenarioError
from facility.export import check_output_path, write_hourly


def _hourly() -> xr.Dataset:
    hours = pd.date_range("2026-01-01", periods=4, freq="h")
    return xr.Dataset({"facility_power": ("time", np.array([1.0e6, 1.1e6, 0.9e6, 1.2e6]), {"units": "W"}),
                       "chiller_on": ("time", np.array([False, True, True, False]))},
                      coords={"time": hours, "site": ("time", np.array(["a", "b", "c", "d"], dtype=object))})


def test_netcdf_reads_back_equal_with_its_units_and_booleans_as_int8(tmp_path):
    ds = _hourly()
    path = write_hourly(ds, tmp_path / "year.nc")
    with xr.open_dataset(path, engine="scipy") as back:
        np.testing.assert_array_equal(back["facility_power"].values, ds["facility_power"].values)
        assert back["facility_power"].attrs["units"] == "W"
        assert back["chiller_on"].dtype == np.int8 and back["chiller_on"].values.tolist() == [0, 1, 1, 0]
        assert list(back["site"].values) == ["a", "b", "c", "d"]
    assert ds["chiller_on"].dtype == bool  # the caller's Dataset is not changed
    assert [p.name for p in tmp_path.iterdir()] == ["year.nc"]  # no temporary file left


def test_csv_has_one_column_per_variable_with_its_unit_in_the_header(tmp_path):
    path = write_hourly(_hourly(), tmp_path / "year.csv")
    df = pd.read_csv(path)
    assert "facility_power [W]" in df.columns and "chiller_on []" in df.columns
    np.testing.assert_allclose(df["facility_power [W]"], [1.0e6, 1.1e6, 0.9e6, 1.2e6])


def test_a_failed_write_leaves_neither_the_file_nor_a_temporary_and_keeps_an_old_file(tmp_path):
    target = tmp_path / "year.nc"
    target.write_text("old")
    bad = xr.Dataset({"x": ("t", np.array([1 + 2j, 3 + 4j]))})  # NetCDF3 has no complex numbers
    with pytest.raises(Exception):  # noqa: B017 (whatever the writer raises; the point is what is left behind)
        write_hourly(bad, target)
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["year.nc"]


def test_output_paths_are_checked_before_computing_and_named_by_their_option(tmp_path):
    assert check_output_path(tmp_path / "out.CSV") == tmp_path / "out.CSV"
    for bad, fragment in [(tmp_path / "out.xlsx", "ending in .nc or .csv"), (tmp_path / "d.nc", "is a folder"),
                          (tmp_path / "missing" / "out.nc", "does not exist"), ("a\x00.nc", "no NUL"),
                          ("x" * 5000 + ".nc", "at most 4,096 characters")]:
        if str(bad).endswith("d.nc"):
            (tmp_path / "d.nc").mkdir()
        with pytest.raises(ScenarioError, match=fragment) as e:
            check_output_path(bad, key="--out")
        assert e.value.key == "--out"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.nc"]  # the probe file was removed


def test_a_ctrl_c_right_after_the_temporary_file_is_made_leaves_no_file(tmp_path, monkeypatch):
    """The interrupt lands between the temporary file's creation and the write (found as a rare CI failure of the
    CLI's interrupted-export test): the file is removed all the same."""
    import facility.export as export

    real_close, calls = export.os.close, {"n": 0}

    def close_then_interrupt(fd):
        real_close(fd)
        calls["n"] += 1
        if calls["n"] == 2:  # the first close is the folder probe's, the second the export's temporary file
            raise KeyboardInterrupt

    monkeypatch.setattr(export.os, "close", close_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_hourly(_hourly(), tmp_path / "year.csv")
    assert calls["n"] == 2 and list(tmp_path.iterdir()) == []
