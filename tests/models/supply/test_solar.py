"""The PV year of models.supply.solar (pvlib ModelChain) against pvlib's functions called one by one."""

from datetime import timedelta, timezone

import numpy as np
import pandas as pd
import pvlib
import pytest

from facility.sites import resolve_weather
from models.supply.solar import ac_per_unit


@pytest.fixture(scope="module")
def tampa():
    path = resolve_weather("tampa-fl", None)[1]
    data, meta = pvlib.iotools.read_epw(str(path))
    w = data[["ghi", "dni", "dhi", "temp_air", "wind_speed"]].copy()
    w.index = pd.date_range("2001-01-01 00:30", periods=len(w), freq="h",
                            tz=timezone(timedelta(hours=meta["TZ"])))
    return w, meta


def _direct(w, meta, tilt, azimuth, dc_ac, gamma, eta_inv):
    loc = pvlib.location.Location(meta["latitude"], meta["longitude"], altitude=meta["altitude"])
    sp = loc.get_solarposition(w.index, method="nrel_numpy", temperature=w["temp_air"])
    dni_extra = pvlib.irradiance.get_extra_radiation(w.index)
    am = pvlib.atmosphere.get_relative_airmass(sp["apparent_zenith"], model="kastenyoung1989")
    poa = pvlib.irradiance.get_total_irradiance(tilt, azimuth, sp["apparent_zenith"], sp["azimuth"], w["dni"],
                                                w["ghi"], w["dhi"], dni_extra=dni_extra, airmass=am,
                                                model="haydavies", albedo=0.25)
    aoi = pvlib.irradiance.aoi(tilt, azimuth, sp["apparent_zenith"], sp["azimuth"])
    iam = pvlib.iam.physical(aoi)
    eff = poa["poa_direct"] * iam + poa["poa_diffuse"]
    p = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"]["open_rack_glass_polymer"]
    tc = pvlib.temperature.sapm_cell(poa["poa_global"], w["temp_air"], w["wind_speed"], **p)
    dc = pvlib.pvsystem.pvwatts_dc(eff, tc, dc_ac, gamma) * (1 - pvlib.pvsystem.pvwatts_losses() / 100)
    return pvlib.inverter.pvwatts(dc, 1 / eta_inv, eta_inv_nom=eta_inv).fillna(0).clip(lower=0).to_numpy()


def test_fixed_tilt_year_equals_pvlib_called_step_by_step(tampa):
    w, meta = tampa
    ours = ac_per_unit(w, meta["latitude"], meta["longitude"], meta["altitude"], tracking=False, tilt=20,
                       azimuth=180, dc_ac_ratio=1.34, gamma_pdc=-0.0035, inverter_efficiency=0.96)
    direct = _direct(w, meta, 20, 180, 1.34, -0.0035, 0.96)
    assert np.allclose(ours, direct, rtol=1e-9, atol=1e-12)
    assert ours.sum() > 1000  # a real year, not zeros: ~1,900 full-load hours


def test_output_is_zero_at_night_and_never_above_the_ac_rating(tampa):
    w, meta = tampa
    ac = ac_per_unit(w, meta["latitude"], meta["longitude"], meta["altitude"], tracking=True)
    assert ac.max() == pytest.approx(1.0)  # DC/AC 1.3 clips at the inverter rating
    assert np.all(ac[w["ghi"].to_numpy() == 0] == 0)


def test_tracker_yields_more_than_fixed_tilt_within_published_capacity_factors(tampa):
    # NREL ATB 2024 utility PV: AC capacity factors ~20-30 % across US resource classes (trackers in Florida ~25 %)
    w, meta = tampa
    args = (w, meta["latitude"], meta["longitude"], meta["altitude"])
    tracked, fixed = ac_per_unit(*args, tracking=True).mean(), ac_per_unit(*args, tracking=False).mean()
    assert 0.20 < fixed < tracked < 0.30
