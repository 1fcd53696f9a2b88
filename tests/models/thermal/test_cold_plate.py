"""Cold plates against the flow through each plate (issue #13 item 6).

The published characterisation is Tuckerman & Pease's microchannel heat sink (IEEE Electron Device Letters EDL-2(5),
1981, Table I): three silicon sinks of 1 cm x 1 cm with water, each with its channel width, wall width and depth,
flow, pressure drop and thermal resistance (heated surface to inlet water). The laminar physics of
:mod:`models.thermal.cold_plate` (Shah & London friction and Nusselt number, fin efficiency, caloric resistance)
reproduces them with no fitted coefficient; the residuals below are the model's, stated.
"""

from __future__ import annotations

import CoolProp.CoolProp as CP
import numpy as np
import pytest
from ht.conv_internal import Nu_laminar_rectangular_Shan_London, laminar_entry_Baehr_Stephan

from facility.catalog import load_catalog
from models.thermal.cold_plate import (
    cold_plate_pressure_drop,
    cold_plate_resistance,
    microchannel_pressure_drop,
    microchannel_resistance,
    shah_london_nu,
)
from models.thermal.coolant import properties

PSI = 6894.757
# Tuckerman & Pease 1981, Table I: channel width, wall width, depth [m]; flow [m3/s]; pressure drop [psi];
# thermal resistance [K/W]; power [W]
TUCKERMAN_PEASE = [
    (56e-6, 44e-6, 320e-6, 4.7e-6, 15, 0.110, 181),
    (55e-6, 45e-6, 287e-6, 6.5e-6, 17, 0.113, 277),
    (50e-6, 50e-6, 302e-6, 8.6e-6, 31, 0.090, 790),
]
# the model's residuals (model / published - 1) for each experiment, stated: resistance, pressure drop
STATED = [(-0.02, -0.08), (-0.15, +0.32), (-0.11, +0.05)]
SIDE = 0.01  # heated area 1 cm x 1 cm, channels 1 cm long
K_SILICON = 148.0  # W/(m K) at 300 K (Incropera & DeWitt, Table A.1)
BASE = 100e-6  # engineering assumption: silicon between the heated surface and the channel floors
T_INLET = 296.15  # engineering assumption: room-temperature inlet water (23 degC)


def _water(power, flow):
    """Water properties (CoolProp, independent of the project's tables) at the mean of inlet and outlet."""
    t = T_INLET + power / (997.0 * 4180.0 * flow) / 2.0
    return {k: CP.PropsSI(code, "T", t, "P", 2e5, "Water") for k, code in
            (("rho", "D"), ("mu", "V"), ("cp", "C"), ("k", "L"))}


@pytest.mark.parametrize("i", range(3))
def test_tuckerman_pease_microchannel_points_reproduced_to_the_stated_residual(i):
    wc, ww, b, flow, psi, r_pub, power = TUCKERMAN_PEASE[i]
    w = _water(power, flow)
    r = microchannel_resistance.kernel(flow, SIDE, SIDE, wc, ww, b, BASE, K_SILICON, w["rho"], w["cp"], w["k"])
    dp = microchannel_pressure_drop.kernel(flow, SIDE, SIDE, wc, ww, b, w["rho"], w["mu"])
    r_res, dp_res = STATED[i]
    assert r / r_pub - 1 == pytest.approx(r_res, abs=0.01)
    assert dp / (psi * PSI) - 1 == pytest.approx(dp_res, abs=0.01)


def test_the_classic_point_within_eleven_percent():
    """0.090 K/W at 8.6 cm3/s and 214 kPa (31 psi): the model is within 11 % on both."""
    wc, ww, b, flow, psi, r_pub, power = TUCKERMAN_PEASE[2]
    w = _water(power, flow)
    r = microchannel_resistance.kernel(flow, SIDE, SIDE, wc, ww, b, BASE, K_SILICON, w["rho"], w["cp"], w["k"])
    dp = microchannel_pressure_drop.kernel(flow, SIDE, SIDE, wc, ww, b, w["rho"], w["mu"])
    assert abs(r / r_pub - 1) < 0.12 and abs(dp / (psi * PSI) - 1) < 0.06


def test_laminar_developed_resistance_falls_with_flow_only_through_the_caloric_term():
    """Tuckerman & Pease's point: in laminar fully developed flow h is constant, so R(V) - 1/(rho cp V) is flat."""
    wc, ww, b, _, _, _, _ = TUCKERMAN_PEASE[2]
    flows = np.array([2e-6, 5e-6, 10e-6])
    r = microchannel_resistance.kernel(flows, SIDE, SIDE, wc, ww, b, BASE, K_SILICON, 997.0, 4180.0, 0.6)
    rest = r - 1.0 / (997.0 * 4180.0 * flows)
    assert np.ptp(rest) < 1e-12 and np.all(np.diff(r) < 0)


@pytest.mark.parametrize("aspect", [0.1, 0.166, 0.5, 1.0])
def test_shah_london_nusselt_matches_ht(aspect):
    assert float(shah_london_nu(aspect)) == pytest.approx(Nu_laminar_rectangular_Shan_London(aspect), rel=1e-12)


def test_catalog_flow_exponent_is_the_baehr_stephan_slope_of_gpu_plate_channels():
    """The GPU plate's exponent (catalog cold-plate-gpu.flow_exponent): the slope of ht's Baehr-Stephan laminar
    entry Nusselt number between Re 110 and 220 (1-2 L/min over ~60 channels of 0.3 mm x 3 mm x 50 mm) with PG25
    near 35 degC (Pr 12.7, the project's coolant table)."""
    wc, b, length = 0.3e-3, 3e-3, 0.05
    props = properties("pg25", 308.15)
    pr = float(props["viscosity"] * props["cp"] / props["conductivity"])
    dh = 2 * wc * b / (wc + b)
    slope = np.log(laminar_entry_Baehr_Stephan(220, pr, length, dh) / laminar_entry_Baehr_Stephan(110, pr, length, dh))
    slope /= np.log(2.0)
    n = load_catalog().si("cold-plate-gpu")["flow_exponent"]
    assert n == pytest.approx(slope, abs=0.02)


def test_plate_resistance_and_pressure_drop_against_flow():
    plate = load_catalog().si("cold-plate-gpu")
    v_r, r_r, r_f, n = plate["rated_flow"], plate["resistance"], plate["resistance_fixed"], plate["flow_exponent"]
    dp_r, s = plate["pressure_drop"], plate["laminar_share"]
    assert cold_plate_resistance.kernel(v_r, v_r, r_r, n, r_f) == pytest.approx(r_r, rel=1e-12)
    # doubling the flow divides the convective part by 2^n; the fixed part stays
    assert cold_plate_resistance.kernel(2 * v_r, v_r, r_r, n, r_f) == pytest.approx(r_f + (r_r - r_f) / 2**n)
    assert cold_plate_pressure_drop.kernel(v_r, v_r, dp_r, s) == pytest.approx(dp_r, rel=1e-12)
    # a V + b V^2: twice the flow is 2 s + 4 (1 - s) times the rated drop
    assert cold_plate_pressure_drop.kernel(2 * v_r, v_r, dp_r, s) == pytest.approx(dp_r * (2 * s + 4 * (1 - s)))
