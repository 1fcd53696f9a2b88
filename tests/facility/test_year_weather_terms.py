"""The plants' weather-only terms kept on the compiled design (facility.simulate._plant_weather): a second year at
the same weather reuses them and gives the same numbers bit for bit; another weather recomputes them."""

import numpy as np

import facility.simulate as simulate
from facility import load_scenario, run
from facility.simulate import hourly_variables, year_arrays
from facility.sites import bundled_sites
from facility.weather import load_weather
from tests.conftest import REPO, count_calls


def test_a_second_year_at_the_same_weather_reuses_the_plants_terms_and_equals_the_first(monkeypatch):
    result = run(load_scenario(REPO / "scenarios" / "gb200-ashburn-ac.toml"), year=False)
    first = hourly_variables(year_arrays(result))
    held = dict(result.compiled().weather_terms)
    assert set(held) == {"fw", "chw"}
    calls = count_calls(monkeypatch, simulate, "plant_weather")
    second = hourly_variables(year_arrays(result))
    assert calls["n"] == 0  # reused
    for k, v in first.items():
        np.testing.assert_array_equal(second[k], v, err_msg=k)
    # the kept terms cannot be changed through the year's results
    assert not held["chw"][2].share.flags.writeable
    # another weather year: computed again, and held for it
    other = load_weather(bundled_sites()["tampa-fl"].path)
    hot = year_arrays(result, weather=other)
    assert calls["n"] == 2 and result.compiled().weather_terms["chw"][0] is other
    assert not np.array_equal(hot.chain.grid_import, year_arrays(result).chain.grid_import)
