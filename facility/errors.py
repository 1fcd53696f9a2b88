"""The project's errors: what a user did wrong, and what the physics does not allow.

Both carry the whole story in their message, so that the CLI can print one line and exit with code 2, and the
app can show the message in place.
"""

from __future__ import annotations

import difflib
import os
import signal
import sys
import threading
from collections.abc import Iterable, Sequence


def _interrupt_guard() -> None:
    """In the ``facility`` command only (not in a library user's process): Ctrl-C while the package is still being
    imported prints one line and exits with 130 instead of a traceback. :func:`facility.cli.main` then puts
    Python's own handler back and turns Ctrl-C into one line itself. (This module is among the first the package
    imports, so the window left is Python's start-up and pint's import.)"""
    if os.path.basename(sys.argv[0] if sys.argv else "") != "facility":
        return
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        return

    def interrupted(_signum, _frame) -> None:
        os.write(2, b"facility: interrupted\n")
        os._exit(130)

    signal.signal(signal.SIGINT, interrupted)


_interrupt_guard()

__all__ = ["MAX_MESSAGE", "InfeasibleDesign", "ScenarioError", "format_key_path", "shorten"]

#: Longest error message [characters]: a message is one line on a terminal, never an echo of a huge input.
MAX_MESSAGE = 2000


def did_you_mean(word: object, options: Iterable[str]) -> str:
    """``"did you mean 'x'? "`` for the closest option, or ``""`` when none is close."""
    close = difflib.get_close_matches(str(word), sorted(options), n=1)
    return f"did you mean {close[0]!r}? " if close else ""


def shorten(value: object, n: int = 60) -> str:
    """``repr(value)`` cut to ``n`` characters for a message (a 50 MB value is not echoed back).

    >>> shorten("x" * 100, 10)
    "'xxxxxxxxx... (102 characters)"
    """
    text = repr(value)
    return text if len(text) <= n else f"{text[:n]}... ({len(text):,} characters)"


def _one_line(text: str) -> str:
    """A message on one line, at most :data:`MAX_MESSAGE` characters."""
    text = " ".join(text.split())
    return text if len(text) <= MAX_MESSAGE else f"{text[:MAX_MESSAGE]}... (message cut at {MAX_MESSAGE:,} characters)"


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
        super().__init__(_one_line(self._render()))

    def _render(self) -> str:
        parts = [p for p in (self.source, self.key) if p]
        text = ": ".join([*parts, self.message])
        extra = len(self.problems) - 1
        if extra > 0:
            text += f" (and {extra} more problem{'s' if extra > 1 else ''}: " + "; ".join(
                f"{k}: {m}" if k else m for k, m in self.problems[1:4]) + (" ..." if extra > 3 else "") + ")"
        return text


class InfeasibleDesign(Exception):
    """A physically infeasible design: which constraint fails and by how much (in the message).

    ``source`` (the scenario file) and ``key`` (the input that decides the constraint) are added where they are
    known, e.g. by :func:`located` in the CLI: ``default.toml: cooling.tcs_supply: chip case temperature ...``.
    """

    def __init__(self, message: str, *, source: str | None = None, key: str | None = None) -> None:
        self.message = message
        self.source = source
        self.key = key
        super().__init__(_one_line(": ".join(p for p in (source, key, message) if p)))


#: Which scenario key decides a constraint, by a phrase of the constraint's message (engineering reading of the
#: checks in facility.cooling and facility.campus).
INFEASIBLE_KEYS = (
    ("has no chiller", "cooling.heat_rejection"),
    ("facility water would return", "cooling.facility_delta_t"),
    ("case temperature", "cooling.tcs_supply"),
    ("one rack already needs", "--grid"),
)


def located(exc: InfeasibleDesign, source: str | None) -> InfeasibleDesign:
    """``exc`` with the scenario file and the deciding key named (unchanged if it names them already)."""
    if exc.source and exc.key:
        return exc
    key = exc.key or next((k for phrase, k in INFEASIBLE_KEYS if phrase in exc.message), None)
    return InfeasibleDesign(exc.message, source=exc.source or source, key=key)
