"""minitorch.testing.assert_close against torch.testing.assert_close: the same verdict, error type
and message (library names aside) for tensors, scalars, nested containers and the options."""
import pytest

import minitorch

CASES = {
    "close float32": lambda L: (L.tensor([1.0, 2.0]), L.tensor([1.0, 2.0 + 1e-7]), {}),
    "not close": lambda L: (L.tensor([1.0, 2.0]), L.tensor([1.0, 2.1]), {}),
    "2-d index": lambda L: (L.tensor([[1.0, 2.0], [3.0, 4.0]]), L.tensor([[1.0, 2.0], [3.0, 5.0]]), {}),
    "dtype": lambda L: (L.tensor([1.0]), L.tensor([1.0], dtype=L.float64), {}),
    "dtype unchecked": lambda L: (L.tensor([1.0]), L.tensor([1.0], dtype=L.float64), {"check_dtype": False}),
    "shape": lambda L: (L.ones(2), L.ones(3), {}),
    "ints": lambda L: (L.tensor([1, 2]), L.tensor([1, 3]), {}),
    "0-d": lambda L: (L.tensor(1.0), L.tensor(2.0), {}),
    "python floats": lambda L: (1.0, 1.0 + 1e-6, {}),
    "bools": lambda L: (True, False, {}),
    "nan": lambda L: (L.tensor([float("nan")]), L.tensor([float("nan")]), {}),
    "nan equal": lambda L: (L.tensor([float("nan")]), L.tensor([float("nan")]), {"equal_nan": True}),
    "inf": lambda L: (L.tensor([1.0, float("inf")]), L.tensor([1.0, float("inf")]), {}),
    "float16": lambda L: (L.ones(2, dtype=L.float16), L.ones(2, dtype=L.float16) * 1.0005, {}),
    "own tolerances": lambda L: (L.tensor([1.0, 2.0]), L.tensor([1.01, 2.0]), {"rtol": 0.02, "atol": 0}),
    "one tolerance": lambda L: (L.ones(2), L.ones(2), {"rtol": 1e-3}),
    "msg": lambda L: (L.ones(2), L.ones(2) * 2, {"msg": "custom"}),
    "msg callable": lambda L: (L.tensor([1.0, 2.0]), L.tensor([1.0, 2.1]), {"msg": lambda m: "X" + m[:10]}),
    "sequence item": lambda L: ([L.ones(1), 2], [L.ones(1), 3], {}),
    "sequence length": lambda L: ([1, 2], [1, 2, 3], {}),
    "mapping keys": lambda L: ({"a": L.ones(1)}, {"b": L.ones(1)}, {}),
    "nested": lambda L: ({"w": [L.ones(2), (L.zeros(1), 3.0)]}, {"w": [L.ones(2), (L.ones(1), 3.0)]}, {}),
    "tensor vs float": lambda L: (L.tensor(1.0), 1.0, {}),
    "tensor vs list": lambda L: (L.tensor([1.0]), [1.0], {}),
}


def _outcome(lib, case):
    actual, expected, options = CASES[case](lib)
    try:
        lib.testing.assert_close(actual, expected, **options)
    except (AssertionError, TypeError, ValueError) as error:
        text = str(error).replace("minitorch.tensor.Tensor", "Tensor").replace("torch.Tensor", "Tensor")
        return type(error).__name__, text.replace("minitorch.", "").replace("torch.", "")
    return "ok", ""


@pytest.mark.parametrize("case", sorted(CASES))
def test_same_verdict_and_message_as_torch(case):
    torch = pytest.importorskip("torch")
    assert _outcome(minitorch, case) == _outcome(torch, case)


def test_verdicts_without_torch():
    assert _outcome(minitorch, "close float32") == ("ok", "")
    kind, message = _outcome(minitorch, "not close")
    assert kind == "AssertionError" and "Mismatched elements: 1 / 2 (50.0%)" in message and "at index (1,)" in message
    assert _outcome(minitorch, "nested")[1].endswith("The failure occurred for item ['w'][1][0]")
    assert _outcome(minitorch, "one tolerance")[0] == "ValueError"
