"""A heat-rejection plant as a structured value: an economiser device and a trim.

In a scenario::

    heat_rejection = { economiser = "dry-cooler", trim = "chiller" }   # structured
    heat_rejection = "dry-cooler+chiller"                              # the same plant, as text

The economiser is any heat-rejection kind of the component registry (:data:`models.registry.HEAT_REJECTION`:
``dry-cooler``, ``adiabatic``, ``cooling-tower``, ...) or none; the trim is ``"chiller"`` or none; at least one of
the two. The text form joins them with ``+`` in any order. The plant is parsed here once; its text form
(:meth:`Plant.__str__`, economiser first) is what JSON outputs and TOML files carry.

>>> p = parse_plant("chiller+dry-cooler")
>>> p.economiser, p.trim, str(p), p == {"economiser": "dry-cooler", "trim": "chiller"}
('dry-cooler', 'chiller', 'dry-cooler+chiller', True)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from facility.errors import did_you_mean
from models.registry import HEAT_REJECTION

__all__ = ["Plant", "parse_plant", "TRIMS", "plant_kinds"]

#: Trim devices in series after the economiser.
TRIMS = ("chiller",)


def plant_kinds() -> tuple[str, ...]:
    """Every part a plant may name: the registered economiser kinds and the trims."""
    return (*HEAT_REJECTION, *TRIMS)


@dataclass(frozen=True, eq=False)
class Plant:
    """A heat-rejection plant: ``economiser`` (a registered device kind or ``None``) and ``trim`` (``"chiller"``
    or ``None``). Equal to its text form and to its mapping form."""

    economiser: str | None
    trim: str | None

    def __str__(self) -> str:
        return "+".join(p for p in (self.economiser, self.trim) if p)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str | Mapping):
            try:
                other = parse_plant(other)
            except ValueError:
                return False
        if not isinstance(other, Plant):
            return NotImplemented
        return (self.economiser, self.trim) == (other.economiser, other.trim)

    def __hash__(self) -> int:
        return hash((self.economiser, self.trim))

    @property
    def parts(self) -> tuple[str, ...]:
        """The devices of the plant, economiser first."""
        return tuple(p for p in (self.economiser, self.trim) if p)

    def as_dict(self) -> dict[str, str]:
        """The mapping form (keys of the parts present)."""
        return {k: v for k, v in (("economiser", self.economiser), ("trim", self.trim)) if v}


def parse_plant(value: Any) -> Plant:
    """A plant from its text (``"dry-cooler+chiller"``), its mapping (``{economiser = ..., trim = ...}``) or a
    :class:`Plant`; ValueError naming what was wrong and what is expected."""
    if isinstance(value, Plant):
        return value
    kinds = plant_kinds()
    if isinstance(value, Mapping):
        extra = set(value) - {"economiser", "trim"}
        if extra:
            raise ValueError(f"got keys {sorted(map(str, extra))}; a plant has 'economiser' and 'trim', e.g. "
                             "{ economiser = \"dry-cooler\", trim = \"chiller\" }")
        econ, trim = value.get("economiser"), value.get("trim")
        for key, v, allowed in (("economiser", econ, tuple(HEAT_REJECTION)), ("trim", trim, TRIMS)):
            if v is not None and (not isinstance(v, str) or v.strip() not in allowed):
                raise ValueError(f"{key} = {v!r}; {did_you_mean(str(v), allowed)}expected one of "
                                 f"{', '.join(allowed)}")
        econ = econ.strip() if econ else None
        trim = trim.strip() if trim else None
        if econ is None and trim is None:
            raise ValueError("a plant needs an economiser, a trim or both")
        return Plant(econ, trim)
    if not isinstance(value, str):
        raise ValueError(f"got {value!r}; expected a text like 'dry-cooler+chiller' or "
                         "{ economiser = \"dry-cooler\", trim = \"chiller\" }")
    parts = [p.strip() for p in value.split("+")]
    for p in parts:
        if p not in kinds:
            hint = did_you_mean(p, kinds)
            raise ValueError(f"got {value!r}: {p!r} is not a heat-rejection type; {hint}expected "
                             f"{', '.join(kinds)} joined by '+', e.g. 'dry-cooler+chiller'")
    if len(set(parts)) != len(parts):
        raise ValueError(f"got {value!r}; a heat-rejection type appears twice")
    econ = [p for p in parts if p not in TRIMS]
    if len(econ) > 1:
        raise ValueError(f"got {value!r}; expected at most one of {', '.join(HEAT_REJECTION)} "
                         "(optionally with chiller)")
    return Plant(econ[0] if econ else None, next((p for p in parts if p in TRIMS), None))
