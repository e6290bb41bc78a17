"""Every bad input of the battery (cases.py) raises a clear error; PyTorch raises the same class."""
import pathlib

import numpy as np
import pytest

import minitorch
from tests.bad_inputs import files as broken_files
from tests.bad_inputs.cases import CASES
from tests.bad_inputs.classify import judge, run


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return broken_files.make(str(tmp_path_factory.mktemp("broken")))


NOT_YET_CLEAR = {
    line for line in (pathlib.Path(__file__).with_name("not_yet_clear.txt").read_text().splitlines())
    if line and not line.startswith("#")
}


def test_the_list_of_cases_not_yet_clear_names_only_cases():
    assert NOT_YET_CLEAR <= {c.id for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_clear_error(case, files):
    error = run(case, minitorch, files)
    verdict = judge(case, error)
    outcome = f"{verdict}: {type(error).__name__ if error else 'no error'}: {error}"
    if case.id in NOT_YET_CLEAR:
        assert verdict != "clear", "now clear: delete its line from tests/bad_inputs/not_yet_clear.txt"
        pytest.xfail(outcome)
    assert verdict == "clear", outcome


@pytest.mark.parametrize("case", [c for c in CASES if c.torch], ids=[c.id for c in CASES if c.torch])
def test_torch_raises_the_same_class(case, files):
    torch = pytest.importorskip("torch")
    error = run(case, torch, files)
    assert isinstance(error, case.error), f"torch gave {error!r}"


def test_battery_size():
    assert len(CASES) >= 300


def test_promotion_of_several_tensors_as_torch():
    torch = pytest.importorskip("torch")
    names = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
    for a in names:
        for b in names:
            ma, mb = minitorch.ones(2, dtype=getattr(minitorch, a)), minitorch.ones(2, dtype=getattr(minitorch, b))
            ta, tb = torch.ones(2, dtype=getattr(torch, a)), torch.ones(2, dtype=getattr(torch, b))
            for mine, theirs in ((minitorch.cat([ma, mb]), torch.cat([ta, tb])),
                                 (minitorch.stack([ma, mb]), torch.stack([ta, tb])),
                                 (minitorch.where(ma > 0, ma, mb), torch.where(ta > 0, ta, tb))):
                assert str(mine.dtype).split(".")[1] == str(theirs.dtype).split(".")[1], (a, b)


def test_sum_over_no_dims_sums_all_as_torch():
    torch = pytest.importorskip("torch")
    x = np.arange(6.0).reshape(2, 3)
    assert minitorch.tensor(x).sum(dim=()).item() == torch.tensor(x).sum(dim=()).item()


def test_integer_creation_refuses_what_torch_refuses_and_wraps_what_it_wraps():
    torch = pytest.importorskip("torch")
    assert minitorch.tensor([-200], dtype=minitorch.uint8).tolist() == torch.tensor([-200], dtype=torch.uint8).tolist()
    assert minitorch.tensor([1.7], dtype=minitorch.int64).tolist() == torch.tensor([1.7], dtype=torch.int64).tolist()


@pytest.mark.parametrize("call, name", [
    (lambda x, c: c + x, "add"), (lambda x, c: c @ x.T, "matmul"), (lambda x, c: c.copysign(x), "copysign"),
    (lambda x, c: c.logaddexp(x), "logaddexp"), (lambda x, c: minitorch.maximum(c, x), "maximum"),
    (lambda x, c: minitorch.dot(c[0], x[0]), "dot"), (lambda x, c: minitorch.addcmul(c, x, x), "addcmul"),
    (lambda x, c: c.floor_divide(x), "floor_divide"), (lambda x, c: c.eq(x), "eq"),
])
def test_the_device_check_names_the_public_op_not_an_internal_class(call, name):
    x = minitorch.ones(2, 3)
    with pytest.raises(RuntimeError, match=f"^{name}: expected all tensors .*same device"):
        call(x, x.to("cuda"))


def test_an_op_class_is_named_by_its_public_name():
    from minitorch import functions as ops

    assert [op.public() for op in (ops.MaskedFill, ops.MatMul, ops.LogAddExp, ops.Add)] == [
        "masked_fill", "matmul", "logaddexp", "add"]
