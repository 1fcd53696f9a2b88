"""The project's single unit registry.

Everyone imports ``ureg`` and ``Q_`` from here (the app and the CLI too). The registry is also made pint's
*application registry*, so that ``models`` (which must not import ``facility``) builds its output Quantities
in the same registry through :func:`pint.get_application_registry`.

Extra units
-----------
``flop`` (dimension ``[computation]``) and ``FLOPS = flop / second`` so that compute plans are written with
units: ``"989 TFLOPS"``, ``"100 EFLOPS"``.

Temperatures are parsed with their offset (``"35 degC"``) and converted to kelvin inside; differences are
``delta_degC`` or ``K``.
"""

from __future__ import annotations

import functools
from typing import Any

import pint

__all__ = ["Q_", "UnitParseError", "parse_quantity", "ureg"]


def _registry() -> pint.UnitRegistry:
    """pint's registry, its parsed definition files cached on disk (building it from the text takes ~0.2 s, from
    the cache ~0.03 s) under ``$FACILITY_CACHE/pint-<version>`` (default ``~/.cache/facility``, as the weather
    cache). A corrupt cache is removed and rebuilt; where no cache can be written the registry parses the text."""
    import os
    import shutil
    from pathlib import Path

    try:
        root = os.environ.get("FACILITY_CACHE") or Path.home() / ".cache" / "facility"
    except RuntimeError:  # no home directory: no cache
        return pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    folder = Path(root) / f"pint-{pint.__version__}"
    for _ in range(2):
        try:
            return pint.UnitRegistry(autoconvert_offset_to_baseunit=True, cache_folder=folder)
        except Exception:  # flexcache raises what unpickling or writing raises: start the cache again, once
            shutil.rmtree(folder, ignore_errors=True)
    return pint.UnitRegistry(autoconvert_offset_to_baseunit=True)


ureg = _registry()
ureg.define("flop = [computation] = FLOP")
ureg.define("FLOPS = flop / second")
ureg.formatter.default_format = "~P"
# Unit strings ("W", "kV", "m^3/s") are parsed on every conversion; the parse is pure, so it is memoised on this
# registry instance (profiling showed a third of the design time in pint's unit parser).
ureg.parse_units_as_container = functools.lru_cache(maxsize=1024)(ureg.parse_units_as_container)
pint.set_application_registry(ureg)

Q_ = ureg.Quantity


class UnitParseError(ValueError):
    """A value could not be read as a quantity of the expected dimension (the message says why)."""


def _describe(dimension: str) -> str:
    examples = {
        "[power]": '"700 W", "120 kW", "300 MW"',
        "[electric_potential]": '"0.8 V", "480 V", "34.5 kV"',
        "[temperature]": '"35 degC", "308.15 K"',
        "[computation] / [time]": '"362 TFLOPS", "100 EFLOPS"',
        "[current]": '"875 A", "2.4 kA"',
        "[mass]": '"1360 kg"',
    }
    return f"a quantity of dimension {dimension}" + (f" such as {examples[dimension]}" if dimension in examples else "")


def parse_quantity(value: Any, dimension: str) -> pint.Quantity:
    """Read ``value`` as a Quantity of ``dimension`` (a pint dimensionality string such as ``"[power]"``).

    Accepts a string with its unit written out (``"700 W"``) or a Quantity of this registry. A bare number
    is refused: in this project every dimensional value carries its unit.

    Raises :class:`UnitParseError` with a message that says what was wrong and what is expected.
    """
    expected = _describe(dimension)
    if isinstance(value, pint.Quantity):
        q = value
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            raise UnitParseError(f"got an empty string; expected {expected}")
        try:
            q = Q_(text)
        except Exception as exc:  # pint's parser raises many types (TokenError, SyntaxError, KeyError, ...)
            raise UnitParseError(f"cannot read {value!r} as a quantity ({exc}); expected {expected}") from None
    elif isinstance(value, bool):
        raise UnitParseError(f"got {value!r}; expected {expected}")
    elif isinstance(value, (int, float)):
        raise UnitParseError(f"got the bare number {value!r} without a unit; expected {expected}")
    else:
        raise UnitParseError(f"got {type(value).__name__} {value!r}; expected {expected}")
    if not isinstance(q, pint.Quantity) or (q.dimensionless and q.unitless):  # "5": a number, no unit
        raise UnitParseError(f"got {value!r} without a unit; expected {expected}")
    try:
        ok = q.check(dimension)
    except (pint.PintError, KeyError):
        ok = False
    if not ok:
        raise UnitParseError(f"got {value!r}, which has dimension {q.dimensionality}; expected {expected}")
    import numpy as np

    magnitude = np.asarray(q.magnitude)
    if magnitude.dtype.kind not in "iuf" or not np.all(np.isfinite(magnitude)):
        raise UnitParseError(f"got {value!r}, which is not a finite number; expected {expected}")
    return q


def parse_delta_t(value, low: float = 0.0, high: float = 60.0) -> pint.Quantity:
    """Read a temperature *difference* (``"10 K"`` or ``"10 delta_degC"``) in (low, high] K; returns K.

    An absolute temperature such as ``"10 degC"`` is refused: a rise or an approach is written in K.
    """
    q = parse_quantity(value, "[temperature]")
    if q.units not in (ureg.kelvin, ureg.delta_degC):
        raise UnitParseError(f"got {value!r}, an absolute temperature; expected a temperature difference in K, "
                             f"e.g. \"10 K\"")
    k = q.m_as("K")
    if not low < k <= high:
        raise UnitParseError(f"got {value!r}; expected a temperature difference above {low:g} K and at most {high:g} K")
    return Q_(k, "K")


def unit_text(units) -> str:
    """A unit as scenario files write it: compact and ASCII (``kV``, ``m/s``, ``degC``)."""
    return f"{units:~C}".replace("°C", "degC")


def quantity_text(q: pint.Quantity) -> str:
    """A Quantity as scenario files write it, exact on reading back: ``"34.5 kV"``, ``"32.0 degC"``."""
    return f"{q.magnitude!r} {unit_text(q.units)}".strip()
