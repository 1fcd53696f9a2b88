"""Weather years: bundled sites, user EPW / TMY3 files, and PVGIS typical years fetched and cached on disk.

Everything is read through ``pvlib.iotools`` and renamed to pvlib's nomenclature (``temp_air`` [°C],
``relative_humidity`` [%], ``atmospheric_pressure`` [Pa]); the wet bulb for all hours is computed in one
vectorised pass (:func:`models.thermal.psychrometrics.wet_bulb_kernel`). A weather year is cached in memory after
its first load (keyed by path and modification time) and on disk, under ``$FACILITY_CACHE/weather`` (default
``~/.cache/facility``), keyed by the SHA-256 of the file's content, of this reader and of the wet-bulb model (a
changed file or a changed model is parsed again; a corrupt cache file is parsed again and replaced): pvlib and
pandas load only for a file never seen, and a cached year loads in a few milliseconds.

``site.weather`` may be a bundled name, a path to an ``.epw`` or TMY3 ``.csv`` file, or ``pvgis:LAT,LON``: a
typical year from the EU JRC PVGIS service (``pvlib.iotools.get_pvgis_tmy``), fetched once where the machine is
online and cached under ``$FACILITY_CACHE`` (default ``~/.cache/facility``); offline, a cached year is used and a
missing one is a clear error.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from models.thermal.psychrometrics import wet_bulb_kernel

__all__ = ["WeatherYear", "load_weather", "pvgis_cache_path", "fetch_pvgis", "validate_weather", "weather_cache_path",
           "HOURS", "CACHE_FORMAT"]

HOURS = 8760
_REQUIRED = ("temp_air", "relative_humidity", "atmospheric_pressure")
_PVGIS = re.compile(r"^pvgis:\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")
PVGIS = _PVGIS  # public name of the "pvgis:LAT,LON" weather-key pattern (facility.sites uses it)


@dataclass(frozen=True)
class WeatherYear:
    """One weather year on SI arrays of 8,760 hours: dry bulb [K], wet bulb [K], RH [-], pressure [Pa].

    The arrays are the year's own read-only copies (five arrays of 70 kB, once per year; the caller's arrays are
    neither shared nor frozen): a year is shared — cached by :func:`load_weather`, and its weather-only terms held
    on a compiled design for the next year at it (:func:`facility.simulate.year_arrays`) — so no edit may change
    it; make a new year instead (``dataclasses.replace`` with new arrays)."""

    name: str
    time: np.ndarray  # datetime64[h], naive local standard time of the file
    dry_bulb: np.ndarray
    wet_bulb: np.ndarray
    relative_humidity: np.ndarray
    pressure: np.ndarray
    source: str
    _conditions: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def conditions(self, wet_bulb: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """The year's distinct outdoor conditions: ``(index, first)``, the condition of each hour (``index`` (H,),
        numbered 0 to ``len(first) - 1``) and the first hour of each (``first``) — the dry bulb alone, or with
        ``wet_bulb`` the pair of dry and wet bulb.
        Two hours share a number only when their values are equal (``numpy.unique``; a TMY3 file repeats its
        values: 110-287 dry bulbs in the five bundled years, 4,900-7,000 pairs with the wet bulb). Computed once
        per year (its arrays are read-only, so the numbers cannot go stale)."""
        held = self._conditions.get(wet_bulb)
        if held is None:
            values = np.stack([self.dry_bulb, self.wet_bulb], axis=1) if wet_bulb else self.dry_bulb
            _, first, index = np.unique(values, axis=0, return_index=True, return_inverse=True)
            index, first = (np.asarray(a, dtype=np.intp).reshape(-1) for a in (index, first))
            index.flags.writeable = first.flags.writeable = False
            held = self._conditions[wet_bulb] = (index, first)
        return held

    def __post_init__(self) -> None:
        for name in ("time", "dry_bulb", "wet_bulb", "relative_humidity", "pressure"):
            value = getattr(self, name)
            if not (isinstance(value, np.ndarray) and not value.flags.writeable and value.base is None):
                value = np.array(value)  # (a copy; a year's own read-only array is kept as it is)
                value.flags.writeable = False
            object.__setattr__(self, name, value)


def _cache_dir() -> Path:
    return Path(os.environ.get("FACILITY_CACHE", Path.home() / ".cache" / "facility"))


def pvgis_cache_path(latitude: float, longitude: float) -> Path:
    """Where the PVGIS typical year of a location is cached (a CSV in pvlib nomenclature)."""
    return _cache_dir() / f"pvgis_tmy_{latitude:.3f}_{longitude:.3f}.csv"


def fetch_pvgis(latitude: float, longitude: float) -> Path:
    """Fetch a PVGIS typical year (needs the internet) and cache it; returns the cached file."""
    import pvlib

    path = pvgis_cache_path(latitude, longitude)
    if path.is_file():
        return path
    data, *_ = pvlib.iotools.get_pvgis_tmy(latitude, longitude, map_variables=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    data[list(_REQUIRED)].to_csv(tmp)
    tmp.replace(path)  # never a half-written cache file
    return path


def _read(path: Path):
    import pandas as pd
    import pvlib

    suffix = path.suffix.lower()
    if path.name.startswith("pvgis_tmy_") and suffix == ".csv":
        return pd.read_csv(path, index_col=0, parse_dates=True)
    if suffix == ".epw":
        return pvlib.iotools.read_epw(str(path))[0]
    if suffix == ".csv":
        return pvlib.iotools.read_tmy3(str(path), map_variables=True)[0]
    raise ValueError(f"unknown weather file type {path.suffix!r}; expected .epw or a TMY3 .csv")


def _parse(path: Path) -> WeatherYear:
    """Read a weather file through pvlib (imports pvlib and pandas) and compute the wet bulb of every hour."""
    try:
        data = _read(path)
    except ValueError:
        raise
    except Exception as exc:  # pvlib and pandas raise many types on malformed files
        raise ValueError(f"cannot read {path.name} as a weather file ({exc.__class__.__name__}: {exc})") from None
    if "atmospheric_pressure" not in data.columns and "pressure" in data.columns:  # read_tmy3: mbar
        data = data.rename(columns={"pressure": "atmospheric_pressure"})
    missing = [c for c in _REQUIRED if c not in data.columns]
    if missing:
        raise ValueError(f"{path.name} lacks the columns {missing}; expected {list(_REQUIRED)} (pvlib names)")
    if len(data) not in (HOURS, HOURS + 24):
        raise ValueError(f"{path.name} has {len(data)} hours; expected a whole year of {HOURS} hourly records")
    data = data.iloc[:HOURS]
    t = data["temp_air"].to_numpy(dtype=float) + 273.15
    rh = data["relative_humidity"].to_numpy(dtype=float) / 100.0
    p = data["atmospheric_pressure"].to_numpy(dtype=float)
    if np.any(~np.isfinite(t)) or np.any(~np.isfinite(rh)) or np.any(~np.isfinite(p)):
        raise ValueError(f"{path.name} has missing values in {list(_REQUIRED)}")
    if np.nanmedian(p) < 2000:  # some files carry mbar/hPa
        p = p * 100.0
    validate_weather(path, t, rh, p)
    rh = np.clip(rh, 0.01, 1.0)
    wb = wet_bulb_kernel(t, rh, p)
    # a typical year is a composite of months from different years: label it as one non-leap year
    time = np.datetime64("2001-01-01T00", "h") + np.arange(HOURS)
    return WeatherYear(path.stem, time, t, wb, rh, p, str(path))


#: Version of the on-disk cache of parsed years; part of the key (bump it if the cache file's layout changes).
CACHE_FORMAT = 1
#: Parsed years kept on disk (~350 kB each): beyond this the least recently written are removed.
CACHE_KEEP = 64
_ARRAYS = ("time", "dry_bulb", "wet_bulb", "relative_humidity", "pressure")


def weather_cache_path(path: Path, content: bytes) -> Path:
    """Where the parsed year of a weather file with this ``content`` is cached: the SHA-256 of the content, of the
    reader (this module) and of the wet-bulb model (``models.thermal.psychrometrics``), so that a change to any
    of them parses the file again."""
    import models.thermal.psychrometrics as psychrometrics

    h = hashlib.sha256(f"facility weather cache {CACHE_FORMAT}\n{path.suffix.lower()}\n"
                       f"{path.name.startswith('pvgis_tmy_')}\n".encode())
    for module in (__file__, psychrometrics.__file__):
        h.update(Path(module).read_bytes())
    h.update(content)
    return _cache_dir() / "weather" / f"{h.hexdigest()}.npz"


def _read_cache(file: Path) -> dict[str, np.ndarray] | None:
    """The arrays of a cached year, or None if there is none or it is not a whole valid year."""
    try:
        with np.load(file, allow_pickle=False) as data:
            arrays = {k: data[k] for k in _ARRAYS}
            if int(data["format"]) != CACHE_FORMAT:
                return None
    except Exception:  # missing, truncated or corrupt (zipfile, numpy and OS errors): parse the file again
        return None
    values = [arrays[k] for k in _ARRAYS[1:]]
    if (arrays["time"].dtype != np.dtype("datetime64[h]") or any(a.shape != (HOURS,) for a in arrays.values())
            or any(a.dtype != np.float64 or not np.all(np.isfinite(a)) for a in values)):
        return None
    return arrays


def _write_cache(file: Path, year: WeatherYear) -> None:
    """Write a parsed year atomically (a temporary file renamed into place); a cache that cannot be written
    (read-only home, full disk) is skipped, never an error."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{file.stem[:16]}.", suffix=".tmp", dir=file.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, format=np.array(CACHE_FORMAT), **{k: getattr(year, k) for k in _ARRAYS})
        os.replace(tmp, file)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        return
    except BaseException:  # Ctrl-C while writing: no temporary file left in the cache
        Path(tmp).unlink(missing_ok=True)
        raise
    try:
        years = sorted(file.parent.glob("*.npz"), key=lambda f: f.stat().st_mtime)
        for old in years[:-CACHE_KEEP]:
            old.unlink(missing_ok=True)
    except OSError:  # another process pruning at the same time
        pass


@lru_cache(maxsize=16)
def _load(path: Path, mtime: float) -> WeatherYear:  # mtime keys the in-process cache on file changes
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read {path.name} ({exc.strerror})") from None
    try:
        file = weather_cache_path(path, content)
    except (OSError, RuntimeError):  # no home directory, or the sources unreadable: no disk cache
        return _parse(path)
    arrays = _read_cache(file)
    if arrays is not None:
        return WeatherYear(path.stem, arrays["time"], arrays["dry_bulb"], arrays["wet_bulb"],
                           arrays["relative_humidity"], arrays["pressure"], str(path))
    year = _parse(path)
    _write_cache(file, year)
    return year


#: Earth's recorded extremes, with which every hour of a weather file must agree: dry bulb -89.2 degC (Vostok,
#: 1983) to 56.7 degC (Death Valley, 1913; WMO Archive of Weather and Climate Extremes), rounded out to -90..60;
#: relative humidity 0..100 %; station pressure 30 kPa (above the highest permanent settlements, ~5,100 m: 53 kPa)
#: to 110 kPa (record sea-level high 108.4 kPa, Agata 1968).
WEATHER_LIMITS = {"dry bulb [degC]": (-90.0, 60.0), "relative humidity [%]": (0.0, 100.0),
                  "pressure [kPa]": (30.0, 110.0)}


def validate_weather(path: Path, dry_bulb: np.ndarray, relative_humidity: np.ndarray, pressure: np.ndarray) -> None:
    """Refuse a weather year outside Earth's recorded extremes (:data:`WEATHER_LIMITS`): ``ValueError`` naming the
    file, the variable, the first bad hour and its value. Inputs: dry bulb [K], RH [-], pressure [Pa]."""
    for (name, (low, high)), values in zip(WEATHER_LIMITS.items(), (dry_bulb - 273.15, relative_humidity * 100.0,
                                                                    pressure / 1e3), strict=True):
        bad = np.flatnonzero((values < low) | (values > high))
        if bad.size:
            i = int(bad[0])
            raise ValueError(f"{path.name}: {name} of {values[i]:.4g} at hour {i + 1} ({bad.size} hours outside); "
                             f"expected {low:g} to {high:g}, Earth's recorded extremes")


def load_weather(weather_path: Path) -> WeatherYear:
    """Load (once) the weather year of a file: 8,760 hours with wet bulb. Raises ValueError with the reason."""
    path = Path(weather_path)
    if not path.is_file():
        raise ValueError(f"weather file {path} does not exist")
    return _load(path, path.stat().st_mtime)
