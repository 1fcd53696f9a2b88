"""Thermal models of the cooling chain: coolants, humid air, hydraulics, heat exchangers, cold plates, heat
rejection (dry cooler, adiabatic cooler, cooling tower), chillers and the air side."""
