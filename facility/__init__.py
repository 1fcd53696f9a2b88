"""facility: size the power and cooling of an AI data-center campus from a compute plan and a site.

Public API
----------
- :data:`ureg`, :data:`Q_` — the project's single pint registry.
- :class:`Scenario`, :func:`load_scenario` — scenario files (TOML) and scenarios built in code.
- :func:`it_load` -> :class:`ItLoad` — compute plan to IT load (counts, design/typical power, heat split).
- :func:`load_catalog` -> :class:`Catalog` — the hardware catalog with sources.
- :class:`ScenarioError`, :class:`InfeasibleDesign` — the errors users see.
"""

from facility.units import Q_, ureg  # noqa: I001  (first: it sets pint's application registry)
from facility.catalog import Catalog, load_catalog
from facility.errors import InfeasibleDesign, ScenarioError
from facility.plan import DeploymentLoad, ItLoad, OverheadLoad, it_load
from facility.results import to_json
from facility.scenario import Scenario, load_scenario

__all__ = [
           "Q_",
           "Catalog",
           "DeploymentLoad",
           "InfeasibleDesign",
           "ItLoad",
           "OverheadLoad",
           "Scenario",
           "ScenarioError",
           "it_load",
           "load_catalog",
           "load_scenario",
           "to_json",
           "ureg",
]
__version__ = "0.1.0"
