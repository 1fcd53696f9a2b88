"""Export of hourly results: NetCDF (with units attributes) and CSV, written atomically.

A file is written to a temporary name beside the target and renamed into place only when complete, so a failed
run never leaves a half-written output file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from facility.errors import ScenarioError

if TYPE_CHECKING:  # a Dataset comes in; xarray itself is not needed to write it
    import xarray as xr

__all__ = ["write_hourly"]


def write_hourly(ds: xr.Dataset, path: Path) -> Path:
    """Write a result Dataset (hourly or a sweep) to ``path`` (.nc: NetCDF3 through scipy; .csv: one column per
    variable with its unit in the header, e.g. ``facility_power [W]``)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".nc", ".csv"):
        raise ScenarioError(f"got {str(path)!r}; expected a file ending in .nc or .csv", key="--hourly")
    folder = path.resolve().parent
    if not folder.is_dir():
        raise ScenarioError(f"folder {folder} does not exist", key="--hourly")
    out = ds.copy()
    for name, v in out.data_vars.items():  # NetCDF3 has no booleans
        if v.dtype == bool:
            out[name] = v.astype("int8")
    for name, c in out.coords.items():  # nor object strings: fixed-width text
        if c.dtype == object:
            out[name] = c.astype(str)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    os.close(fd)
    try:
        if suffix == ".nc":
            out.to_netcdf(tmp, engine="scipy")
        else:
            df = out.to_dataframe()
            df.columns = [f"{c} [{out[c].attrs.get('units', '')}]" for c in df.columns]
            df.to_csv(tmp)
        umask = os.umask(0)  # mkstemp makes 0600: give the file the permissions a plain open() would
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
