"""Physical ranges of every numeric input, as data: one table for the scenario keys, one for the catalog fields.

A value outside its range is refused before anything is computed, with a message that names the value, the range
and the reason for it (the scenario loader adds the file and the key path). The kernels underneath never see a
zero efficiency, a zero voltage, an overflowing count or a temperature at which the coolant boils.

Campus size this tool is for
----------------------------
From one hall to a campus of at most :data:`MAX_ACCELERATORS` = 5 million accelerators and
:data:`MAX_IT_POWER_W` = 10 GW of design IT power. The largest campuses announced (2025) plan 1-5 GW and around
one million accelerators, so the ceilings leave a factor of 2-5 for planning studies while keeping every count
and power far inside the range where floats and integers are exact (and a sweep's memory is bounded).

>>> SCENARIO["site.grid_voltage"].text()
'from 1 kV to 1200 kV'
>>> check_number(0.0, CATALOG["fan_efficiency"])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ValueError: got 0.0; expected above 0 and at most 1 (an efficiency: ...)
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any

from facility.errors import shorten

__all__ = ["CATALOG", "MAX_ACCELERATORS", "MAX_IT_POWER_W", "SCENARIO", "Bound", "check_number",
           "check_quantity"]

#: Most accelerators of one campus [-] (see the module docstring).
MAX_ACCELERATORS = 5_000_000
#: Most design IT power of one campus [W] (see the module docstring).
MAX_IT_POWER_W = 10e9


@dataclass(frozen=True)
class Bound:
    """A physical range ``low .. high`` in ``unit`` (``""``: a plain number), each end open or closed, and why."""

    low: float | None
    high: float | None
    unit: str
    reason: str
    low_open: bool = False
    high_open: bool = False

    def text(self) -> str:
        """The range in words: ``"from 1 kV to 1200 kV"``, ``"above 0 V and at most 10,000 kV"``."""
        u = f" {self.unit}" if self.unit else ""
        lo = None if self.low is None else f"{_number_text(self.low)}{u}"
        hi = None if self.high is None else f"{_number_text(self.high)}{u}"
        if lo is not None and hi is not None:
            if not self.low_open and not self.high_open:
                return f"from {lo} to {hi}"
            return (f"{'above' if self.low_open else 'at least'} {lo} and "
                    f"{'below' if self.high_open else 'at most'} {hi}")
        if lo is not None:
            return f"{'above' if self.low_open else 'at least'} {lo}"
        return f"{'below' if self.high_open else 'at most'} {hi}"

    def contains(self, x: float) -> bool:
        if not math.isfinite(x):
            return False
        if self.low is not None and (x < self.low or (self.low_open and x == self.low)):
            return False
        return not (self.high is not None and (x > self.high or (self.high_open and x == self.high)))


def _number_text(x: float) -> str:
    """``1200``, ``0.3``, ``5,000,000``, ``1e+23``: thousands separated from 10,000 on."""
    return f"{x:,.0f}" if 1e4 <= abs(x) < 1e16 and x == int(x) else f"{x:.10g}"


def _clip(value: Any, n: int = 60) -> str:
    return f"{value:~P}" if hasattr(value, "units") else shorten(value, n)


def check_number(value: float, bound: Bound, shown: Any = None) -> float:
    """``value`` (in ``bound.unit``) if it lies in ``bound``; else ``ValueError`` naming value, range and reason."""
    x = float(value)
    if not bound.contains(x):
        raise ValueError(f"got {_clip(value if shown is None else shown)}; expected {bound.text()} ({bound.reason})")
    return x


def check_quantity(q: Any, bound: Bound, shown: Any = None) -> Any:
    """A pint Quantity checked against ``bound`` (converted to ``bound.unit``; arrays element by element)."""
    import numpy as np
    import pint

    try:
        x = np.asarray(q.m_as(bound.unit), dtype=float)
    except pint.PintError:  # e.g. a temperature difference where a temperature is meant
        raise ValueError(f"got {_clip(shown if shown is not None else q)}; expected a quantity in {bound.unit} "
                         f"{bound.text()} ({bound.reason})") from None
    for v in x.ravel():
        if not bound.contains(float(v)):
            raise ValueError(f"got {_clip(shown if shown is not None else q)}; expected {bound.text()} "
                             f"({bound.reason})")
    return q


def is_number(value: Any) -> bool:
    """A real number (Python or numpy, not a bool)."""
    import numpy as np

    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


_CEILING = f"the tool plans campuses of at most {MAX_ACCELERATORS:,} accelerators and {MAX_IT_POWER_W / 1e9:g} GW"
_EFF = "an efficiency: 0 gives no flow and a division by zero, above 1 creates energy"
_RISE = ("0 K needs an infinite flow, and below 1 K the flow is 5-15 times that of real loops (design rises of "
         "5-15 K: ASHRAE TC 9.9 Liquid Cooling Guidelines; chilled water 5.6-8 K, ASHRAE Handbook HVAC Systems "
         "2020 ch. 13), where the pipes, pumps and heat exchangers sized for it leave every catalog range; an "
         "engineering floor")

#: Scenario keys (``[]`` stands for any list index or table key) -> range.
SCENARIO: dict[str, Bound] = {
    "site.grid_voltage": Bound(1, 1200, "kV", "transmission and sub-transmission voltages; the highest AC line in "
                               "service runs at 1,150 kV"),
    "power.mv_voltage": Bound(4, 69, "kV", "a medium voltage: the distribution classes of ANSI C84.1, 4.16 to 69 kV"),
    "power.stages[].voltage_out": Bound(0.3, 1e6, "V", "from the ~0.5-1 V core rail of a chip to 1,000 kV "
                                        "transmission; 0 or a negative voltage carries no power"),
    "compute.deployments[].accelerators": Bound(1, MAX_ACCELERATORS, "", _CEILING),
    "compute.deployments[].nodes": Bound(1, MAX_ACCELERATORS, "", _CEILING),
    "compute.deployments[].racks": Bound(1, 1_000_000, "", _CEILING + " (1,000,000 racks of 10 kW)"),
    "compute.deployments[].pods": Bound(1, 100_000, "", _CEILING),
    "compute.deployments[].compute_target": Bound(0, 1e23, "FLOPS", "5 million accelerators of 20 PFLOPS; "
                                                  + _CEILING, low_open=True),
    "compute.halls.count": Bound(1, 10_000, "", "a campus of 10,000 halls is beyond " + _CEILING),
    "compute.halls.racks_per_hall": Bound(1, 1_000_000, "", _CEILING),
    "compute.halls.it_capacity": Bound(10, MAX_IT_POWER_W / 1e3, "kW", "from one rack (10 kW) to the whole "
                                       "campus; " + _CEILING),
    "cooling.tcs_supply": Bound(-40, 70, "degC", "a liquid-cooling supply up to 70 degC (ASHRAE classes W17-W45, W+ "
                                "above 45 degC), above the freezing and below the boiling point of the coolants"),
    "cooling.tcs_delta_t": Bound(1, 40, "K", "a loop rise: " + _RISE + ", above 40 K leaves the coolant's liquid "
                                 "range at the supply temperatures allowed"),
    "cooling.facility_delta_t": Bound(1, 40, "K", "a loop rise: " + _RISE + ", above 40 K leaves the coolant's "
                                      "liquid range"),
    "cooling.chw_delta_t": Bound(1, 40, "K", "a loop rise: " + _RISE),
    "cooling.tcs_pressure_drop": Bound(0, 1000, "kPa", "above 1 MPa exceeds the PN10 rating of standard hydronic "
                                       "components; 0 is no flow path", low_open=True),
    "cooling.facility_pressure_drop": Bound(0, 1000, "kPa", "above 1 MPa exceeds the PN10 rating of standard "
                                            "hydronic components; 0 is no flow path", low_open=True),
    "cooling.pipe_length": Bound(1, 50_000, "m", "equivalent length of campus mains: 50 km is ten times the "
                                 "largest campus's extent"),
    "cooling.pipe_velocity": Bound(0.5, 5, "m/s", "below 0.5 m/s air and dirt settle, above 5 m/s erosion and noise "
                                   "(ASHRAE Fundamentals 2017 Ch. 22)"),
    "cooling.pipe_friction_rate": Bound(50, 2000, "Pa/m", "friction rates of water mains: ASHRAE Fundamentals 2017 "
                                        "Ch. 22 sizes at 100-400 Pa/m; beyond 2 kPa/m pumps dominate the loop"),
    "cooling.pump_efficiency": Bound(0.2, 0.95, "", "wire-to-water efficiency of real pumps (ASHRAE HVAC Systems "
                                     "and Equipment Ch. 44)"),
    "cooling.air_supply": Bound(15, 35, "degC", "ASHRAE TC 9.9 allowable supply air classes A1-A4 lie within 5-45 "
                                "degC; CRAH supply in practice 15-35 degC"),
    "cooling.house_load_fraction": Bound(0, 0.2, "", "lighting, offices and controls are a few percent of IT"),
    "load.level": Bound(0.01, 1, "", "a fraction of design IT power: at 0 the annual PUE and WUE are undefined "
                        "(0/0), and below 1 % the campus idles rather than operates, its fixed loads (house, pumps and "
                        "fans at their minimum) swamping the IT load; an engineering floor"),
    "load.checkpoint_interval": Bound(1, 8760, "h", "from every hour to once a year"),
    "load.checkpoint_depth": Bound(0, 1, "", "a fraction of the load"),
    "load.daily_amplitude": Bound(0, 1, "", "a fraction of the mean load; above 1 the load would go negative"),
    "load.peak_hour": Bound(0, 23, "", "an hour of the day"),
}

#: Catalog fields -> range (every entry kind that has the field).
CATALOG: dict[str, Bound] = {
    "power_max": Bound(0, 100e3, "kW", "from one chip to a 100 MW pod; " + _CEILING, low_open=True),
    "power_typical": Bound(0, 100e3, "kW", "from one chip to a 100 MW pod; " + _CEILING, low_open=True),
    "bf16_dense": Bound(0, 1e17, "FLOPS", "per accelerator; 100 PFLOPS is 40 times a 2025 GPU", low_open=True),
    "count": Bound(1, 100_000, "", "units inside one unit of the next level (a pod of 100,000 racks is a campus)"),
    "extra_power_max": Bound(0, 100e3, "kW", "power beyond the contained units, at most a pod's"),
    **{k: Bound(0, 5000, "kW", "a component load of one unit: at most a whole rack's ~1 MW (densest announced)")
       for k in ("cpu_power", "memory_power", "switch_power", "io_power", "nic_power", "fan_power", "storage_power",
                 "other_power")},
    "extra_power_typical": Bound(0, 100e3, "kW", "power beyond the contained units, at most a pod's"),
    "liquid_fraction": Bound(0, 1, "", "a share of the heat"),
    "power_per_accelerator_max": Bound(0, 100, "kW", "overhead IT per accelerator, a small fraction of its power"),
    "power_per_accelerator_typical": Bound(0, 100, "kW", "overhead IT per accelerator, a small fraction of its power"),
    "rack_power_max": Bound(0, 5000, "kW", "one rack; the densest announced racks draw ~1 MW", low_open=True),
    "core_voltage": Bound(0.3, 60, "V", "a core or point-of-load rail (0.5-1 V for logic, up to 54 V bus); 0 V "
                          "carries no power", low_open=False),
    "rating": Bound(0, 2e6, "kW", "one unit (W or VA); the largest power transformers reach ~1.5 GVA",
                    low_open=True),
    "no_load_loss": Bound(0, 1e5, "kW", "a unit's loss, a small fraction of its rating", low_open=True),
    "load_loss": Bound(0, 1e5, "kW", "a unit's loss, a small fraction of its rating", low_open=True),
    "ampacity": Bound(0, 100, "kA", "one circuit; the largest busways carry ~10 kA", low_open=True),
    "current_density": Bound(0, 20, "A/mm^2", "design current density of copper or aluminium conductors (1-5 "
                             "A/mm^2 in practice)", low_open=True),
    "length": Bound(0, 100, "km", "a route inside a campus or to its substation", low_open=True),
    "temperature": Bound(-50, 150, "degC", "conductor operating temperature: insulation classes reach 105-150 degC"),
    "capacity": Bound(0, 1e5, "kW", "heat capacity of one unit (a cooler, a chiller, a CDU)", low_open=True),
    "approach": Bound(0, 40, "K", "an approach; 0 K needs an infinite exchanger", low_open=True),
    "pressure_drop": Bound(0, 1000, "kPa", "above 1 MPa exceeds the PN10 rating of standard hydronic components",
                           low_open=True),
    "resistance": Bound(0, 10, "K/W", "case-to-coolant resistance of a cold plate (~0.01-0.1 K/W)", low_open=True),
    "rated_flow": Bound(0, 10, "m^3/s", "flow of one unit", low_open=True),
    "case_temperature_max": Bound(20, 150, "degC", "allowed case temperatures of chips lie around 70-105 degC"),
    "resistance_fixed": Bound(0, 10, "K/W", "flow-independent part of a cold plate's resistance (interface, base)"),
    "flow_exponent": Bound(0, 1, "", "Reynolds exponent of a convective coefficient: 0 laminar developed, 0.8 turbulent"),
    "laminar_share": Bound(0, 1, "", "a share of the rated pressure drop"),
    "cold_plates_in_series": Bound(1, 20, "", "cold plates in series on one coolant path of a tray"),
    "fan_power_ratio": Bound(0, 0.5, "", "fan power per heat rejected (~0.01-0.05 for real coolers)"),
    "pad_effectiveness": Bound(0, 1, "", "a saturation effectiveness", low_open=True),
    "cycles": Bound(1, 100, "", "cycles of concentration; 1 means all water is blown down (no evaporation basis)",
                    low_open=True, high_open=True),
    "drift_fraction": Bound(0, 0.05, "", "drift of a cooling tower (0.0005-0.2 % of the circulating flow)"),
    "wet_bulb_effectiveness": Bound(0, 1, "", "a wet-bulb effectiveness (0.6-0.8 for indirect evaporative units)",
                                    low_open=True, high_open=True),
    "liquid_gas_ratio": Bound(0, 5, "", "a tower's water-to-air mass flow ratio (~0.75-1.5 for counterflow towers)",
                              low_open=True),
    "reference_cop": Bound(1, 20, "", "a chiller's COP at its reference conditions (~3-10)", high_open=False),
    "min_part_load": Bound(0, 1, "", "a chiller's minimum unloading ratio", low_open=True),
    "condenser_fan_power_ratio": Bound(0, 0.2, "", "condenser fan power per capacity of an air-cooled chiller "
                                       "(~0.01-0.05; 0 for water-cooled)"),
    "leaving_min": Bound(-20, 40, "degC", "a chiller's lowest leaving chilled-water temperature"),
    "leaving_max": Bound(-20, 40, "degC", "a chiller's highest leaving chilled-water temperature"),
    "condenser_min": Bound(-30, 60, "degC", "a chiller's lowest entering condenser temperature"),
    "condenser_max": Bound(0, 60, "degC", "a chiller's highest entering condenser temperature"),
    "condenser_limit": Bound(0, 60, "degC", "a chiller's lift limit (highest entering condenser temperature)"),
    "air_delta_t": Bound(1, 40, "K", "an air rise: 0 K needs an infinite air flow, and below 1 K the airflow is 10-20 "
                         "times that of real fan walls and coolers (design rises of 10-20 K, ASHRAE Handbook HVAC "
                         "Applications 2019 ch. 20); an engineering floor"),
    "fan_pressure": Bound(0, 5, "kPa", "total pressure of a fan wall with coil and filters (~0.2-1 kPa)",
                          low_open=True),
    "fan_efficiency": Bound(0, 1, "", _EFF, low_open=True),
    "coil_approach": Bound(0, 40, "K", "an approach; 0 K needs an infinite coil", low_open=True),
    "power_per_rack": Bound(0, 100, "kW", "a house load per rack (lighting and the like: tens of W)"),
    "charger_fraction": Bound(0, 1, "", "a UPS charger's input per W of UPS load (vendors: ~0.1-0.25)"),
    "fraction_of_it": Bound(0, 0.2, "", "a house load as a share of the IT power (a fraction of a percent each)"),
}


def scenario_bound(key: str) -> Bound | None:
    """The range of a scenario key path (list indices and table keys of ``power.stages`` read as ``[]``)."""
    import re

    generic = re.sub(r"\[\d+\]", "[]", key)
    generic = re.sub(r"^power\.stages\.[^.]+\.", "power.stages[].", generic)
    return SCENARIO.get(generic)
