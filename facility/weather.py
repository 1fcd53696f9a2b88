"""Weather years: bundled sites, user EPW / TMY3 files, and PVGIS typical years fetched and cached on disk.

Everything is read through ``pvlib.iotools`` and renamed to pvlib's nomenclature (``temp_air`` [°C],
``relative_humidity`` [%], ``atmospheric_pressure`` [Pa]); the wet bulb for all hours is computed in one
vectorised pass (:func:`models.thermal.psychrometrics.wet_bulb_kernel`). A weather year is cached in memory after
its first load (keyed by path and modification time).

``site.weather`` may be a bundled name, a path to an ``.epw`` or TMY3 ``.csv`` file, or ``pvgis:LAT,LON``: a
typical year from the EU JRC PVGIS service (``pvlib.iotools.get_pvgis_tmy``), fetched once where the machine is
online and cached under ``$FACILITY_CACHE`` (default ``~/.cache/facility``); offline, a cached year is used and a
missing one is a clear error.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from models.thermal.psychrometrics import wet_bulb_kernel

__all__ = ["WeatherYear", "load_weather", "pvgis_cache_path", "fetch_pvgis", "validate_weather", "HOURS"]

HOURS = 8760
_REQUIRED = ("temp_air", "relative_humidity", "atmospheric_pressure")
_PVGIS = re.compile(r"^pvgis:\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")


@dataclass(frozen=True)
class WeatherYear:
    """One weather year on SI arrays of 8,760 hours: dry bulb [K], wet bulb [K], RH [-], pressure [Pa]."""

    name: str
    time: np.ndarray  # datetime64[h], naive local standard time of the file
    dry_bulb: np.ndarray
    wet_bulb: np.ndarray
    relative_humidity: np.ndarray
    pressure: np.ndarray
    source: str


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


@lru_cache(maxsize=16)
def _load(path: Path, mtime: float) -> WeatherYear:  # mtime keys the cache on file changes
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
