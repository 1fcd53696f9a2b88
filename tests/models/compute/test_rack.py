"""models.compute.rack: the in-rack walk kernels (upward walk, the regulator with its bypass rails, the
regulator's output sharing its loss) by hand. (Rack power of whole systems: ``tests/facility/test_rack_power.py``.)"""

import pytest

from models.compute.rack import rack_input_up, regulator_output, regulator_with_bypass
from models.electrical.converter import stage_loss, stage_output


# ------------------------------------------------------------------------------------------ kernels
def test_upward_walk_by_hand():
    # regulator 10 % on its 900 W output, 100 W of fans beside it, then a 2 % converter: 1,111.8 W at the input
    rows = rack_input_up(900.0, 100.0, [(0.0, 0.02, 0.0), (0.0, 0.1, 0.0)])
    assert rows[0] == pytest.approx((1090.0, 1111.8)) and rows[1] == pytest.approx((1000.0, 1090.0))


def test_regulator_with_bypass_walked_down_returns_the_loads_exactly():
    abc = (12.0, 0.04, 3e-6)
    reg, direct = 5600.0, 1800.0
    merged = regulator_with_bypass(abc, reg, direct)
    p_in = reg + stage_loss.kernel(reg, *abc) + direct
    assert stage_output.kernel(p_in, *merged) == pytest.approx(reg + direct, rel=1e-13)


def test_regulator_output_shares_the_loss_pro_rata():
    abc = (5.0, 0.08, 2e-5)
    p = regulator_output(7000.0, 700.0, abc)  # 8 x 875 W modules at their input, 700 W of CPUs at the output
    loss = stage_loss.kernel(p, *abc)
    assert (p - 700.0) * (1 + loss / p) == pytest.approx(7000.0, rel=1e-12)
    assert p + loss == pytest.approx(7000.0 + 700.0 * (1 + loss / p), rel=1e-12)
