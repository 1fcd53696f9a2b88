"""Benchmark: start-up. ``python -c "import facility"`` (goal <= 0.4 s) and ``facility run --format json`` on the
default scenario with its weather year cached (goal <= 1.0 s), each in fresh interpreters, with the import time of
the libraries the run loads (``python -X importtime``).

Run: ``.venv/bin/python benchmarks/bench_startup.py``; record the figures in benchmarks/README.md.
``--src DIR`` measures another checkout of the sources with this environment (e.g. the commit before, unpacked
with ``git archive COMMIT | tar -x -C DIR``). Caches (pint's registry, weather years) go to a temporary
``$FACILITY_CACHE``, warmed by one run before the timed ones. Wall times on a shared machine vary with its load:
the median and the minimum of the runs are printed, with the CPU time (user + system) of the children. The
children run with bytecode caching on (``PYTHONDONTWRITEBYTECODE`` removed from their environment), as a user's
second run would.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time

IMPORT = [sys.executable, "-c", "import facility"]
RUN = [sys.executable, "-m", "facility.cli", "run", "--format", "json"]
#: Top-level libraries whose import time is reported for the run.
LIBRARIES = ("numpy", "pint", "pydantic", "scipy.optimize", "xarray", "pandas", "dask", "pvlib", "CoolProp")


def _timed(cmd: list[str], env: dict[str, str], repeat: int) -> tuple[float, float, float]:
    """Median and minimum wall time [s] of ``repeat`` runs of ``cmd``, and the median CPU time [s]."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, cwd=env["FACILITY_CACHE"])
        walls.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), min(walls), statistics.median(cpus)


def import_times(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    """Cumulative import time [s] of each of :data:`LIBRARIES` in one run of ``cmd`` (``-X importtime``).

    A library imported in several places (dask: by pint, or by xarray when it builds a Variable) is summed over
    its top-most imports.
    """
    out = subprocess.run([cmd[0], "-X", "importtime", *cmd[1:]], env=env, check=True, capture_output=True, text=True,
                         cwd=env["FACILITY_CACHE"])
    lines = []
    for line in out.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)$", line)
        if m:
            lines.append((len(m[2]), m[3], int(m[1]) * 1e-6))

    def matches(name: str, lib: str) -> bool:
        return name == lib or (lib != "scipy.optimize" and name.startswith(lib + "."))

    times = dict.fromkeys(LIBRARIES, 0.0)
    stack: list[tuple[int, str]] = []  # the enclosing imports of a line (lines come children first: read backwards)
    for depth, name, cumulative in reversed(lines):
        while stack and stack[-1][0] >= depth:
            stack.pop()
        for lib in LIBRARIES:
            if matches(name, lib) and not any(matches(outer, lib) for _, outer in stack):
                times[lib] += cumulative
        stack.append((depth, name))
    return times


WEATHER = """
import os, statistics, sys, time
t0 = time.perf_counter()
from facility.sites import bundled_sites
from facility.weather import _load, _parse, load_weather
path = bundled_sites()["tampa-fl"].path
_load(path, os.stat(path).st_mtime)  # written to the cache
def median(fn, n):
    times = []
    for _ in range(n):
        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
    return statistics.median(times)
def from_disk():
    _load.cache_clear(); load_weather(path)
parse = median(lambda: _parse(path), 5)
print(parse, median(from_disk, 20), median(lambda: load_weather(path), 100))
"""


MARGINAL = """
import resource, sys
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
import facility.cli  # what the run imports before it sizes (pint, pydantic, the facility modules)
out = []
for group in sys.argv[1:]:
    c = cpu()
    for name in group.split(","):
        __import__(name)
    out.append(cpu() - c)
print(*out)
"""
#: Groups of libraries whose marginal import cost in the run is measured (after ``facility.cli``).
GROUPS = ("scipy.optimize", "xarray,dask.array")


def marginal_cpu(env: dict[str, str], repeat: int = 3) -> list[float]:
    """Median CPU time [s] to import each of :data:`GROUPS` once ``facility.cli`` is loaded, in fresh interpreters
    (CPU, not wall: steadier on a shared machine)."""
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", MARGINAL, *GROUPS], env=env, check=True, capture_output=True,
                             text=True, cwd=env["FACILITY_CACHE"])
        runs.append([float(x) for x in out.stdout.split()])
    return [statistics.median(r[i] for r in runs) for i in range(len(GROUPS))]


def weather_times(env: dict[str, str]) -> list[float]:
    """Median times [s] to load a weather year: parsed through pvlib (pvlib imported), from the disk cache, and
    from the in-process cache."""
    out = subprocess.run([sys.executable, "-c", WEATHER], env=env, check=True, capture_output=True, text=True,
                         cwd=env["FACILITY_CACHE"])
    return [float(x) for x in out.stdout.split()]


def _top_level(times: dict[str, float]) -> dict[str, float]:
    return {k: v for k, v in times.items() if v > 0}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--src", default=None, help="measure the sources in this folder (put first on PYTHONPATH)")
    p.add_argument("--repeat", type=int, default=7, help="fresh processes per figure")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "FACILITY_CACHE": cache}
        # what a user's second run meets: the modules' bytecode cached (an environment that sets
        # PYTHONDONTWRITEBYTECODE compiles every module of the project and its libraries in every process: measured
        # +0.2-0.4 s a run on this machine)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if args.src:
            env["PYTHONPATH"] = os.path.abspath(args.src)
        subprocess.run(RUN, env=env, check=True, stdout=subprocess.DEVNULL, cwd=cache)  # warm the caches
        where = subprocess.run([sys.executable, "-c", "import facility; print(facility.__file__)"], env=env,
                               check=True, capture_output=True, text=True, cwd=cache).stdout.strip()
        base = _timed([sys.executable, "-c", "pass"], env, args.repeat)
        imp = _timed(IMPORT, env, args.repeat)
        run = _timed(RUN, env, args.repeat)
        runs = [import_times(RUN, env) for _ in range(3)]
        libs = _top_level({k: min(r[k] for r in runs) for k in LIBRARIES})
        weather = None if args.src else weather_times(env)
        marginal = marginal_cpu(env)
    print(f"sources: {where}; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"python -c pass: {base[0]:.3f} s (min {base[1]:.3f} s)")
    print(f'python -c "import facility": {imp[0]:.3f} s wall (min {imp[1]:.3f} s), {imp[2]:.3f} s CPU '
          f"(median of {args.repeat})")
    print(f"facility run --format json, default scenario, second run on one $FACILITY_CACHE: {run[0]:.3f} s wall "
          f"(min {run[1]:.3f} s), {run[2]:.3f} s CPU (median of {args.repeat})")
    print("  imports in that run (-X importtime, cumulative: a library's figure includes what it imports; "
          "least of 3 runs): "
          + ", ".join(f"{k} {v:.3f} s" for k, v in libs.items()))
    print("  what the run does NOT import, and would cost if it did (CPU once facility.cli is loaded, median of 3): "
          + ", ".join(f"{g.replace(',', ' + ')} {c:.3f} s" for g, c in zip(GROUPS, marginal, strict=True)))
    if weather:
        print(f"weather year (Tampa EPW, 8,760 h, wet bulb included): parsed through pvlib {weather[0] * 1e3:.1f} ms, "
              f"from the disk cache {weather[1] * 1e3:.1f} ms, from memory {weather[2] * 1e6:.1f} us")


if __name__ == "__main__":
    main()
