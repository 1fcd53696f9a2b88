"""Export of hourly results: NetCDF (with units attributes) and CSV, written atomically.

A file is written to a temporary name beside the target and renamed into place only when complete, so a failed
run never leaves a half-written output file.
"""

from __future__ import annotations

import os
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from facility.errors import ScenarioError, shorten

if TYPE_CHECKING:  # a Dataset comes in; xarray itself is not needed to write it
    import xarray as xr

__all__ = ["check_output_path", "write_hourly"]


@contextmanager
def _ctrl_c_deferred() -> Iterator[None]:
    """Hold SIGINT (Ctrl-C) back while a temporary file is made and its name kept, so an interrupt cannot fall
    between the file's creation and the code that removes it: a pending Ctrl-C is delivered when the block ends
    (POSIX ``pthread_sigmask``; elsewhere a no-op)."""
    block = getattr(signal, "pthread_sigmask", None)
    if block is None:
        yield
        return
    previous = block(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        block(signal.SIG_SETMASK, previous)


def check_output_path(path: Path | str, key: str = "--hourly") -> Path:
    """Check, before anything is computed, that ``path`` can be written: .nc or .csv, not a folder, its folder
    exists and is writable (a temporary file is made there and removed, as :func:`write_hourly` will).

    Raises ``ScenarioError`` naming ``key`` (the option or argument) and what is wrong.
    """
    if "\x00" in str(path) or len(str(path)) > 4096:
        raise ScenarioError(f"got {shorten(str(path))}; expected a file name (at most 4,096 characters, no NUL)",
                            key=key)
    path = Path(path)
    if path.suffix.lower() not in (".nc", ".csv"):
        raise ScenarioError(f"got {shorten(str(path))}; expected a file ending in .nc or .csv", key=key)
    try:
        if path.is_dir():
            raise ScenarioError(f"{str(path)!r} is a folder; expected a file name ending in .nc or .csv", key=key)
        if path.exists() and not path.is_file():
            raise ScenarioError(f"{str(path)!r} is not a regular file; expected a file name ending in .nc or .csv",
                                key=key)
        folder = path.resolve().parent
        if not folder.is_dir():
            raise ScenarioError(f"folder {folder} does not exist; expected an existing folder for {path.name}", key=key)
        with _ctrl_c_deferred():  # made and removed before a Ctrl-C can land between the two
            fd, probe = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
            os.close(fd)
            os.unlink(probe)
    except OSError as exc:
        raise ScenarioError(f"cannot write {str(path)!r} ({exc.strerror or exc}); expected a writable folder",
                            key=key) from None
    return path


def write_hourly(ds: xr.Dataset, path: Path, key: str = "--hourly") -> Path:
    """Write a result Dataset (hourly or a sweep) to ``path`` (.nc: NetCDF3 through scipy; .csv: one column per
    variable with its unit in the header, e.g. ``facility_power [W]``).

    The data go to a temporary file beside ``path`` that replaces it (``os.replace``) only when complete: an
    interrupted or failed write (Ctrl-C, a full disk, SIGKILL) never leaves a partial file at ``path`` (after a
    SIGKILL a hidden ``.<name>.*`` temporary file may remain beside it). ``key`` names the option in errors.
    """
    path = check_output_path(path, key)
    folder = path.resolve().parent
    out = ds.copy()
    for name, v in out.data_vars.items():  # NetCDF3 has no booleans
        if v.dtype == bool:
            out[name] = v.astype("int8")
    for name, c in out.coords.items():  # nor object strings: fixed-width text
        if c.dtype == object:
            out[name] = c.astype(str)
    tmp = None
    try:
        with _ctrl_c_deferred():  # a Ctrl-C from here on lands inside this try, with the name kept: removed below
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
            os.close(fd)
        if path.suffix.lower() == ".nc":
            out.to_netcdf(tmp, engine="scipy")
        else:
            df = out.to_dataframe()
            df.columns = [f"{c} [{out[c].attrs.get('units', '')}]" for c in df.columns]
            df.to_csv(tmp)
        umask = os.umask(0)  # mkstemp makes 0600: give the file the permissions a plain open() would
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise ScenarioError(f"cannot write {str(path)!r} ({exc.strerror or exc})", key=key) from None
    except BaseException:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        raise
    return path

