"""Start-up (DESIGN.md): ``import facility`` loads none of the heavy libraries, every public name still imports,
and ``facility run`` with its weather year cached loads only what the run needs. Each check runs in a fresh
interpreter (this test process has imported everything already)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import facility

#: Libraries that ``import facility`` must not load (issue 12; pydantic: only scenario validation needs it).
HEAVY = ("CoolProp", "pvlib", "pandas", "xarray", "scipy.optimize", "dask", "distributed", "streamlit", "plotly",
         "pydantic", "pint_xarray", "fluids", "ht")


def _fresh(code: str, env: dict[str, str] | None = None) -> dict:
    """Run ``code`` in a new interpreter; it prints one JSON value on its last line."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, **(env or {})})
    return json.loads(out.stdout.strip().splitlines()[-1])


LOADED = f"sorted(m for m in {HEAVY!r} if m in sys.modules)"  # an expression: the heavy modules loaded


def test_import_facility_loads_none_of_the_heavy_libraries():
    assert _fresh(f"import json, sys; import facility; print(json.dumps({LOADED}))") == []


def test_the_registry_is_pints_application_registry_as_soon_as_facility_is_imported():
    code = ("import json, pint, facility; from models.thermal.coolant import density; "
            "q = density('water', facility.Q_(20, 'degC')); "
            "print(json.dumps([pint.get_application_registry().get() is facility.ureg, q._REGISTRY is facility.ureg, "
            "round(q.m_as('kg/m**3'), 1)]))")
    assert _fresh(code) == [True, True, 998.3]  # water at 20 degC, 2 bar: 998.3 kg/m3 (IAPWS-95)


def test_every_public_name_imports_from_the_package():
    names = _fresh("import json; from facility import *; import facility; "
                   "print(json.dumps([n for n in facility.__all__ if n not in globals()]))")
    assert names == []
    for name in facility.__all__:
        assert getattr(facility, name) is not None
        assert name in dir(facility)
    from facility import InfeasibleDesign, Scenario, run  # the forms the CLI and the app use

    assert run.__module__ == "facility.campus" and Scenario.__module__ == "facility.scenario"
    assert issubclass(InfeasibleDesign, Exception)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        facility.nonexistent  # noqa: B018
    with pytest.raises(ImportError):
        from facility import nonexistent  # noqa: F401


def test_pint_keeps_its_dask_support_although_facility_imports_it_without_dask():
    code = ("import json, sys, facility; loaded = 'dask' in sys.modules; import dask.array as da; "
            "q = facility.Q_(da.ones(4, chunks=2), 'kW'); s = (2 * q).compute(); "
            "print(json.dumps([loaded, type(s.magnitude).__name__, s.m_as('W').tolist()]))")
    assert _fresh(code) == [False, "ndarray", [2000.0, 2000.0, 2000.0, 2000.0]]


def test_the_pint_import_without_dask_can_be_turned_off():
    code = "import json, sys, facility; print(json.dumps(['dask' in sys.modules, facility.Q_('2 kW').m_as('W')]))"
    assert _fresh(code, env={"FACILITY_PINT_WITHOUT_DASK": "0"}) == [True, 2000.0]  # pint as it imports itself


def _run_json(cache: str) -> dict:
    code = ("import io, json, sys, contextlib; from facility.cli import main; buf = io.StringIO()\n"
            "with contextlib.redirect_stdout(buf): code = main(['run', '--format', 'json'])\n"
            f"print(json.dumps({{'code': code, 'json': json.loads(buf.getvalue()), 'loaded': {LOADED}}}))")
    return _fresh(code, env={"FACILITY_CACHE": cache})


@pytest.fixture(scope="module")
def warm_run(tmp_path_factory):
    """``facility run --format json`` on the default scenario twice on one cache: never seen, then cached."""
    cache = str(tmp_path_factory.mktemp("cache"))
    return _run_json(cache), _run_json(cache)


def test_facility_run_with_its_weather_cached_gives_the_same_json(warm_run):
    cold, warm = warm_run
    assert cold["code"] == warm["code"] == 0
    assert warm["json"] == cold["json"]
    assert warm["json"]["pue_annual"] > 1.0


def test_facility_run_with_its_weather_cached_loads_neither_coolprop_nor_pvlib_nor_streamlit(warm_run):
    cold, warm = warm_run
    assert "pvlib" in cold["loaded"]  # never seen: parsed through pvlib
    assert not {"CoolProp", "pvlib", "streamlit", "plotly", "distributed"} & set(warm["loaded"])


def test_facility_run_with_its_weather_cached_loads_no_xarray_pandas_or_dask(warm_run):
    assert not {"xarray", "pandas", "dask"} & set(warm_run[1]["loaded"])


def test_facility_run_with_its_weather_cached_loads_no_scipy_optimize(warm_run):
    assert "scipy.optimize" not in warm_run[1]["loaded"]


def test_a_corrupt_unit_registry_cache_is_rebuilt(tmp_path):
    code = ("import json, facility; "
            "print(json.dumps([facility.Q_('1 EFLOPS').m_as('TFLOPS'), str(facility.ureg.cache_folder)]))")
    env = {"FACILITY_CACHE": str(tmp_path)}
    _, folder = _fresh(code, env)
    assert folder.startswith(str(tmp_path)) and any(Path(folder).iterdir())  # the parsed definitions, cached
    for f in Path(folder).iterdir():
        f.write_bytes(b"garbage")
    assert _fresh(code, env) == [1e6, folder]
    assert all(f.read_bytes() != b"garbage" for f in Path(folder).iterdir())  # written again


def test_simulate_year_and_annual_kpis_are_exported_by_the_package():
    import facility
    import facility.simulate

    assert facility.simulate_year is facility.simulate.simulate_year
    assert facility.annual_kpis is facility.simulate.annual_kpis
    assert {"simulate_year", "annual_kpis"} <= set(facility.__all__)
