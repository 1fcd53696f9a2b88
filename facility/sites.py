"""Bundled weather sites and the resolution of ``site.weather`` to a file.

A scenario's ``site.weather`` is a bundled site name (or one of its aliases), a path to an EPW / TMY3 file (a
relative path is taken relative to the scenario file's folder), or ``pvgis:LAT,LON`` (see :mod:`facility.weather`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from facility.errors import did_you_mean, shorten
from facility.weather import PVGIS, fetch_pvgis, pvgis_cache_path

__all__ = ["Site", "bundled_sites", "resolve_weather"]

_DATA = Path(__file__).parent / "data" / "weather"
#: Longest ``site.weather`` text [characters]: Linux's PATH_MAX is 4,096 (and a file name at most 255).
MAX_PATH = 4096


@dataclass(frozen=True)
class Site:
    """A bundled weather site: name, EPW file, description and aliases."""

    name: str
    path: Path
    description: str
    aliases: tuple[str, ...]


@cache
def bundled_sites() -> dict[str, Site]:
    """The bundled sites by canonical name."""
    raw = tomllib.loads((Path(__file__).parent / "sites.toml").read_text())
    return {name: Site(name, _DATA / d["file"], d["description"], tuple(d.get("aliases", ())))
            for name, d in raw.items()}


def resolve_weather(value: str, base: Path | None = None) -> tuple[str, Path]:
    """Resolve ``site.weather`` to ``(site name, file path)``.

    Raises ``ValueError`` with the list of bundled names (and a close match) when ``value`` is neither a
    bundled site nor an existing file.
    """
    if not isinstance(value, str):
        raise ValueError(f"got {shorten(value)}; expected a bundled site name or the path of a weather file")
    if len(value) > MAX_PATH or "\x00" in value:
        raise ValueError(f"got {shorten(value)} ({len(value):,} characters); expected a bundled site name or the "
                         f"path of a weather file (at most {MAX_PATH:,} characters, no NUL)")
    key = value.strip().lower()
    m = PVGIS.match(key)
    if m:
        lat, lon = float(m[1]), float(m[2])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"{value!r}: latitude must lie in -90..90 and longitude in -180..180")
        cached = pvgis_cache_path(lat, lon)
        if not cached.is_file():
            try:
                fetch_pvgis(lat, lon)
            except Exception as exc:  # offline, service error: say so
                raise ValueError(f"{value!r}: no cached PVGIS year at {cached} and fetching it failed "
                                 f"({exc.__class__.__name__}: {exc}); expected a machine online once, or a "
                                 "bundled site or a weather file") from None
        return f"pvgis {lat:.3f},{lon:.3f}", cached
    for site in bundled_sites().values():
        if key == site.name or key in site.aliases:
            return site.name, site.path
    path = Path(value).expanduser()
    if not path.is_absolute() and base is not None:
        path = base / path
    try:
        if path.is_file():
            return path.stem, path
        folder = path.is_dir()
    except OSError as exc:  # a name too long for the file system, a permission denied on the way
        raise ValueError(f"{shorten(value)} is not a bundled site and cannot be looked up as a file ({exc.strerror}); "
                         "expected a bundled site name or the path of a weather file") from None
    if folder:
        raise ValueError(f"{shorten(value)} is a folder; expected a bundled site name or an EPW / TMY3 file")
    names = sorted(bundled_sites())
    aliases = names + [a for s in bundled_sites().values() for a in s.aliases]
    hint = did_you_mean(key, aliases)
    raise ValueError(f"{shorten(value)} is neither a bundled site nor an existing weather file; {hint}"
                     f"expected one of {', '.join(names)} or a path to an EPW / TMY3 file")
