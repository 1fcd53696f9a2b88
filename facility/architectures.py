"""Power architectures as data: the stage lists of ``facility/architectures.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["StageSpec", "architectures", "architecture_stages", "ZONES", "SYSTEMS"]

ZONES = ("trunk", "it", "rack", "mechanical")
SYSTEMS = ("ac3", "dc")


@dataclass(frozen=True)
class StageSpec:
    """One stage of an architecture, as data."""

    id: str
    name: str
    zone: str
    equipment: str
    system: str
    voltage_out: str
    redundancy: str


@cache
def architectures() -> dict[str, dict[str, Any]]:
    """The architectures as data (read once from ``facility/architectures.toml``)."""
    raw = tomllib.loads((Path(__file__).parent / "architectures.toml").read_text())
    return raw


def architecture_stages(name: str) -> tuple[list[StageSpec], list[StageSpec], float]:
    """``(stages grid->chip, mechanical branch stages, power factor)`` of an architecture.

    An unknown ``name`` is a :class:`ValueError` that lists the known ones."""
    known = architectures()
    if name not in known:
        raise ValueError(f"unknown power architecture {name!r}; expected one of {sorted(known)}")
    a = known[name]
    stages = [StageSpec(**s) for s in a["stages"]]
    mech = [StageSpec(**s) for s in a.get("mechanical", [])]
    return stages, mech, float(a["power_factor"]["value"])


