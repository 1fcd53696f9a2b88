r"""Write the coolant property tables that :mod:`models.thermal.coolant` ships as package data.

Run from the repository root after a CoolProp upgrade or to add a coolant::

    python -m models.thermal.tabulate            # writes models/thermal/data/coolants.npz

For each coolant of :data:`COOLANTS` (water, and propylene / ethylene glycol at 5-60 % by mass) it calls
CoolProp [1]_ once on a 1 K grid from 1 K above the coolant's freezing point to 95 °C at the loop pressure
:data:`PRESSURE` (2 bar) and stores density ``D`` [kg/m³], isobaric specific heat ``C`` [J/(kg·K)], dynamic
viscosity ``V`` [Pa·s] and thermal conductivity ``L`` [W/(m·K)], with the freezing point [K], the pressure [Pa]
and the CoolProp version. Linear interpolation on this grid reproduces CoolProp to better than 2e-5 (relative)
for density, specific heat and conductivity and 3e-3 for viscosity over every range (the worst, 2.4e-3, is the
curvature of the viscosity of 60 % glycol near its freezing point; ``tests/models/thermal/test_coolant.py``
checks every coolant against CoolProp at 20 points across its range).

CoolProp (its import takes ~4 s) is imported inside the functions: :mod:`models.thermal.coolant` reads the
~100 kB file and calls :func:`tabulate` only for a fluid not shipped.

References
----------
.. [1] I. H. Bell, J. Wronski, S. Quoilin, V. Lemort, "Pure and pseudo-pure fluid thermophysical property
   evaluation and the open-source thermophysical property library CoolProp", Ind. Eng. Chem. Res. 53 (2014).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

__all__ = ["COOLANTS", "PRESSURE", "STEP", "T_MAX", "TABLE_FILE", "PROPERTIES", "freezing_point_coolprop",
           "temperature_grid", "tabulate", "write_tables"]

#: Coolants tabulated, as CoolProp names: water (IAPWS-95 via HEOS) and the incompressible aqueous solutions of
#: propylene glycol (MPG) and ethylene glycol (MEG) from 5 to 60 % by mass in 5 % steps (CoolProp's MPG and MEG
#: fits cover 0-60 %). ``pg25`` / ``eg25`` resolve to ``INCOMP::MPG[0.25]`` / ``INCOMP::MEG[0.25]``.
COOLANTS: tuple[str, ...] = ("Water", *(f"INCOMP::{base}[{pct / 100:.2f}]" for base in ("MPG", "MEG")
                                         for pct in range(5, 65, 5)))
#: Loop pressure of the tables [Pa]: a typical secondary-loop pressure (engineering assumption); liquid
#: properties change by < 0.01 % between 1 and 5 bar.
PRESSURE = 2e5
#: Grid step [K]: linear interpolation error scales with its square (see the module docstring for the figures).
STEP = 1.0
#: Upper end of every table [K] (95 °C: above the warmest ASHRAE W+ return of a liquid loop at 2 bar).
T_MAX = 368.15
#: CoolProp output keys stored, in this order, and what ``properties()`` calls them.
PROPERTIES = {"D": "density", "C": "cp", "V": "viscosity", "L": "conductivity"}
TABLE_FILE = Path(__file__).resolve().parent / "data" / "coolants.npz"


def freezing_point_coolprop(name: str) -> float:
    """Freezing point of a coolant from CoolProp [K] (273.15 K for water, whose ``T_freeze`` is not defined)."""
    import CoolProp.CoolProp as CP

    if name in ("Water", "INCOMP::Water"):
        return 273.15
    return float(CP.PropsSI("T_freeze", "T", 300.0, "P", PRESSURE, name))


def temperature_grid(t_freeze: float) -> np.ndarray:
    """The table's temperatures [K]: whole degrees Celsius from 1 K above the freezing point up to :data:`T_MAX`.

    The first point lies at or just below ``t_freeze + 1`` (never below the freezing point itself), so that
    interpolation covers ``[t_freeze + 1, T_MAX]``; for water the grid is 1, 2, ... 95 °C.
    """
    first = np.floor(t_freeze - 273.15 + 1.0 + 1e-9)  # whole degC; 1e-9: water's 1 degC is not floored to 0
    return 273.15 + np.arange(first, T_MAX - 273.15 + STEP / 2, STEP)


def tabulate(name: str) -> tuple[float, np.ndarray, np.ndarray]:
    """Freezing point [K], temperature grid [K] and a (4, n) array of D, C, V, L from CoolProp for ``name``."""
    import CoolProp.CoolProp as CP

    t_freeze = freezing_point_coolprop(name)
    t = temperature_grid(t_freeze)
    values = np.vstack([np.asarray(CP.PropsSI(key, "T", t, "P", PRESSURE, name), dtype=float) for key in PROPERTIES])
    if not np.all(np.isfinite(values)) or np.any(values <= 0):
        raise ValueError(f"CoolProp returned non-physical properties for {name}")
    return t_freeze, t, values


def write_tables(path: Path = TABLE_FILE, coolants: tuple[str, ...] = COOLANTS) -> Path:
    """Tabulate ``coolants`` and write them to ``path`` (``.npz``: names, freezing points, one table each)."""
    import CoolProp

    arrays: dict[str, np.ndarray] = {}
    freeze = []
    for i, name in enumerate(coolants):
        t_freeze, t, values = tabulate(name)
        freeze.append(t_freeze)
        arrays[f"t_{i}"] = t
        arrays[f"props_{i}"] = values
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, names=np.array(coolants), freezing_point=np.array(freeze), pressure=np.array(PRESSURE),
                        properties=np.array(list(PROPERTIES)), coolprop_version=np.array(CoolProp.__version__),
                        **arrays)
    return path


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m models.thermal.tabulate [--out FILE]``."""
    p = argparse.ArgumentParser(prog="python -m models.thermal.tabulate", description=__doc__.split("\n")[0])
    p.add_argument("--out", type=Path, default=TABLE_FILE, help=f"output file (default: {TABLE_FILE})")
    args = p.parse_args(argv)
    out = write_tables(args.out)
    print(f"wrote {len(COOLANTS)} coolants to {out} ({out.stat().st_size / 1024:.0f} kB)")


if __name__ == "__main__":
    main()
