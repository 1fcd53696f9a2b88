"""Compute-side models: accelerator power and current."""

from models.compute.accelerator import core_current, power_at_utilization

__all__ = ["core_current", "power_at_utilization"]
