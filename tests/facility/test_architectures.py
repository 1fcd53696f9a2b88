"""facility.architectures: the power architectures as data (``facility/architectures.toml``), grid to chip."""

import pytest

from facility import load_catalog
from facility.architectures import SYSTEMS, ZONES, StageSpec, architecture_stages, architectures
from facility.units import Q_

_ORDER = {z: i for i, z in enumerate(ZONES)}


def _volts(text: str) -> float:
    """A stage's output voltage [V]; 'mv' (the campus MV level) above every other, 'core' (the chip rail) 0."""
    special = {"mv": 1e9, "core": 0.0}
    return special[text] if text in special else Q_(text).m_as("V")


@pytest.mark.parametrize("name", sorted(architectures()))
def test_every_architecture_walks_from_the_mv_trunk_down_to_the_core_rail(name):
    """Zones in the order trunk -> IT -> rack, the voltage never rising on the way to the chip ('mv' first,
    'core' last), AC three-phase ahead of the rack and DC inside it, every stage's equipment in the catalog."""
    stages, mech, pf = architecture_stages(name)
    assert all(isinstance(s, StageSpec) for s in [*stages, *mech])
    zones = [_ORDER[s.zone] for s in stages]
    assert zones == sorted(zones) and stages[0].zone == "trunk" and stages[-1].zone == "rack"
    volts = [_volts(s.voltage_out) for s in stages]
    assert volts == sorted(volts, reverse=True)
    assert stages[0].voltage_out == "mv" and stages[-1].voltage_out == "core"
    assert {s.system for s in stages} <= set(SYSTEMS) and all(s.system == "dc" for s in stages if s.zone == "rack")
    cat = load_catalog()
    assert all(s.equipment in cat.entries for s in [*stages, *mech])
    assert len({s.id for s in stages}) == len(stages)
    # the mechanical branch is fed at low voltage; the power factor of active-PFC supplies is near 1
    assert mech and all(s.zone == "mechanical" and _volts(s.voltage_out) < 1000 for s in mech)
    assert 0.9 <= pf <= 1.0


def test_every_power_factor_carries_its_source():
    assert all(a["power_factor"]["source"] for a in architectures().values())


def test_an_unknown_architecture_is_a_value_error_listing_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown power architecture 'ac-9000'; expected one of \[.*'"):
        architecture_stages("ac-9000")
