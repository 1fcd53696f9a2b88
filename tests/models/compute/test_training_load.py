"""Load synthesis of synchronous training jobs and replay of measured traces (models.compute.training_load)."""

import numpy as np
import pytest

from models.compute.training_load import (
    compute_fraction,
    failure_times,
    job_power,
    read_trace,
    replay_trace,
    running_share,
)

DT = 1e-3


def test_square_wave_spends_the_compute_share_of_every_step_computing():
    t = np.arange(0, 100.0, DT)
    f = compute_fraction(t, step_time=2.0, compute_share=0.7)
    assert set(np.unique(f)) == {0.0, 1.0}
    assert f.mean() == pytest.approx(0.7, abs=1e-3)
    assert f[t < 1.39].min() == 1.0 and f[(t > 1.41) & (t < 1.99)].max() == 0.0


def test_jitter_equals_the_average_of_square_waves_with_uniformly_spread_starts():
    t = np.arange(0, 10.0, DT)
    jitter = 0.2
    offsets = (np.arange(2000) + 0.5) / 2000 * jitter  # independent: average 2,000 shifted square waves
    brute = np.mean([compute_fraction(t - o, step_time=2.0, compute_share=0.5) for o in offsets], axis=0)
    exact = compute_fraction(t, step_time=2.0, compute_share=0.5, jitter=jitter)
    assert np.max(np.abs(exact - brute)) < 2e-3
    # the edge becomes a linear ramp of the jitter's length, and the mean is unchanged
    edge = (t >= 1.0) & (t <= 1.2)
    assert np.allclose(exact[edge], 1.0 - (t[edge] - 1.0) / jitter, atol=1e-9)
    assert exact.mean() == pytest.approx(0.5, abs=1e-3)


def test_job_power_is_compute_then_communication_then_idle_when_not_running():
    t = np.array([0.1, 1.9, 0.1])
    run = np.array([1.0, 1.0, 0.0])
    p = job_power(t, step_time=2.0, compute_share=0.5, power_compute=700.0, power_comm=300.0, power_idle=70.0,
                  running=run)
    assert p.tolist() == [700.0, 300.0, 70.0]


def test_checkpoint_holds_the_whole_job_idle_for_its_duration():
    t = np.arange(0, 250.0, 0.01)
    r = running_share(t, checkpoint_interval=100.0, checkpoint_duration=20.0)
    idle = t[r == 0.0]
    assert idle.size and idle.min() == pytest.approx(100.0) and idle.max() == pytest.approx(219.99)
    assert np.sum(r == 0.0) * 0.01 == pytest.approx(40.0, abs=0.02)  # two checkpoints of 20 s


def test_failure_stops_the_job_then_it_restarts_along_its_start_ramp():
    t = np.arange(0, 100.0, 0.01)
    r = running_share(t, failures=[10.0], restart_time=30.0, start_ramp=5.0)
    assert r[t < 10.0].min() == 1.0
    assert r[(t >= 10.0) & (t <= 40.0)].max() == 0.0
    assert r[np.searchsorted(t, 42.5)] == pytest.approx(0.5, abs=1e-9)
    assert r[t >= 45.0].min() == 1.0


def test_start_and_stop_ramps_bound_the_job():
    t = np.arange(0, 30.0, 0.01)
    r = running_share(t, start=5.0, stop=20.0, start_ramp=2.0, stop_ramp=1.0)
    assert r[t < 5.0].max() == 0.0 and r[t > 20.0].max() == 0.0
    assert r[np.searchsorted(t, 6.0)] == pytest.approx(0.5)
    assert r[(t >= 7.0) & (t <= 19.0)].min() == 1.0


def test_failures_arrive_at_the_poisson_rate():
    rng = np.random.default_rng(7)
    counts = [failure_times(3600.0, 1 / 600.0, rng).size for _ in range(2000)]
    assert np.mean(counts) == pytest.approx(6.0, rel=0.03)
    assert np.var(counts) == pytest.approx(6.0, rel=0.1)  # Poisson: variance = mean


@pytest.mark.parametrize("kwargs, fragment", [
    ({"step_time": 0.0}, "step_time must be positive"),
    ({"compute_share": 1.2}, "compute_share"),
    ({"jitter": -0.1}, "jitter"),
])
def test_bad_job_parameters_are_refused(kwargs, fragment):
    args = {"step_time": 2.0, "compute_share": 0.5, "jitter": 0.0}
    with pytest.raises(ValueError, match=fragment):
        compute_fraction([0.0], **{**args, **kwargs})


def test_a_negative_power_is_refused():
    with pytest.raises(ValueError, match="power_comm must not be negative"):
        job_power([0.0], step_time=2.0, compute_share=0.5, power_compute=700.0, power_comm=-1.0, power_idle=0.0)


def test_replay_interpolates_and_repeats_a_measured_trace(tmp_path):
    f = tmp_path / "rack.csv"
    f.write_text("time_s,power_kw\n0,100\n0.5,40\n1.0,100\n1.5,40\n")
    ts, p, col = read_trace(f)
    assert col == "power_kw" and p.tolist() == [1e5, 4e4, 1e5, 4e4]
    t = np.arange(0, 6.0, 0.25)
    out = replay_trace(ts, p, t)
    assert out[0] == 1e5 and out[1] == pytest.approx(7e4)
    assert np.allclose(out[8:16], out[:8])  # period 2 s: the measured 1.5 s plus one sample step


@pytest.mark.parametrize("text, fragment", [
    ("time_s,power_w\n0,1\n0,2\n", "increase"),
    ("time_s,power_w\n0,1\n1,-2\n", "negative"),
    ("t,p\n0,1\n1,2\n", "expected time_s"),
    ("time_s,power_w\n0,1\n", "at least 2"),
    ("time_s,power_w\n0,1\n1,abc\n", "not two numbers"),
])
def test_bad_traces_are_refused_with_the_reason(tmp_path, text, fragment):
    f = tmp_path / "bad.csv"
    f.write_text(text)
    with pytest.raises(ValueError, match=fragment):
        read_trace(f)
