"""Supply dispatch: a hand-solved day, energy balance every hour, the objective against the cost recomputed
from the dispatch, and the errors a planner sees."""

import json

import numpy as np
import pytest

from facility import InfeasibleDesign, ScenarioError, load_scenario
from facility.cli import main
from facility.scenario import Scenario
from facility.supply import Supply, annuity, solve
from tests.conftest import MINIMAL

# a turbine and a battery with round figures, no catalog costs (names unknown to costs.toml)
HAND_CATALOG = {
    "test-gt": {"kind": "gas-turbine", "rating": "10 MW", "heat_rate_full": "10000 Btu/kWh",
                "heat_rate_part": "12000 Btu/kWh", "part_load_point": 0.5, "min_load": 0.0, "start_time": "10 min",
                "start_cost": "500 USD", "co2_factor": "53.06 kg/MMBtu", "nox_factor": "0.099 lb/MMBtu",
                "availability": 1.0},
    "test-bess": {"kind": "battery", "duration": "2 h", "round_trip_efficiency": 0.81, "auxiliary_load": 0.0,
                  "degradation_per_cycle": 0.0, "end_of_life_capacity": 0.8},
}


def _two_price_day() -> tuple[Supply, np.ndarray]:
    cfg = Supply(grid={"import_limit": "15 MW", "price_file": "prices.csv"}, catalog=HAND_CATALOG,
                 turbines=[{"model": "test-gt", "count": 1, "fuel_price": "5 USD/MMBtu"}],
                 battery={"model": "test-bess", "power": "5 MW", "energy": "10 MWh"})
    return cfg, np.full(24, 10e6)


def _prices(tmp_path, values):
    (tmp_path / "prices.csv").write_text("usd_per_mwh\n" + "\n".join(f"{v:g}" for v in values) + "\n")


def test_two_price_day_with_one_turbine_and_one_battery_equals_the_hand_solution(tmp_path):
    # 10 MW all day; grid 20 USD/MWh for 12 h, 100 USD/MWh for 12 h; turbine 10,000 Btu/kWh at 5 USD/MMBtu
    # = 50 USD/MWh (no-load fuel included when it runs loaded), 500 USD per start; battery 5 MW / 10 MWh,
    # 90 % each way. By hand: the battery charges 10 MWh from 11.11 MWh of cheap grid and gives back 9 MWh in the
    # dear hours, the turbine makes the other 111 MWh, the dear grid is never used. Start cost is paid per MW
    # brought online (the linear relaxation of commitment), so the cheapest way is the flattest: turbine 9.25 MW
    # and battery 0.75 MW through the 12 dear hours, 0.925 of a start:
    # cost = 20 x (120 + 100/9) + 50 x 111 + 500 x 0.925 = 8,634.72 USD.
    _prices(tmp_path, [20] * 12 + [100] * 12)
    cfg, load = _two_price_day()
    r = solve(cfg, load, base=tmp_path)
    assert r.objective == pytest.approx(20 * (120 + 100 / 9) + 50 * 111 + 500 * 0.925, rel=1e-7)
    assert np.allclose(r.hourly["turbine_output"].values[12:, 0], 9.25, atol=1e-6)
    e = r.summary["energy_mwh"]
    assert e["grid"] == pytest.approx(120 + 100 / 9, rel=1e-6)
    assert e["turbines"] == pytest.approx(111, rel=1e-6)
    assert e["battery_discharge"] == pytest.approx(9, rel=1e-6)
    assert r.summary["starts"] == pytest.approx(0.925, rel=1e-6)
    assert r.hourly["grid_import"].values[12:].max() == pytest.approx(0, abs=1e-6)


def test_energy_balances_every_hour_with_solar_curtailment_battery_and_auxiliary_load():
    hours = 72
    sun = np.clip(np.sin((np.arange(hours) % 24 - 6) / 12 * np.pi), 0, None)
    cfg = Supply(grid={"import_limit": "40 MW", "price": "60 USD/MWh"}, turbines=[{"model": "titan-130", "count": 3}],
                 battery={"power": "20 MW"}, solar={"capacity": "120 MW"})
    load = 50e6 + 5e6 * np.cos(np.arange(hours) / 24 * 2 * np.pi)
    r = solve(cfg, load, solar_availability=sun)
    h = r.hourly
    supply = h["grid_import"] + h["turbine_output"].sum("fleet") + h["solar_available"]
    demand = (h["load"] + h["battery_charge"] - h["battery_discharge"] + h["solar_curtailed"]
              + h["battery_auxiliary"])
    assert np.allclose(supply, demand, atol=1e-6)
    assert float(h["solar_curtailed"].sum()) > 0  # 120 MW of sun against a 55 MW load: some is spilled
    assert float(h["battery_auxiliary"].mean()) == pytest.approx(0.005 * 20)
    assert h["battery_soc"].attrs["units"] == "MWh"


def _two_days_free_with_a_carbon_price():
    """48 h, a sine sun, grid with a demand charge, free engines (N+1), battery and solar, a carbon price."""
    hours = 48
    sun = np.clip(np.sin((np.arange(hours) % 24 - 6) / 12 * np.pi), 0, None)
    cfg = Supply(objective="weighted", carbon_price="80 USD/t",
                 grid={"import_limit": "30 MW", "price": "70 USD/MWh", "demand_charge": "12 USD/kW/month"},
                 turbines=[{"model": "recip-engine-18mw", "count": "free", "count_max": 5, "redundancy": "N+1"}],
                 battery={"power": "free", "reserve": 0.2}, solar={"capacity": "free", "capacity_max": "200 MW"})
    return hours, sun, cfg


def test_objective_equals_the_cost_recomputed_from_the_dispatch_with_free_capacities_and_a_carbon_price():
    hours, sun, cfg = _two_days_free_with_a_carbon_price()
    r = solve(cfg, np.full(hours, 60e6), solar_availability=sun)
    assert r.objective == pytest.approx(r.recomputed_objective, rel=1e-8)
    s = r.summary
    # the lcoe is every cost of the hours over their energy
    assert s["lcoe_usd_per_mwh"] == pytest.approx(s["total_cost_usd"] / s["load_mwh"], rel=1e-6)
    # the reserve holds: state of charge never below 20 % of the energy
    assert float(r.hourly["battery_soc"].min()) >= 0.2 * s["battery"]["energy_mwh"] - 1e-6
    # N+1: one unit more than the optimiser dispatches
    t = s["turbines"][0]
    assert t["units"] == int(np.ceil(t["dispatchable_mw"] / 18 - 1e-6)) + 1


def test_carbon_objective_emits_less_than_cost_objective():
    kw = {"grid": {"import_limit": "60 MW", "price": "90 USD/MWh", "carbon_intensity": "100 kg/MWh"},
          "turbines": [{"model": "titan-130", "count": 4}]}
    load = np.full(24, 50e6)
    cheap, clean = solve(Supply(**kw), load), solve(Supply(objective="carbon", **kw), load)
    assert clean.summary["co2_t"] < cheap.summary["co2_t"]
    assert clean.summary["energy_mwh"]["grid"] == pytest.approx(24 * 50, rel=1e-6)


def test_annuity_is_the_capital_recovery_factor():
    # 7 % over 30 years: 0.080586 (standard CRF tables)
    assert annuity(0.07, 30) == pytest.approx(0.0805864, rel=1e-6)
    assert annuity(0.0, 20) == pytest.approx(0.05)


# ---------------------------------------------------------------------------------------------- bad input
def test_battery_with_energy_but_no_power_names_the_key(write_toml):
    path = write_toml(MINIMAL + '[supply.battery]\nenergy = "400 MWh"\n')
    with pytest.raises(ScenarioError) as exc:
        load_scenario(path)
    assert exc.value.key == "supply.battery.power"
    assert "power rating" in exc.value.message and str(path) in str(exc.value)


def test_price_series_of_the_wrong_length_names_the_key(tmp_path):
    _prices(tmp_path, [20] * 23)
    cfg, load = _two_price_day()
    with pytest.raises(ScenarioError) as exc:
        solve(cfg, load, base=tmp_path)
    assert exc.value.key == "supply.grid.price_file"
    assert "23 rows" in exc.value.message and "24" in exc.value.message


def test_turbine_below_its_minimum_load_as_the_only_supply_is_refused():
    cfg = Supply(turbines=[{"model": "titan-130", "count": 4}])  # 15 MW units, 50 % minimum load: 7.5 MW
    load = np.r_[np.full(12, 40e6), np.full(12, 5e6)]
    with pytest.raises(ScenarioError) as exc:
        solve(cfg, load)
    assert exc.value.key == "supply.turbines[0].model"
    assert "5.000 MW at hour 12" in exc.value.message and "7.500 MW" in exc.value.message


def test_not_enough_capacity_for_the_peak_reports_the_shortfall_and_the_hour():
    cfg = Supply(grid={"import_limit": "100 MW"}, turbines=[{"model": "titan-130", "count": 2}])  # 100 + 2 x 14.55
    load = np.full(48, 120e6)
    load[30] = 140e6
    with pytest.raises(InfeasibleDesign) as exc:
        solve(cfg, load)
    msg = str(exc.value)
    assert "short by 10.900 MW at hour 30" in msg and "2001-01-02T06" in msg and "1 hour(s) short" in msg


def test_unserved_energy_only_when_allowed_and_then_reported_at_the_value_of_lost_load():
    cfg = Supply(grid={"import_limit": "100 MW", "price": "50 USD/MWh"}, allow_unserved=True,
                 value_of_lost_load="5000 USD/MWh")
    load = np.full(10, 100e6)
    load[3] = 112e6
    r = solve(cfg, load)
    assert r.summary["unserved_mwh"] == pytest.approx(12.0)
    assert r.summary["cost_usd"]["unserved_usd"] == pytest.approx(12 * 5000)
    assert float(r.hourly["unserved"][3]) == pytest.approx(12.0)


@pytest.mark.parametrize(("section", "key", "hint"), [
    ('[[supply.turbines]]\nmodel = "titan-13"\ncount = 2\n', "supply.turbines[0].model", "did you mean 'titan-130'"),
    ('[supply.grid]\nimport_limit = "100"\n', "supply.grid.import_limit", "without a unit"),
    ('[supply]\nobjective = "weighted"\n[supply.grid]\nimport_limit = "1 MW"\n', "supply.carbon_price", "carbon_price"),
    ('[supply.grid]\nimport_limit = "1 MW"\nprise = "3 USD/MWh"\n', "supply.grid.prise", "did you mean 'price'"),
])
def test_bad_supply_sections_name_the_key(write_toml, section, key, hint):
    with pytest.raises(ScenarioError) as exc:
        load_scenario(write_toml(MINIMAL + section))
    assert exc.value.key == key and hint in exc.value.message


def test_scenario_without_supply_is_told_so_by_the_command(write_toml, capsys):
    assert main(["supply", str(write_toml(MINIMAL))]) == 2
    assert "no [supply] section" in capsys.readouterr().err


def test_supply_section_round_trips_in_a_scenario_built_in_code():
    s = Scenario(name="x", site={"weather": "tampa", "grid_voltage": "161 kV"},
                 compute={"deployments": [{"system": "h100-lc-64", "accelerators": 640}]},
                 supply={"grid": {"import_limit": "2 MW"}, "battery": {"power": "1 MW"}})
    assert s.supply.grid.import_limit.m_as("MW") == 2 and s.supply.battery.model == "bess-lfp-4h"


@pytest.mark.slow
def test_colossus_supply_year_from_the_command_line_balances_and_meets_the_load(tmp_path, capsys):
    out = tmp_path / "dispatch.nc"
    assert main(["supply", "scenarios/colossus-supply.toml", "--format", "json", "--out", str(out)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["hours"] == 8760 and doc["unserved_mwh"] == 0
    e = doc["energy_mwh"]
    supplied = e["grid"] + e["turbines"] + e["solar"] + e["battery_discharge"]
    assert supplied == pytest.approx(doc["load_mwh"] + e["battery_charge"] + e["battery_auxiliary"], rel=1e-6)
    assert doc["turbines"][0]["units"] <= 40 and doc["co2_t"] > 0 and doc["lcoe_usd_per_mwh"] > 0
    assert out.stat().st_size > 100_000


def test_dispatch_without_commitment_burns_fuel_at_the_full_load_heat_rate():
    # commitment = "none": no minimum load, no starts, fuel = 10,200 Btu/kWh x energy for the titan-130
    cfg = Supply(grid={"import_limit": "10 MW", "price": "200 USD/MWh"},
                 turbines=[{"model": "titan-130", "count": 2, "commitment": "none"}])
    r = solve(cfg, np.full(24, 12e6))
    t = r.summary["turbines"][0]
    assert t["fuel_mmbtu"] == pytest.approx(10.2 * t["energy_mwh"], rel=1e-9)
    assert t["energy_mwh"] == pytest.approx(24 * 12, rel=1e-9) and r.summary["starts"] == 0
    assert r.objective == pytest.approx(r.recomputed_objective, rel=1e-9)


def test_supply_sweep_varies_supply_keys_on_one_campus_year(write_toml):
    from facility import run
    from facility.supply import sweep_supply

    text = MINIMAL.replace("accelerators = 100000", "accelerators = 640") + (
        '[supply.grid]\nimport_limit = "2 MW"\nprice = "90 USD/MWh"\n'
        '[[supply.turbines]]\nmodel = "recip-engine-18mw"\ncount = 1\ncommitment = "none"\n')
    result = run(load_scenario(write_toml(text)))
    ds = sweep_supply(result, {"grid.import_limit": ["0 MW", "2 MW"], "supply.turbines[0].count": [0, 1]})
    assert ds["feasible"].dims == ("grid.import_limit", "turbines[0].count")
    # no grid and no engine cannot serve the campus: infeasible, NaN; the others solve
    assert not bool(ds["feasible"].sel({"grid.import_limit": "0 MW", "turbines[0].count": "0"}))
    assert np.isnan(float(ds["lcoe_usd_per_mwh"].sel({"grid.import_limit": "0 MW", "turbines[0].count": "0"})))
    both = ds.sel({"grid.import_limit": "2 MW", "turbines[0].count": "1"})
    grid_only = ds.sel({"grid.import_limit": "2 MW", "turbines[0].count": "0"})
    assert bool(both["feasible"]) and float(both["turbine_units"]) == 1
    assert float(both["co2_t"]) != float(grid_only["co2_t"])


def test_supply_command_with_vary_prints_one_row_per_point(write_toml, capsys):
    text = MINIMAL.replace("accelerators = 100000", "accelerators = 640") + (
        '[supply.grid]\nimport_limit = "2 MW"\nprice = "90 USD/MWh"\n[supply.battery]\npower = "1 MW"\n')
    assert main(["supply", str(write_toml(text)), "--vary", "battery.power=0.5..1:0.5 MW", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["battery.power"] for r in rows] == ["0.5 MW", "1 MW"]
    assert [r["battery_power_mw"] for r in rows] == [0.5, 1.0] and all(r["feasible"] for r in rows)


@pytest.mark.parametrize(("vary", "says"), [
    ("turbines[9].count=4", "has 1 item(s) in turbines; expected an index from 0 to 0"),  # was an IndexError
    ("battery.reserve=2", "battery.reserve: got 2; expected a number from 0 to 1"),  # was "1 validation error"
    ("battery.energy=6e15 MWh", "expected at most 1,000 h"),
])
def test_a_bad_supply_vary_is_one_line_that_says_what_is_wrong(write_toml, capsys, vary, says):
    text = MINIMAL.replace("accelerators = 100000", "accelerators = 640") + (
        '[supply.grid]\nimport_limit = "2 MW"\nprice = "90 USD/MWh"\n[supply.battery]\npower = "1 MW"\n'
        '[[supply.turbines]]\nmodel = "recip-engine-18mw"\ncount = 1\ncommitment = "none"\n')
    assert main(["supply", str(write_toml(text)), "--vary", vary]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err and "validation error" not in err, err


# ---------------------------------------------------------------------------------------------- backends, sizing
def test_direct_highs_lp_equals_the_pypsa_reference_on_the_hand_day_and_a_free_capacity_case(tmp_path):
    # the LP built on sparse arrays (default) and the same model through PyPSA/linopy: same optimum, same dispatch
    _prices(tmp_path, [20] * 12 + [100] * 12)
    cfg, load = _two_price_day()
    fast, ref = solve(cfg, load, base=tmp_path), solve(cfg, load, base=tmp_path, backend="pypsa")
    assert fast.objective == pytest.approx(ref.objective, rel=1e-6)
    for name in ("turbine_output", "turbine_online", "battery_discharge"):  # unique hour by hour
        assert np.allclose(fast.hourly[name].values, ref.hourly[name].values, atol=1e-6), name
    # which cheap hours charge the battery is a tie (all at 20 USD/MWh): the totals are unique, the hours are not
    assert np.allclose(fast.hourly["grid_import"].values[12:], ref.hourly["grid_import"].values[12:], atol=1e-6)
    for name in ("grid_import", "battery_charge"):
        assert float(fast.hourly[name].sum()) == pytest.approx(float(ref.hourly[name].sum()), rel=1e-6), name
    hours, sun, cfg = _two_days_free_with_a_carbon_price()
    fast, ref = (solve(cfg, np.full(hours, 60e6), solar_availability=sun, backend=b) for b in ("highs", "pypsa"))
    assert fast.objective == pytest.approx(ref.objective, rel=1e-6)
    assert fast.recomputed_objective == pytest.approx(ref.recomputed_objective, rel=1e-6)
    for a, b in ((fast.summary["battery"], ref.summary["battery"]), (fast.summary["solar"], ref.summary["solar"]),
                 (fast.summary["turbines"][0], ref.summary["turbines"][0])):
        for key in ("power_mw", "capacity_mw", "dispatchable_mw"):
            if key in a:
                assert a[key] == pytest.approx(b[key], rel=1e-6, abs=1e-6), key


def _season(days: int):
    h = np.arange(24 * days)
    sun = np.clip(np.sin((h % 24 - 6) / 12 * np.pi), 0, None) * (0.6 + 0.4 * np.sin(h / 24 * 1.7) ** 2)
    load = 60e6 + 6e6 * np.sin(2 * np.pi * h / len(h)) + 3e6 * np.cos((h % 24) / 24 * 2 * np.pi)
    kw = {"grid": {"import_limit": "40 MW", "price": "110 USD/MWh", "demand_charge": "10 USD/kW/month"},
          "turbines": [{"model": "recip-engine-18mw", "count": "free", "redundancy": "N+1", "fuel_price": "9 USD/MMBtu",
                        "commitment": "none"}],
          "battery": {"power": "free"}, "solar": {"capacity": "free"}}
    return kw, load, sun


def test_capacities_chosen_on_representative_days_cost_within_a_tenth_of_a_percent_of_the_full_horizon_optimum():
    kw, load, sun = _season(60)
    full = solve(Supply(sizing="full-horizon", **kw), load, solar_availability=sun)
    typical = solve(Supply(sizing="representative-days", representative_days=10, **kw), load, solar_availability=sun)
    assert full.summary["sizing"]["method"] == "full-horizon"
    assert typical.summary["sizing"]["method"] == "representative-days"
    assert typical.summary["sizing"]["representative_days"] == 12  # 10 clusters + the peak-load and darkest days
    # the two-stage answer is a feasible point of the full problem: never below its optimum, and close to it
    assert typical.objective >= full.objective * (1 - 1e-9)
    assert typical.objective == pytest.approx(full.objective, rel=1e-3)
    assert typical.objective == pytest.approx(typical.recomputed_objective, rel=1e-8)
    assert typical.summary["solar"]["capacity_mw"] == pytest.approx(full.summary["solar"]["capacity_mw"], rel=0.05)
    assert typical.summary["turbines"][0]["units"] == full.summary["turbines"][0]["units"]
    h = typical.hourly  # the full horizon is dispatched at the chosen capacities: energy closes every hour
    supply = h["grid_import"] + h["turbine_output"].sum("fleet") + h["solar_available"] + h["battery_discharge"]
    demand = h["load"] + h["battery_charge"] + h["solar_curtailed"] + h["battery_auxiliary"]
    assert len(h["time"]) == 24 * 60 and np.allclose(supply, demand, atol=1e-6)


def test_representative_days_on_a_too_short_horizon_name_the_key():
    kw, load, sun = _season(10)
    with pytest.raises(ScenarioError, match=r"supply\.sizing"):
        solve(Supply(sizing="representative-days", representative_days=10, **kw), load, solar_availability=sun)


def test_integer_commitment_on_the_two_price_day_equals_the_hand_solution(tmp_path):
    # the two-price day with whole units: the turbine (fuel 2 MMBtu/h per MW online + 8 MMBtu/MWh, from 10,000 and
    # 12,000 Btu/kWh at full and half load; 5 USD/MMBtu) is one 10 MW unit online through the 12 dear hours
    # (no-load 100 USD/h, 40 USD/MWh), started once (500 USD); the battery still shifts 10 MWh of cheap grid
    # (24.7 USD/MWh delivered < 40): turbine 111 MWh, grid 120 + 100/9 MWh at 20 USD/MWh.
    # cost = 20 x (120 + 100/9) + 12 x 100 + 40 x 111 + 500 = 8,762.22 USD (linear relaxation: 8,634.72)
    _prices(tmp_path, [20] * 12 + [100] * 12)
    cfg = Supply(grid={"import_limit": "15 MW", "price_file": "prices.csv"}, catalog=HAND_CATALOG,
                 turbines=[{"model": "test-gt", "count": 1, "fuel_price": "5 USD/MMBtu", "commitment": "integer"}],
                 battery={"model": "test-bess", "power": "5 MW", "energy": "10 MWh"})
    r = solve(cfg, np.full(24, 10e6), base=tmp_path)
    assert r.objective == pytest.approx(20 * (120 + 100 / 9) + 12 * 100 + 40 * 111 + 500, rel=1e-6)
    assert r.objective == pytest.approx(r.recomputed_objective, rel=1e-8)
    online = r.hourly["turbine_online"].values[:, 0]
    assert np.allclose(online, [0] * 12 + [10] * 12, atol=1e-6)  # whole units: 0 or 10 MW
    assert r.summary["starts"] == pytest.approx(1.0, abs=1e-6)
    assert r.summary["turbines"][0]["commitment"] == "integer"
    assert r.summary["mip_gap"] <= 1e-4


def test_integer_commitment_with_a_free_count_names_the_key():
    with pytest.raises(Exception, match="commitment"):
        Supply(turbines=[{"model": "titan-130", "count": "free", "commitment": "integer"}])


def test_capacities_from_typical_days_that_cannot_serve_the_year_fall_back_to_the_full_horizon(monkeypatch):
    # typical days that miss the peak (here: one group of the lightest day standing for all): the capacities they
    # choose are short at the peak, so the year is sized at once instead, and the summary says so
    import facility.supply as supply

    kw, load, sun = _season(60)
    light = int(np.argmin(load.reshape(60, 24).max(axis=1)))
    monkeypatch.setattr(supply, "_representative_days",
                        lambda pr, days: [np.array([light]), np.array([d for d in range(60) if d != light])[:1]])
    r = solve(Supply(sizing="representative-days", representative_days=10, **kw), load, solar_availability=sun)
    exact = solve(Supply(sizing="full-horizon", **kw), load, solar_availability=sun)
    assert r.summary["sizing"]["method"] == "full-horizon" and "note" in r.summary["sizing"]
    assert r.objective == pytest.approx(exact.objective, rel=1e-9)
