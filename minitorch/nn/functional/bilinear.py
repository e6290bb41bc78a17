"""``bilinear``: y_o = x1^T A_o x2 + b_o, one ``einsum`` (whose backward gives every gradient), shown
as PyTorch's graph shows it: a view of one ``TrilinearBackward0`` node."""
from ... import functions as ops
from ...autograd.composite import composite
from ...errors import ShapeError
from ...joining import einsum
from ._checks import check_param, check_tensors


def bilinear(input1, input2, weight, bias=None):
    """y[..., o] = sum_ij input1[..., i] weight[o, i, j] input2[..., j] + bias[o].

    input1 (*, in1), input2 (*, in2) with the same leading dims, weight (out, in1, in2), bias (out,).

    >>> import minitorch
    >>> w = minitorch.ones(1, 2, 2)
    >>> minitorch.nn.functional.bilinear(minitorch.tensor([1.0, 2.0]), minitorch.tensor([3.0, 4.0]), w)
    tensor([21.])
    """
    op = "bilinear"
    check_tensors(op, input1=input1, input2=input2, weight=weight)
    if (weight.ndim != 3 or input1.ndim == 0 or tuple(input1.shape[:-1]) != tuple(input2.shape[:-1])
            or (input1.shape[-1], input2.shape[-1]) != tuple(weight.shape[1:])):
        raise ShapeError(
            f"{op}: input1 {tuple(input1.shape)} and input2 {tuple(input2.shape)} do not fit weight "
            f"{tuple(weight.shape)}: expected input1 (*, in1), input2 (*, in2) with the same leading dims "
            f"and weight (out, in1, in2)."
        )
    check_param(op, "bias", bias, (weight.shape[0],), weight.dtype)
    y = composite("TrilinearBackward0", lambda a, w, b: einsum("...i,oij,...j->...o", a, w, b),
                  input1, weight, input2)
    y = ops.Reshape.apply(y, tuple(y.shape))  # PyTorch's graph: its trilinear product viewed as the output
    return y if bias is None else y + bias
