"""The project's errors: what a user did wrong, and what the physics does not allow.

Both carry the whole story in their message, so that the CLI can print one line and exit with code 2, and the
app can show the message in place.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

__all__ = ["InfeasibleDesign", "ScenarioError", "format_key_path"]


def did_you_mean(word: object, options: Iterable[str]) -> str:
    """``"did you mean 'x'? "`` for the closest option, or ``""`` when none is close."""
    close = difflib.get_close_matches(str(word), sorted(options), n=1)
    return f"did you mean {close[0]!r}? " if close else ""


def format_key_path(loc: Sequence[str | int]) -> str:
    """``("compute", "deployments", 0, "system")`` -> ``"compute.deployments[0].system"``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class ScenarioError(Exception):
    """Bad input: names the file, the key path, what was wrong and what is expected.

    Parameters
    ----------
    message
        What was wrong and what is expected.
    source
        The file (or ``"<Scenario(...)>"`` for a scenario built in code).
    key
        The key path in the scenario, e.g. ``compute.deployments[0].accelerators``.
    problems
        All problems found, each ``(key, message)``; the first is the one in ``message``.
    """

    def __init__(self, message: str, *, source: str | None = None, key: str | None = None,
                 problems: Sequence[tuple[str | None, str]] | None = None) -> None:
        self.message = message
        self.source = source
        self.key = key
        self.problems = list(problems) if problems else [(key, message)]
        super().__init__(self._render())

    def _render(self) -> str:
        parts = [p for p in (self.source, self.key) if p]
        text = ": ".join([*parts, self.message])
        extra = len(self.problems) - 1
        if extra > 0:
            text += f" (and {extra} more problem{'s' if extra > 1 else ''}: " + "; ".join(
                f"{k}: {m}" if k else m for k, m in self.problems[1:4]) + (" ..." if extra > 3 else "") + ")"
        return text


class InfeasibleDesign(Exception):
    """A physically infeasible design: which constraint fails and by how much (in the message)."""
