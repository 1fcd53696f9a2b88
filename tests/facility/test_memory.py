"""facility._memory (private): what it promises. With the setting on (the default), a sweep-sized block (14 MB, a
200-point x 8,760 h float64 array) comes from the heap and stays there when freed, ready for the next pass; with
``FACILITY_KEEP_FREED_MEMORY=0`` glibc's default policy stands (the block is a fresh mmap, handed back when freed).
Each case runs in a child process: the setting is process-wide and set once. glibc's ``mallinfo2`` (glibc >= 2.33)
reports where the block lives: ``hblkhd`` the bytes in mmapped blocks, ``fordblks`` the free bytes kept in the
heap."""

import json
import platform
import subprocess
import sys

import pytest

from facility._memory import MMAP_THRESHOLD

glibc = pytest.mark.skipif(platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
                           reason="mallopt / mallinfo2 are glibc's")

_PROBE = """
import ctypes, ctypes.util, json
import numpy as np
from facility._memory import keep_freed_memory

class Info(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                              "fsmblks", "uordblks", "fordblks", "keepcost")]

libc = ctypes.CDLL(ctypes.util.find_library("c"))
libc.mallinfo2.restype = Info
ok = keep_freed_memory()
again = keep_freed_memory()
before = libc.mallinfo2()
block = np.ones(14 * 2**20 // 8)
during = libc.mallinfo2()
del block
after = libc.mallinfo2()
print(json.dumps({"ok": ok, "again": again, "mmapped": during.hblkhd - before.hblkhd,
                  "kept_free": after.fordblks - before.fordblks}))
"""


def _probe(setting: str | None) -> dict:
    import os

    env = {k: v for k, v in os.environ.items() if k != "FACILITY_KEEP_FREED_MEMORY"}
    if setting is not None:
        env["FACILITY_KEEP_FREED_MEMORY"] = setting
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout)


@glibc
def test_a_sweep_sized_block_comes_from_the_heap_and_stays_there_when_freed():
    r = _probe(None)
    assert r["ok"] is True and r["again"] is True
    assert r["mmapped"] == 0
    assert r["kept_free"] >= 14 * 2**20


@glibc
@pytest.mark.parametrize("setting", ["0", "off", "False"])
def test_turned_off_the_block_is_glibcs_default_mmap_and_is_handed_back(setting):
    r = _probe(setting)
    assert r["ok"] is False
    assert r["mmapped"] >= 14 * 2**20 and r["kept_free"] < 2**20


def test_the_heap_threshold_covers_a_200_point_chunk():
    assert MMAP_THRESHOLD >= 200 * 8760 * 8


def test_the_allocator_keeps_freed_blocks_on_glibc():
    import platform

    from facility._memory import keep_freed_memory

    ok = keep_freed_memory()
    if platform.system() == "Linux" and platform.libc_ver()[0] == "glibc":
        assert ok


def test_the_allocator_setting_can_be_turned_off(monkeypatch):
    from facility._memory import keep_freed_memory

    monkeypatch.setenv("FACILITY_KEEP_FREED_MEMORY", "0")
    assert keep_freed_memory.__wrapped__() is False  # (uncached call: the setting is read once per process)
