"""Benchmark: the explorer's server-side rerun after one input change, with ``streamlit.testing`` (no browser).

Run: ``.venv/bin/python benchmarks/bench_app.py``; record the figures in benchmarks/README.md. The goal of issue 14:
a rerun after one input change on the default campus <= 150 ms server-side (downloads built only when asked for).

- first page: the first run of the app in a warm process (modules imported, weather parsed, caches empty);
- one input changed to a value not seen before: the what-if is sized and run through its year (cache miss);
- one input changed back to a value seen before: the result comes from the cache (cache hit);
- a rerun that changes nothing.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")


def apply(at: AppTest, supply: float) -> tuple[float, float]:
    """Change the coolant supply temperature and press Apply: (server-side time of the run, AppTest wall time) [s]."""
    at.sidebar.slider(key="supply").set_value(supply)
    t0 = time.perf_counter()
    at.sidebar.form_submit_button(key="apply").click().run()
    dt = time.perf_counter() - t0
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    return at.session_state["last_run_s"], dt


def report(what: str, runs: list[tuple[float, float]]) -> None:
    server = statistics.median(r[0] for r in runs)
    wall = statistics.median(r[1] for r in runs)
    print(f"{what}: {server * 1e3:.0f} ms server-side ({wall * 1e3:.0f} ms with AppTest's overhead), "
          f"median of {len(runs)}")


def main() -> None:
    warm = AppTest.from_file(APP, default_timeout=300).run()  # imports, weather files, numba-free warm-up
    assert not warm.exception
    at = AppTest.from_file(APP, default_timeout=300)
    at.run()  # the same process: modules warm, but this session's inputs new
    t0 = time.perf_counter()
    first = AppTest.from_file(APP, default_timeout=300)
    first.run()
    t_first = time.perf_counter() - t0
    new = [apply(at, t) for t in (33.0, 34.0, 35.0, 36.0, 37.0, 38.0, 39.0, 40.0)]
    seen = [apply(at, t) for t in (33.0, 34.0, 35.0, 36.0, 37.0, 38.0, 39.0, 40.0)]
    same = []
    for _ in range(8):
        t0 = time.perf_counter()
        at.run()
        same.append((at.session_state["last_run_s"], time.perf_counter() - t0))
    print(f"python {sys.version.split()[0]}; default campus (100,000 H100, Tampa), Power tab open")
    print(f"first page, warm process: {first.session_state['last_run_s'] * 1e3:.0f} ms server-side "
          f"({t_first * 1e3:.0f} ms with AppTest's overhead)")
    report("rerun after one input change, new value (sized and run)", new)
    report("rerun after one input change, value seen before (cached)", seen)
    report("rerun without an input change", same)


if __name__ == "__main__":
    main()
