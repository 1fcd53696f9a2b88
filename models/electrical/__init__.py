"""Electrical models of the power chain: conversion stages, transformers, conductors."""

from models.electrical.conductor import conductor_loss, conductor_mass, cross_section, line_current, resistivity
from models.electrical.converter import fit_loss_coefficients, stage_input, stage_loss, stage_output
from models.electrical.transformer import (
                                         doe_efficiency,
                                         load_loss_from_impedance,
                                         peak_efficiency_index,
                                         transformer_efficiency,
                                         transformer_losses,
)

__all__ = ["conductor_loss", "conductor_mass", "cross_section", "line_current", "resistivity",
           "fit_loss_coefficients", "stage_input", "stage_loss", "stage_output", "doe_efficiency",
           "load_loss_from_impedance", "peak_efficiency_index", "transformer_efficiency", "transformer_losses"]
