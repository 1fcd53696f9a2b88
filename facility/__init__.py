"""facility: size the power and cooling of an AI data-center campus from a compute plan and a site.

Public API
----------
- :data:`ureg`, :data:`Q_` — the project's single pint registry.
- :class:`Scenario`, :func:`load_scenario` — scenario files (TOML) and scenarios built in code.
- :func:`it_load` -> :class:`ItLoad` — compute plan to IT load (counts, design/typical power, heat split).
- :func:`design_power_chain` -> :class:`PowerDesign` — the power chain grid to chip, sized; arrays via
  :meth:`PowerDesign.evaluate`.
- :func:`design_cooling` -> :class:`CoolingDesign` — loops, heat rejection, chillers, water at design weather
  (:func:`design_conditions`).
- :func:`run` -> :class:`CampusResult` — the whole sizing of a scenario, power and cooling coupled;
  :func:`to_json` its stable JSON; :func:`fit_to_grid` the largest deployment within a grid envelope.
- :func:`simulate_year` -> ``xarray.Dataset`` — a sized campus through its weather year (or a given load
  profile); :func:`annual_kpis` its annual figures. Sweeps: :func:`facility.sweep.sweep` (the module's name, so
  not re-exported here: a package attribute ``sweep`` would shadow or be shadowed by the submodule).
- :func:`load_catalog` -> :class:`Catalog` — the hardware catalog with sources.
- :class:`ScenarioError`, :class:`InfeasibleDesign` — the errors users see.

Start-up
--------
``import facility`` loads only pint and the registry (DESIGN.md, "Start-up"): every other public name is
imported on first use through the module ``__getattr__`` (PEP 562), so ``from facility import run`` loads the
sizing, and CoolProp, pvlib, pandas, xarray, scipy.optimize, dask and streamlit load only where a computation
needs them.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import TYPE_CHECKING, Any


def _import_pint_without_dask() -> None:
    """Import pint without the ``dask.base`` import it makes at import time when dask is installed (~0.1 s).

    ``pint.compat`` imports ``dask.base`` eagerly only to bind ``compute``, ``persist`` and ``visualize`` for the
    dask methods of a Quantity (``pint.facets.dask``). Hiding dask during pint's import and then binding those
    names to lazy equivalents keeps pint's dask support whole (a Quantity wrapping a dask array still computes)
    while ``import facility`` does not load dask (``tests/test_startup.py`` checks both). Nothing is done if pint
    or dask is already imported or ``FACILITY_PINT_WITHOUT_DASK=0`` is set (this is a side effect on pint's
    module state, measured in ``benchmarks/bench_startup.py``). Should a later pint lack ``pint.facets.dask``,
    it is left as if dask were not installed (facility wraps no dask arrays in Quantities).
    """
    if "pint" in sys.modules or "dask" in sys.modules or os.environ.get("FACILITY_PINT_WITHOUT_DASK") == "0":
        return
    sys.modules["dask"] = None  # type: ignore[assignment]  (importlib.util.find_spec("dask") -> None)
    try:
        import pint.compat
        import pint.facets.dask as pint_dask
    except ImportError:  # a pint without this facet: it imported without dask, as it would without dask installed
        return
    finally:
        del sys.modules["dask"]
    if pint.compat.HAS_DASK or not all(hasattr(pint_dask, n) for n in ("compute", "persist", "visualize", "dask_array")):
        return

    class _LazyDaskArray:  # pint's own pattern for dask.array (pint.compat._LazyDaskArray)
        def __getattr__(self, attr: str) -> Any:
            return getattr(importlib.import_module("dask.array"), attr)

    def _lazy(name: str):
        def call(*args, **kwargs):
            return getattr(importlib.import_module("dask.base"), name)(*args, **kwargs)

        call.__name__ = name
        return call

    lazy = {"compute": _lazy("compute"), "persist": _lazy("persist"), "visualize": _lazy("visualize"),
            "dask_array": _LazyDaskArray()}
    for module in (pint.compat, pint_dask):
        for name, value in lazy.items():
            setattr(module, name, value)
    pint.compat.HAS_DASK = True


import facility.errors  # noqa: E402, F401  (first: it installs the CLI's Ctrl-C guard before pint's ~0.3 s import)

_import_pint_without_dask()

from facility.units import Q_, ureg  # noqa: E402  (first of the package: it sets pint's application registry)

#: Public name -> the module that defines it, imported on first use (PEP 562).
_LAZY = {
    "Catalog": "facility.catalog", "load_catalog": "facility.catalog",
    "InfeasibleDesign": "facility.errors", "ScenarioError": "facility.errors",
    "DeploymentLoad": "facility.plan", "ItLoad": "facility.plan", "OverheadLoad": "facility.plan",
    "it_load": "facility.plan",
    "PowerDesign": "facility.power", "StageResult": "facility.power", "design_power_chain": "facility.power",
    "CampusResult": "facility.campus", "fit_to_grid": "facility.campus", "run": "facility.campus",
    "CoolingDesign": "facility.cooling", "design_cooling": "facility.cooling",
    "DesignConditions": "facility.design_conditions", "design_conditions": "facility.design_conditions",
    "to_json": "facility.results",
    "simulate_year": "facility.simulate", "annual_kpis": "facility.simulate",
    "Scenario": "facility.scenario", "load_scenario": "facility.scenario",
}

if TYPE_CHECKING:  # for type checkers and IDEs: the same names, eagerly
    from facility.campus import CampusResult, fit_to_grid, run
    from facility.catalog import Catalog, load_catalog
    from facility.cooling import CoolingDesign, design_cooling
    from facility.design_conditions import DesignConditions, design_conditions
    from facility.errors import InfeasibleDesign, ScenarioError
    from facility.plan import DeploymentLoad, ItLoad, OverheadLoad, it_load
    from facility.power import PowerDesign, StageResult, design_power_chain
    from facility.results import to_json
    from facility.scenario import Scenario, load_scenario
    from facility.simulate import annual_kpis, simulate_year


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'facility' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # once: later lookups do not come here
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = ["ureg", "Q_", "Scenario", "load_scenario", "it_load", "ItLoad", "DeploymentLoad", "OverheadLoad",
           "design_power_chain", "PowerDesign", "StageResult", "run", "CampusResult", "to_json", "fit_to_grid",
           "design_cooling", "CoolingDesign", "design_conditions", "DesignConditions",
           "Catalog", "load_catalog", "ScenarioError", "InfeasibleDesign", "simulate_year", "annual_kpis"]
__version__ = "0.1.0"
