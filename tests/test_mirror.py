"""Tests mirror the code (issue #12 item 7): every module under ``facility/`` and ``models/`` has its test file at
the same place under ``tests/`` — ``models/thermal/chiller.py`` -> ``tests/models/thermal/test_chiller.py``, a
private ``facility/_memory.py`` -> ``tests/facility/test_memory.py``. Package ``__init__`` and ``__main__`` files
are not modules of their own here. (Tests of a whole campus or scenario may stay in the file of the module that
runs it, e.g. ``test_campus.py``.)"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("facility", "models")

#: Modules whose mirrored test file comes with another branch of the same issue, and why. An entry must go as soon
#: as the file exists (test_no_mirror_exemption_outlives_its_reason).
PENDING: dict[str, str] = {}


def _modules() -> list[Path]:
    return sorted(p.relative_to(REPO) for pkg in PACKAGES for p in (REPO / pkg).rglob("*.py")
                  if p.name not in ("__init__.py", "__main__.py"))


def _mirror(module: Path) -> Path:
    return Path("tests", *module.parts[:-1], f"test_{module.stem.lstrip('_')}.py")


def test_every_module_has_its_mirrored_test_file():
    missing = [f"{m} -> {_mirror(m)}" for m in _modules()
               if m.as_posix() not in PENDING and not (REPO / _mirror(m)).is_file()]
    assert not missing, "modules without their mirrored test file: " + "; ".join(missing)


def test_no_mirror_exemption_outlives_its_reason():
    stale = [m for m in PENDING if (REPO / _mirror(Path(m))).is_file() or not (REPO / m).is_file()]
    assert not stale, f"remove from PENDING (the mirrored test file exists, or the module is gone): {stale}"


def test_the_mirror_rule_maps_paths_one_to_one():
    assert _mirror(Path("models/thermal/chiller.py")) == Path("tests/models/thermal/test_chiller.py")
    assert _mirror(Path("facility/_memory.py")) == Path("tests/facility/test_memory.py")
    modules = _modules()
    assert Path("facility/power.py") in modules and Path("facility/__init__.py") not in modules
    mirrors = [_mirror(m) for m in modules]
    assert len(mirrors) == len(set(mirrors))  # no two modules share a test file (e.g. x.py and _x.py)
