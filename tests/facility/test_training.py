"""facility.training: energy of a training run (Patterson et al. 2021, Table 4) from its duration or its compute.

(The reproduction of Patterson et al.'s Table 4 and the duration from a compute budget are in
``tests/facility/test_simulate.py``.)"""

import numpy as np
import pytest

from facility import Q_, ScenarioError
from facility.training import training_run_energy


def test_training_run_energy_refuses_negative_power_and_takes_numpy_numbers():
    with pytest.raises(ScenarioError, match="above 0"):
        training_run_energy(accelerators=10, power_per_accelerator=Q_(-330, "W"), pue=1.1, duration=Q_(1, "day"))
    run_ = training_run_energy(accelerators=np.int64(10_000), power_per_accelerator=Q_(np.float32(330), "W"),
                               pue=np.float64(1.10), duration=Q_(14.8, "day"))
    assert run_.facility_energy.m_as("MWh") == pytest.approx(1289.3, rel=1e-3)  # Patterson et al. Table 4


def test_a_run_needs_a_duration_or_a_compute_budget_with_its_rate_and_mfu_not_both():
    p = Q_(700, "W")
    with pytest.raises(ScenarioError, match="not both"):
        training_run_energy(accelerators=8, power_per_accelerator=p, pue=1.2, duration=Q_(1, "h"),
                            total_flops=Q_(1e18, "flop"))
    with pytest.raises(ScenarioError, match="give duration, or total_flops with peak_flops and mfu"):
        training_run_energy(accelerators=8, power_per_accelerator=p, pue=1.2, total_flops=Q_(1e18, "flop"))
    with pytest.raises(ScenarioError, match="at most 1,000,000 hours"):
        training_run_energy(accelerators=1, power_per_accelerator=p, pue=1.2, total_flops=Q_(1e30, "flop"),
                            peak_flops=Q_(1, "TFLOPS"), mfu=0.5)
    for bad in (0, True, 5_000_001, 2.0):
        with pytest.raises(ScenarioError, match="whole number from 1 to 5,000,000"):
            training_run_energy(accelerators=bad, power_per_accelerator=p, pue=1.2, duration=Q_(1, "h"))


def test_the_energy_is_accelerators_times_power_times_hours_times_pue_and_the_it_part_closes():
    """Patterson et al. (2021), Table 4 method: facility energy = n x P x t x PUE; the IT energy is n x P x t and
    the accelerator-hours n x t (1,024 accelerators for one day at 1 kW and PUE 1.25: 24.576 MWh IT)."""
    r = training_run_energy(accelerators=1024, power_per_accelerator=Q_(1, "kW"), pue=1.25, duration=Q_(1, "day"))
    assert r.duration.m_as("h") == pytest.approx(24.0, rel=1e-12)
    assert r.accelerator_hours.m_as("h") == pytest.approx(1024 * 24.0, rel=1e-12)
    assert r.it_energy.m_as("MWh") == pytest.approx(24.576, rel=1e-12)
    assert r.facility_energy.m_as("MWh") == pytest.approx(24.576 * 1.25, rel=1e-12)
    assert np.isfinite(r.facility_energy.magnitude)


def test_a_run_on_a_campus_uses_its_mean_it_power_per_accelerator_and_its_annual_pue():
    from facility import load_scenario, run
    from facility.training import training_run_on_campus
    from tests.conftest import REPO

    r = run(load_scenario(REPO / "scenarios" / "dojo-exapod.toml"))
    n = r.load.accelerators
    on_campus = training_run_on_campus(r, Q_(1e24, "flop"), 0.4)
    by_hand = training_run_energy(accelerators=n, power_per_accelerator=Q_(float(r.hourly["it_power"].mean()) / n,
                                                                           "W"),
                                  pue=r.annual["pue_annual"], total_flops=Q_(1e24, "flop"),
                                  peak_flops=r.load.bf16_dense / n, mfu=0.4)
    assert on_campus == by_hand
    assert on_campus.duration.m_as("s") == pytest.approx(1e24 / (r.load.bf16_dense.m_as("FLOPS") * 0.4), rel=1e-12)
    assert 1.0 < on_campus.pue < 2.0


@pytest.mark.parametrize("name, chips, days, watts, pue, mwh", [
    # Patterson et al. 2021, Table 4: processors, days, measured average W per processor, PUE, MWh
    ("T5", 512, 20, 310, 1.12, 85.7),
    ("Meena", 1024, 30, 289, 1.09, 232),
    ("GShard-600B", 1024, 3.1, 288, 1.09, 24.1),
    ("Switch Transformer", 1024, 27, 245, 1.10, 179),
    ("GPT-3", 10_000, 14.8, 330, 1.10, 1287),
])
def test_patterson_table_4_is_reproduced_within_1_percent(name, chips, days, watts, pue, mwh):
    run_ = training_run_energy(accelerators=chips, power_per_accelerator=Q_(watts, "W"), pue=pue,
                               duration=Q_(days, "day"))
    assert run_.facility_energy.m_as("MWh") == pytest.approx(mwh, rel=0.01), name


def test_duration_from_compute_budget():
    # 3.14e23 FLOP (GPT-3) on 1,024 H100 at 989.5 TFLOPS and MFU 0.4 -> 7.75e5 s = 8.97 days
    r = training_run_energy(accelerators=1024, power_per_accelerator=Q_(1.3, "kW"), pue=1.2,
                            total_flops=Q_(3.14e23, "flop"), peak_flops=Q_(989.5, "TFLOPS"), mfu=0.4)
    assert r.duration.m_as("s") == pytest.approx(3.14e23 / (1024 * 989.5e12 * 0.4))
    assert r.facility_energy.m_as("MWh") == pytest.approx(1024 * 1.3e-3 * r.duration.m_as("h") * 1.2)
