"""Unit handling for model kernels: Quantities at the edge, SI magnitudes on numpy arrays inside.

The pattern follows MetPy's ``process_units`` and pint's ``wraps``, with one difference that matters to
users: a wrong dimension raises :class:`DimensionError` naming the argument, the unit it needs and what it
got.

Example
-------
>>> from models.units import quantity_io
>>> @quantity_io(power="W", voltage="V", returns="A")
... def current(power, voltage):
...     return power / voltage
>>> import pint; Q_ = pint.get_application_registry().Quantity
>>> current(Q_(700, "W"), Q_(0.8, "V"))
<Quantity(875.0, 'ampere')>
>>> current.kernel(700.0, 0.8)
875.0
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
import pint

__all__ = ["DimensionError", "quantity_io", "registry"]


class DimensionError(ValueError):
    """An argument of a model function has the wrong dimension or lacks units."""


def registry() -> pint.UnitRegistry:
    """The application registry (``facility.units`` makes its own registry the application registry)."""
    return pint.get_application_registry().get()


def _to_si(name: str, value: Any, unit: str, func: str) -> Any:
    ureg = registry()
    if unit in ("", "1", "dimensionless"):
        if isinstance(value, pint.Quantity):
            if not value.dimensionless:
                raise DimensionError(
                    f"{func}(): argument {name!r} must be dimensionless; got {value} "
                    f"of dimension {value.dimensionality}"
                )
            return np.asarray(value.m_as("dimensionless"), dtype=float) if np.ndim(value.m) else float(
                value.m_as("dimensionless"))
        return value
    if not isinstance(value, pint.Quantity):
        raise DimensionError(
            f"{func}(): argument {name!r} needs units of [{unit}] "
            f"(dimension {ureg.get_dimensionality(unit)}); got {value!r} without units"
        )
    try:
        return value.m_as(unit)
    except pint.DimensionalityError:
        raise DimensionError(
            f"{func}(): argument {name!r} needs units of [{unit}] (dimension {ureg.get_dimensionality(unit)}); "
            f"got {value} of dimension {value.dimensionality}"
        ) from None


def _scalar(value: Any) -> Any:
    """0-d results become Python floats (a scalar in, a scalar out)."""
    return float(value) if np.ndim(value) == 0 else value


def _wrap(ureg: pint.UnitRegistry, value: Any, unit: str) -> Any:
    """A dimensionless result stays a plain number; anything else becomes a Quantity."""
    return value if unit in ("", "1", "dimensionless") else ureg.Quantity(value, unit)


def quantity_io(returns: str | tuple[str, ...], **units: str) -> Callable:
    """Decorate a kernel written on SI magnitudes so that it takes and returns Quantities.

    Parameters
    ----------
    returns
        Unit (or tuple of units) of the kernel's output(s), e.g. ``"W"`` or ``("W", "A")``; ``""`` returns a
        plain number (a dimensionless result such as an efficiency).
    **units
        For each argument the kernel receives in SI, the unit it expects, e.g. ``power="W"``;
        ``""`` marks a dimensionless argument (a plain number is accepted). Arguments not named here
        pass through untouched.

    The undecorated kernel is available as ``wrapped.kernel`` for chaining at full speed.
    """

    def decorate(kernel: Callable) -> Callable:
        sig = inspect.signature(kernel)
        unknown = set(units) - set(sig.parameters)
        if unknown:
            raise TypeError(f"quantity_io: {kernel.__name__} has no parameter(s) {sorted(unknown)}")

        @functools.wraps(kernel)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            bound = sig.bind(*args, **kwargs)
            for name, unit in units.items():
                if name in bound.arguments:
                    bound.arguments[name] = _to_si(name, bound.arguments[name], unit, kernel.__name__)
            out = kernel(*bound.args, **bound.kwargs)
            ureg = registry()
            out = tuple(_scalar(o) for o in out) if isinstance(returns, tuple) else _scalar(out)
            if isinstance(returns, tuple):
                return tuple(_wrap(ureg, o, u) for o, u in zip(out, returns, strict=True))
            return _wrap(ureg, out, returns)

        wrapper.kernel = kernel  # type: ignore[attr-defined]
        return wrapper

    return decorate
