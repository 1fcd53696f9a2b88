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

from __future__ import annotations  # noqa: I001  (facility.errors first: see below)

# facility.errors first: in the `facility` command it turns Ctrl-C during the slow imports below into one line
from facility.errors import shorten

import functools
import re
from typing import Any

import pint

__all__ = ["MAX_TEXT", "Q_", "UnitParseError", "parse_delta_t", "parse_quantity", "parse_temperature", "read_quantity",
           "ureg"]


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


#: Longest quantity text read [characters]: "1234.5678e-3 delta_degC" is 23; anything longer than this is not a
#: number and a unit (and a long text is where parsers spend their time: the explorer parses uploads).
MAX_TEXT = 100
#: Most digits in the number of a quantity [-]: a float carries 17 significant digits; more is not a measurement.
MAX_DIGITS = 30
_NUMBER = r"[+-]?(?:\d+(?:_\d+)*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,4})?"
_NONFINITE = r"[+-]?(?:nan|inf|infinity)"
#: A unit: names (letters, °, µ, %), joined by "/", "*", "·" or a space, each with an optional small integer power
#: (``^2``, ``**3``, ``^-1``). No numbers outside powers, no brackets, no arithmetic of numbers.
_NAME = r"(?:[A-Za-z_°µμΩ%][A-Za-z_°µμΩ%]*)"
_POWER = r"(?:(?:\^|\*\*)[+-]?\d)?"
#: A reciprocal unit may be written "1/h", "1 / K" or "/ h" (a rate: "0.5 /h", a coefficient: "-0.0035 1/K").
_UNIT = rf"(?:(?:1\s*)?/\s*)?{_NAME}{_POWER}(?:\s*[/*·]?\s*{_NAME}{_POWER})*"
_QUANTITY = re.compile(rf"(?P<number>{_NUMBER}|{_NONFINITE})\s*(?P<unit>{_UNIT})?", re.IGNORECASE)
_NAME_ONLY = re.compile(_UNIT)


@functools.lru_cache(maxsize=512)
def _units(text: str) -> pint.Unit:
    return ureg.parse_units(text)


def read_quantity(text: str) -> pint.Quantity:
    """Read ``"<number> <unit>"`` and nothing else: no arithmetic, no powers of numbers, at most
    :data:`MAX_TEXT` characters and :data:`MAX_DIGITS` digits, checked before anything is parsed.

    >>> read_quantity("34.5 kV"), read_quantity("-5 degC"), read_quantity("1.2e3 kW")
    (<Quantity(34.5, 'kilovolt')>, <Quantity(-5, 'degree_Celsius')>, <Quantity(1200.0, 'kilowatt')>)

    Raises :class:`UnitParseError` (without the dimension check of :func:`parse_quantity`).
    """
    if len(text) > MAX_TEXT:
        raise UnitParseError(f"got a text of {len(text):,} characters; a quantity is a number and a unit of at "
                             f"most {MAX_TEXT} characters")
    stripped = text.strip()
    m = _QUANTITY.fullmatch(stripped)
    if not m:
        why = ("a unit without a number" if _NAME_ONLY.fullmatch(stripped) else
               "it is not one number followed by a unit: no arithmetic, no brackets")
        raise UnitParseError(f"cannot read {shorten(text)} as a quantity ({why})")
    number, unit = m["number"], m["unit"]
    if sum(c.isdigit() for c in number) > MAX_DIGITS:
        raise UnitParseError(f"cannot read {shorten(text)} as a quantity (more than {MAX_DIGITS} digits)")
    if re.fullmatch(_NONFINITE, number, re.IGNORECASE):
        magnitude: int | float = float(number)
    elif re.fullmatch(r"[+-]?\d+(?:_\d+)*", number) and len(number) <= 18:
        magnitude = int(number)
    else:
        magnitude = float(number)
    if unit is None:
        return Q_(magnitude)
    try:
        unit = unit.strip()
        units = _units("1" + unit if unit.startswith("/") else unit)
    except Exception as exc:  # pint raises UndefinedUnitError, DefinitionSyntaxError, ...
        raise UnitParseError(f"cannot read {shorten(text)} as a quantity (unknown unit {unit!r}: "
                             f"{exc.__class__.__name__})") from None
    return Q_(magnitude, units)


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


def parse_quantity(value: Any, dimension: str, *, real_power: bool = False) -> pint.Quantity:
    """Read ``value`` as a Quantity of ``dimension`` (a pint dimensionality string such as ``"[power]"``).

    Accepts a string with its unit written out (``"700 W"``; a number and a unit, nothing else: see
    :func:`read_quantity`) or a Quantity of this registry. A bare number is refused: in this project every
    dimensional value carries its unit. ``real_power``: refuse apparent power (``"300 MVA"`` is not 300 MW).

    Raises :class:`UnitParseError` with a message that says what was wrong and what is expected.
    """
    import numbers

    import numpy as np

    expected = _describe(dimension)
    if isinstance(value, pint.Quantity):
        q = value
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            raise UnitParseError(f"got an empty string; expected {expected}")
        try:
            q = read_quantity(value)
        except UnitParseError as exc:
            raise UnitParseError(f"{exc}; expected {expected}") from None
    elif isinstance(value, bool | np.bool_):
        raise UnitParseError(f"got {value!r}; expected {expected}")
    elif isinstance(value, numbers.Real):
        raise UnitParseError(f"got the bare number {shorten(value)} without a unit; expected {expected}")
    else:
        raise UnitParseError(f"got {type(value).__name__} {shorten(value)}; expected {expected}")
    if not isinstance(q, pint.Quantity) or (q.dimensionless and q.unitless):  # "5": a number, no unit
        raise UnitParseError(f"got {shorten(value)} without a unit; expected {expected}")
    try:
        ok = q.check(dimension)
    except (pint.PintError, KeyError, ValueError):
        ok = False
    if not ok:
        raise UnitParseError(f"got {shorten(value)}, which has dimension {q.dimensionality}; expected {expected}")
    if real_power and any("volt_ampere" in n for n, _ in q.unit_items()):
        raise UnitParseError(f"got {shorten(value)}, an apparent power; expected a real power in W (kW, MW): "
                             "VA is not W unless the power factor is 1")
    try:
        magnitude = np.asarray(q.magnitude)
    except Exception:  # a magnitude numpy cannot hold (an object, a nested ragged list)
        magnitude = np.asarray(None)
    if magnitude.dtype.kind not in "iuf" or not np.all(np.isfinite(magnitude)):
        raise UnitParseError(f"got {shorten(value)}, which is not a finite number; expected {expected}")
    return q


def _is_difference(q: pint.Quantity) -> bool:
    """A temperature difference: in K (or R) or a ``delta_`` unit (``delta_degC``, ``delta_degF``)."""
    names = [name for name, _ in q.unit_items()]
    return len(names) == 1 and (names[0] in ("kelvin", "degree_Rankine") or names[0].startswith("delta_"))


def parse_temperature(value: Any) -> pint.Quantity:
    """Read an absolute temperature (``"35 degC"``, ``"308.15 K"``, ``"95 degF"``); a difference such as
    ``"24 delta_degC"`` is refused: a supply or a limit is a point on a scale."""
    q = parse_quantity(value, "[temperature]")
    names = [name for name, _ in q.unit_items()]
    if any(n.startswith("delta_") for n in names):
        raise UnitParseError(f"got {shorten(value)}, a temperature difference; expected an absolute temperature such "
                             "as \"35 degC\"")
    return q


def parse_delta_t(value, low: float = 0.0, high: float = 60.0, low_open: bool = True) -> pint.Quantity:
    """Read a temperature *difference* (``"10 K"``, ``"10 delta_degC"``, ``"18 delta_degF"``) in (low, high] K
    (``low_open=False``: [low, high] K); returns K.

    An absolute temperature such as ``"10 degC"`` is refused: a rise or an approach is written in K.
    """
    q = parse_quantity(value, "[temperature]")
    if not _is_difference(q):
        raise UnitParseError(f"got {shorten(value)}, an absolute temperature (a point on the {q.units:~C} scale); expected "
                             "a temperature difference in K or delta_degC, e.g. \"10 K\"")
    k = float(q.m_as("K"))
    if not (low < k if low_open else low <= k) or not k <= high:
        raise UnitParseError(f"got {shorten(value)} ({k:.4g} K); expected a temperature difference "
                             f"{'above' if low_open else 'at least'} {low:g} K and at most {high:g} K")
    return Q_(k, "K")


def unit_text(units) -> str:
    """A unit as scenario files write it: compact and ASCII (``kV``, ``m/s``, ``degC``)."""
    return f"{units:~C}".replace("°C", "degC")


def quantity_text(q: pint.Quantity) -> str:
    """A Quantity as scenario files write it, exact on reading back: ``"34.5 kV"``, ``"32.0 degC"``."""
    return f"{q.magnitude!r} {unit_text(q.units)}".strip()
