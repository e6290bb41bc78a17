"""The catalog's records: ``OpSpec`` (one op) and ``Case`` (one call for the shared tests)."""
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Case:
    """One call of an op for the shared tests of family "other": ``call(lib, *inputs)``.

    ``lib`` is ``minitorch`` or ``torch`` (so one expression runs in both); the inputs are
    float64 tensors of ``shapes`` with values from ``domain`` ("any": normal; "probability":
    in (0.05, 0.95)). The tests compare the outputs and gradients with PyTorch's, gradcheck
    them, and run them on the ``cuda`` device.
    """

    call: object
    shapes: tuple
    domain: str = "any"


@dataclass(frozen=True)
class OpSpec:
    """One op. ``signature`` is PyTorch's for the function form (``input`` first), from its docs."""

    name: str
    functions: tuple = ()      # the Op classes that compute it; () for a composition
    signature: str = "input"
    family: str = "other"      # shared tests: unary, binary, reduction, logical; "other" has its own
    domain: str = "any"        # test values: any, positive, away_from_zero (denominators), bool, unit,
    #                            above_one, positive_other (the DOMAINS of tests/test_catalog.py)
    numpy: object = None       # numpy reference for the shared forward test (same arguments)
    method: bool = True        # Tensor.<name> exists
    namespace: bool = True     # minitorch.<name> exists
    functional: bool = False   # minitorch.nn.functional.<name> exists (and PyTorch's F has it)
    special: bool = False      # minitorch.special.<name> exists (and PyTorch's torch.special has it)
    linalg: bool = False       # an entry named "linalg.<name>": minitorch.linalg.<name> (torch.linalg's)
    cases: tuple = ()          # family "other": Case calls that drive its shared tests


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _relu(x):
    return np.maximum(x, 0)


def _ints(x, scale):
    """Integer test values from a float case input: (x * scale) rounded towards zero, as int64."""
    return (x.detach() * scale).long()


def case_inputs(case, seed=0):
    """The float64 arrays a ``Case`` is called with (the same for every library and device)."""
    rng = np.random.default_rng(seed)
    if case.domain == "probability":
        return [rng.uniform(0.05, 0.95, shape) for shape in case.shapes]
    return [rng.standard_normal(shape) for shape in case.shapes]
