"""Models of on-site supply: photovoltaic plants (pvlib ModelChain on a weather year), gas turbines and
reciprocating engines (heat rate at part load, fuel, CO2 and NOx), and batteries (round trip, degradation).
Pure SI kernels; nothing here knows of scenarios or of the campus."""
