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
- :func:`load_catalog` -> :class:`Catalog` — the hardware catalog with sources.
- :class:`ScenarioError`, :class:`InfeasibleDesign` — the errors users see.
"""

from facility.units import Q_, ureg  # noqa: I001  (first: it sets pint's application registry)
from facility.catalog import Catalog, load_catalog
from facility.errors import InfeasibleDesign, ScenarioError
from facility.plan import DeploymentLoad, ItLoad, OverheadLoad, it_load
from facility.power import PowerDesign, StageResult, design_power_chain
from facility.campus import CampusResult, fit_to_grid, run
from facility.cooling import CoolingDesign, design_cooling
from facility.design_conditions import DesignConditions, design_conditions
from facility.results import to_json
from facility.scenario import Scenario, load_scenario

__all__ = ["ureg", "Q_", "Scenario", "load_scenario", "it_load", "ItLoad", "DeploymentLoad", "OverheadLoad",
           "design_power_chain", "PowerDesign", "StageResult", "run", "CampusResult", "to_json", "fit_to_grid",
           "design_cooling", "CoolingDesign", "design_conditions", "DesignConditions",
           "Catalog", "load_catalog", "ScenarioError", "InfeasibleDesign"]
__version__ = "0.1.0"
