"""Elementwise math (``exp``, ``log``, ``tanh``, ``relu``, ``clamp``...) and softmax along a dim.

A mixin of ``minitorch.Tensor`` (``minitorch/tensor.py``): the methods check their arguments
(``minitorch.checks``) and call one op's ``Op.apply`` (``minitorch.functions``, here ``ops``).
"""
from .. import functions as ops


class PointwiseMethods:
    """Elementwise math (``exp``, ``log``, ``tanh``, ``relu``, ``clamp``...) and softmax along a dim."""

    __slots__ = ()

    def _float(self):
        """Self, or a float32 copy of an integer tensor: exp(int) is float32, as in PyTorch."""
        return self if self._array.dtype.kind == "f" else self.float()

    def exp(self):
        """e^x, elementwise; an integer tensor is made float32 first, as in PyTorch.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 1.0]).exp()
        tensor([1.    , 2.7183])
        """
        return ops.Exp.apply(self._float())

    def log(self):
        """ln x (natural logarithm), elementwise; an integer tensor is made float32 first.

        >>> import minitorch
        >>> minitorch.tensor([1, 100]).log()
        tensor([0.    , 4.6052])
        """
        return ops.Log.apply(self._float())

    def sqrt(self):
        """sqrt(x), elementwise; an integer tensor is made float32 first.

        >>> import minitorch
        >>> minitorch.tensor([1, 4, 9]).sqrt()
        tensor([1., 2., 3.])
        """
        return ops.Sqrt.apply(self._float())

    def sin(self):
        """sin x, elementwise (x in radians); an integer tensor is made float32 first.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 3.14159265 / 2]).sin()
        tensor([0., 1.])
        """
        return ops.Sin.apply(self._float())

    def tanh(self):
        """tanh(x) = (e^x - e^-x) / (e^x + e^-x), elementwise; its gradient is 1 - tanh(x)^2.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 1.0]).tanh()
        tensor([0.    , 0.7616])
        """
        return ops.Tanh.apply(self._float())

    def sigmoid(self):
        """sigmoid(x) = 1 / (1 + e^-x), elementwise, computed without overflow for large |x|.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 2.0]).sigmoid()
        tensor([0.5   , 0.8808])
        """
        return ops.Sigmoid.apply(self._float())

    def relu(self):
        """max(x, 0), elementwise; its gradient is 0 for x <= 0 and 1 above.

        >>> import minitorch
        >>> minitorch.tensor([-1.0, 0.0, 2.0]).relu().tolist()
        [0.0, 0.0, 2.0]
        """
        return ops.ReLU.apply(self)

    def clamp(self, min=None, max=None):
        """Each element limited to [min, max] (either may be None); also ``clip``. The gradient is 1 inside, 0 outside.

        >>> import minitorch
        >>> minitorch.tensor([-2.0, 0.5, 3.0]).clamp(-1, 1).tolist()
        [-1.0, 0.5, 1.0]
        >>> minitorch.tensor([-2, 5]).clamp(min=0).tolist()
        [0, 5]
        """
        if min is None and max is None:
            raise ValueError("clamp: give at least one of min and max.")
        return ops.Clamp.apply(self, min, max)

    clip = clamp

    def softmax(self, dim):
        """exp(x) / sum(exp(x)) along ``dim``, computed stably (the maximum is subtracted first).

        >>> import minitorch
        >>> minitorch.tensor([[0.0, 0.0], [0.0, 1.0]]).softmax(dim=1)
        tensor([[0.5   , 0.5   ],
                [0.2689, 0.7311]])
        """
        return ops.Softmax.apply(self._float(), self._axis("softmax", dim))

    def log_softmax(self, dim):
        """x - logsumexp(x) along ``dim``: the log of softmax without its underflow.

        >>> import minitorch
        >>> minitorch.tensor([0.0, 0.0]).log_softmax(dim=0)
        tensor([-0.6931, -0.6931])
        """
        return ops.LogSoftmax.apply(self._float(), self._axis("log_softmax", dim))
