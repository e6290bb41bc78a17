"""The op catalog: every public op once, with its surfaces and how to test it.

One ``OpSpec`` per op says which ``Op`` classes compute it (none for a composition of
other ops, such as ``std``), where users reach it (``Tensor.<name>``, ``minitorch.<name>``,
``minitorch.nn.functional.<name>``), PyTorch's signature for it, the values its tests draw
(``domain``) and, for the families that share tests, a numpy reference. It is to ops what
``minitorch/labs/catalog.py`` is to lab tasks:

- ``minitorch/namespace.py`` builds the function forms that only delegate to the method
  (``minitorch.exp(x)`` is ``x.exp()``) from it;
- ``tests/test_catalog.py`` proves that every surface exists with PyTorch's parameter names,
  that every ``Op`` subclass is listed, and drives the shared tests (forward against
  numpy, gradcheck in float64, against PyTorch, on the ``cuda`` device) for every entry of the
  families ``unary``, ``binary``, ``reduction`` and ``logical``; an op of family ``other``
  lists ``Case`` calls (one expression, run with ``minitorch`` and with ``torch``) that get
  the same tests, and ``tests/gpu/test_cupy_compat.py`` runs them on cupy-like arrays.

The entries are grouped by family, one module each (``pointwise``, ``reductions``,
``shapes``, ``nn``, ``special``, ``linalg``: its entries named "linalg.<name>" are
``minitorch.linalg.<name>``); adding an op is one line in its family's module (see the recipe in
``minitorch/functions/__init__.py``).
"""
from . import linalg, nn, numerics, pointwise, reductions, shapes, special
from .spec import Case, OpSpec, case_inputs

OPS = pointwise.OPS + reductions.OPS + shapes.OPS + nn.OPS + special.OPS + linalg.OPS + numerics.OPS

BY_NAME = {op.name: op for op in OPS}

__all__ = ["Case", "OpSpec", "OPS", "BY_NAME", "case_inputs"]
