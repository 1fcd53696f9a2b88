"""Argument checks of the library's public functions: types and dimensions, refused with ``ScenarioError``.

MetPy's habit (STYLE.md): a public function says which argument is wrong and what it needs; the kernel
underneath never sees a wrong type, a bare number taken for watts, a NaN or a negative load.

>>> scenario_arg("default.toml", "run")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
facility.errors.ScenarioError: run(scenario): got str 'default.toml'; expected a Scenario (load a file with ...)
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pint

from facility.errors import ScenarioError, shorten

__all__ = ["envelope_arg", "index_arg", "power_arg", "scenario_arg", "variations_arg"]


def _show(value: Any) -> str:
    """A value for a message: a Quantity as ``1e+30 MW``, anything else as a short repr."""
    if isinstance(value, pint.Quantity) and np.ndim(value.magnitude) == 0:
        return f"{value.magnitude:g} {value.units:~}"
    return shorten(value, 40)


def _fail(func: str, name: str, message: str) -> ScenarioError:
    return ScenarioError(message, key=f"{func}({name})")


def scenario_arg(scenario: Any, func: str) -> Any:
    """``scenario`` if it is a validated :class:`facility.Scenario`."""
    from facility.scenario import Scenario

    if not isinstance(scenario, Scenario):
        hint = (" (load a file with facility.load_scenario(path))" if isinstance(scenario, str | bytes)
                or hasattr(scenario, "__fspath__") else "")
        raise _fail(func, "scenario", f"got {type(scenario).__name__} {shorten(scenario, 40)}; expected a "
                    f"Scenario{hint}")
    return scenario


def power_arg(value: Any, name: str, func: str, *, optional: bool = False) -> np.ndarray | None:
    """A real power Quantity (scalar or array) as finite, non-negative watts; ``None`` allowed if ``optional``."""
    from facility.units import UnitParseError, parse_quantity

    if value is None:
        if optional:
            return None
        raise _fail(func, name, "got None; expected a power Quantity such as Q_(100, 'MW') [W]")
    if not isinstance(value, pint.Quantity):
        raise _fail(func, name, f"got {type(value).__name__} {_show(value)}; expected a power Quantity "
                    "such as Q_(100, 'MW') (a bare number has no unit) [W]")
    try:
        q = parse_quantity(value, "[power]", real_power=True)
    except UnitParseError as exc:
        raise _fail(func, name, str(exc)) from None
    w = np.asarray(q.m_as("W"), dtype=float)
    if np.any(w < 0):
        raise _fail(func, name, f"got {_show(value)}; expected a power of at least 0 W (a load draws power)")
    return w


def envelope_arg(value: Any, func: str, high_w: float) -> float:
    """A grid envelope: one real power above 0 and at most ``high_w`` [W]."""
    w = power_arg(value, "envelope", func)
    if np.ndim(w) != 0 or not 0 < float(w) <= high_w:
        raise _fail(func, "envelope", f"got {_show(value)}; expected one power above 0 W and at most "
                    f"{high_w / 1e9:g} GW (the campus sizes this tool plans, with cooling and losses)")
    return float(w)


def index_arg(value: Any, name: str, func: str, size: int) -> int:
    """A whole-number index (Python or numpy) into a list of ``size`` items."""
    if (not isinstance(value, numbers.Integral) or isinstance(value, bool | np.bool_)
            or not 0 <= int(value) < size):
        raise _fail(func, name, f"got {_show(value)}; expected a whole number from 0 to {size - 1}")
    return int(value)


def number_arg(value: Any, name: str, func: str, low: float, high: float, *, low_open: bool = False) -> float:
    """A real number (Python or numpy, not a bool) in ``[low, high]`` (``(low, high]`` if ``low_open``)."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool | np.bool_) or not math.isfinite(float(value)):
        raise _fail(func, name, f"got {_show(value)}; expected a number")
    x = float(value)
    if x < low or x > high or (low_open and x == low):
        raise _fail(func, name, f"got {_show(value)}; expected a number {'above' if low_open else 'from'} "
                    f"{low:g} {'and at most' if low_open else 'to'} {high:g}")
    return x


def variations_arg(variations: Any, func: str) -> Mapping[str, Sequence[Any]]:
    """A sweep's variations: key paths to lists of values (a string is one value, not a list of characters)."""
    if not isinstance(variations, Mapping):
        raise _fail(func, "variations", f"got {type(variations).__name__}; expected a dict of key path -> list of "
                    "values, e.g. {'cooling.tcs_supply': ['30 degC', '35 degC']}")
    for key, values in variations.items():
        if not isinstance(key, str):
            raise _fail(func, "variations", f"got the key {shorten(key, 40)}; expected a key path such as "
                        "'cooling.tcs_supply'")
        if isinstance(values, pint.Quantity) and np.ndim(values.magnitude) >= 1:
            continue
        if isinstance(values, str | bytes | Mapping) or not isinstance(values, Sequence | np.ndarray):
            raise ScenarioError(f"got {shorten(values, 40)}; expected a list of values, e.g. [{shorten(values, 40)}]",
                                key=key)
    return variations
