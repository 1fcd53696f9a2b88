"""facility.siting: one campus (and its supply) at several sites side by side (``facility sites``), and the supply
solved on every campus year of a sweep with supply keys."""

import json

import pytest

from facility import load_scenario
from facility.cli import main
from facility.scenario import Scenario


def test_sites_compares_one_campus_across_climates(capsys):
    assert main(["sites", "scenarios/default.toml", "--site", "tampa-fl", "--site", "chicago", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    tampa, chicago = rows
    assert [r["site"] for r in rows] == ["tampa-fl", "chicago"]
    assert tampa["it_power_mw"] == chicago["it_power_mw"]  # the same campus
    assert chicago["pue_annual"] < tampa["pue_annual"] and chicago["chiller_hours"] < tampa["chiller_hours"]


def test_sites_names_a_bad_site(capsys):
    assert main(["sites", "scenarios/default.toml", "--site", "atlantis"]) == 2
    assert "--site[0] (atlantis)" in capsys.readouterr().err


def test_campus_sweep_takes_supply_keys_and_solves_the_supply_on_each_campus_year(capsys):
    # facility sweep with a campus key and a supply key: the supply figures on both dimensions, each point equal to
    # the supply solved on that campus variant directly
    from facility import run
    from facility.supply import supply_for

    argv = ["sweep", "scenarios/colossus-supply.toml", "--vary", "cooling.tcs_supply=30,40 degC",
            "--vary", "supply.battery.power=50,150 MW", "--format", "json"]
    assert main(argv) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 4 and all(r["supply_feasible"] for r in rows)
    assert sorted({r["battery_power_mw"] for r in rows}) == [50, 150]
    point = next(r for r in rows if r["cooling.tcs_supply"] == 40 and r["battery_power_mw"] == 50)
    s = load_scenario("scenarios/colossus-supply.toml")
    data = s.model_dump()
    data["cooling"]["tcs_supply"] = "40 degC"
    data["supply"]["battery"]["power"] = "50 MW"
    one = Scenario.from_dict(data, source=s.source)
    direct = supply_for(run(one)).summary
    assert point["lcoe_usd_per_mwh"] == pytest.approx(direct["lcoe_usd_per_mwh"], rel=1e-9)
    assert point["co2_t"] == pytest.approx(direct["co2_t"], rel=1e-9)
    # the campus figures move with the campus key, not with the supply key
    pue = {(r["cooling.tcs_supply"], r["battery_power_mw"]): r["pue_annual"] for r in rows}
    assert pue[(30, 50)] == pue[(30, 150)] != pue[(40, 50)]


def test_supply_key_in_a_sweep_of_a_scenario_without_supply_is_refused(capsys):
    assert main(["sweep", "scenarios/default.toml", "--vary", "supply.battery.power=50,150 MW"]) == 2
    assert "supply" in capsys.readouterr().err


def test_compare_sites_keeps_the_campus_and_changes_only_the_weather():
    """The library call behind ``facility sites``: each row is the campus of the scenario at that site (the same
    IT power), its figures equal to a run of the scenario with only ``site.weather`` changed."""
    from facility import run
    from facility.results import to_json
    from facility.siting import compare_sites
    from tests.conftest import REPO

    s = load_scenario(REPO / "scenarios" / "dojo-exapod.toml")
    rows = compare_sites(s, ["golden-co", "tampa"])
    assert [r["site"] for r in rows] == ["golden-co", "tampa"]
    data = s.model_dump()
    direct = to_json(run(Scenario.from_dict({**data, "site": {**data["site"], "weather": "tampa-fl"}},
                                            source=s.source)))
    assert rows[1]["pue_annual"] == pytest.approx(direct["pue_annual"], rel=1e-12)
    assert rows[0]["it_power_mw"] == rows[1]["it_power_mw"] == direct["it_power_mw"]
    assert "lcoe_usd_per_mwh" not in rows[0]  # no [supply] in this scenario


def test_no_site_and_no_supply_key_are_handled():
    from facility import ScenarioError
    from facility.siting import add_supply_to_sweep, compare_sites
    from tests.conftest import REPO

    s = load_scenario(REPO / "scenarios" / "dojo-exapod.toml")
    with pytest.raises(ScenarioError, match="no sites given") as e:
        compare_sites(s, [])
    assert e.value.key == "--site"
    ds = object()
    assert add_supply_to_sweep(s, {"cooling.tcs_supply": ["30 degC"]}, ds) is ds
    with pytest.raises(ScenarioError, match="has no \\[supply\\] section"):
        add_supply_to_sweep(s, {"supply.battery.power": ["1 MW"]}, ds)
