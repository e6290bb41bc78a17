"""The examples in the docstrings run and print what they say, and every public Tensor method
and property has a docstring (the API reference of the book is made from them)."""
import doctest
import importlib
import inspect

import pytest

import minitorch

MODULES = ["minitorch.tensor", "minitorch.return_types", *(f"minitorch.tensor_methods.{m}" for m in ("arithmetic", "logical", "pointwise", "reduction", "shape", "inplace", "trig", "rounding", "bitwise", "scan", "sort")), "minitorch.namespace", "minitorch.checks", "minitorch.device", "minitorch.dtypes", "minitorch.printing", "minitorch.api", "minitorch.amp", "minitorch.autograd.grad_mode", "minitorch.autograd.functional",
           "minitorch.tensor_methods.indexing", "minitorch.tensor_methods.linalg", "minitorch.joining",
           "minitorch.tensor_methods.random", "minitorch.tensor_methods.odds", "minitorch.sampling", "minitorch.random", "minitorch.tensor_methods.autograd",
           *(f"minitorch.nn.{m}" for m in ("functional.normalization_more", "functional.dropout", "functional.vision",
                                             "functional.bilinear", "functional.embedding_bag", "normalization_more",
                                             "dropout", "pixelshuffle", "bilinear", "embedding_bag", "lazy", "parameter",
                                             "functional.volumetric", "functional.pooling", "functional.channel_shuffle",
                                             "conv", "pooling", "normalization", "channelshuffle"))]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_every_public_tensor_method_and_property_has_a_docstring():
    missing = []
    for name in dir(minitorch.Tensor):
        attribute = inspect.getattr_static(minitorch.Tensor, name)
        target = attribute.fget if isinstance(attribute, property) else attribute
        if not name.startswith("_") and (callable(target) or isinstance(attribute, property)):
            if not (getattr(target, "__doc__", None) or "").strip():
                missing.append(name)
    assert not missing, f"Tensor members without a docstring: {missing}"


def test_every_public_tensor_method_and_property_has_an_example():
    """The examples are the API reference's first lines: each public member shows itself in use."""
    missing = []
    for name in dir(minitorch.Tensor):
        attribute = inspect.getattr_static(minitorch.Tensor, name)
        target = attribute.fget if isinstance(attribute, property) else attribute
        if not name.startswith("_") and (callable(target) or isinstance(attribute, property)):
            if ">>>" not in (getattr(target, "__doc__", None) or ""):
                missing.append(name)
    assert not missing, f"Tensor members without a doctested example: {missing}"
