"""The base of every scenario section (the scenario itself, ``[swings]``, ``[supply]``): unknown keys refused with
a suggestion, and immutable once validated. A leaf module: :mod:`facility.scenario` imports the sections of
:mod:`facility.swings` and :mod:`facility.supply`, which share this base with it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from facility.errors import ScenarioError, did_you_mean, shorten

__all__ = ["StrictModel"]


class StrictModel(BaseModel):
    """Base: unknown keys are refused with a suggestion; a validated scenario is immutable.

    Assigning to a field (``s.site.grid_voltage = "1 kV"``) would skip the checks across sections (the grid above
    the MV level, systems of the catalog, ...): it raises ``ScenarioError``; build a new scenario instead
    (:meth:`Scenario.from_dict` of :func:`scenario_to_dict` with the change).
    """

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, frozen=True)

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_"):  # private attributes (source, base, catalog) are set once in __init__
            super().__setattr__(name, value)
            return
        raise ScenarioError(f"cannot assign {shorten(value)} to {name!r}: a validated scenario is immutable (its "
                            "sections are checked together); expected a new scenario, e.g. "
                            "Scenario.from_dict(data) with the changed value", key=name)

    def __delattr__(self, name: str) -> None:
        raise ScenarioError(f"cannot delete {name!r}: a validated scenario is immutable", key=name)

    @model_validator(mode="before")
    @classmethod
    def _reject_unknown(cls, data: Any) -> Any:
        if isinstance(data, dict):
            allowed = set(cls.model_fields)
            for key in data:
                if key not in allowed:
                    hint = did_you_mean(str(key), sorted(allowed))
                    raise ValueError(f"@{key}@unknown key {key!r}; {hint}expected one of "
                                     f"{', '.join(sorted(allowed))}")
        elif not isinstance(data, BaseModel):
            raise ValueError(f"got {data!r}; expected a table")
        return data
