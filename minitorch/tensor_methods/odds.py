"""The rest of PyTorch's Tensor surface that teaching code may touch: the deprecated ``resize`` and
``resize_as``, ``is_inference``, ``new_empty_strided``, ``bfloat16`` (refused with a clear error:
numpy has no bfloat16), ``apply_``/``map_``, ``narrow_copy``, ``nonzero_static``, the method forms
of ``hardshrink``/``prelu``, the always-False flags of layouts and devices minitorch lacks
(``is_sparse``, ``is_quantized``, ``is_mps``...), and the functions PyTorch removed in 1.9
(``eig``, ``symeig``, ``lstsq``, ``solve``: the same RuntimeError, naming the ``linalg`` one to use).

A mixin of ``minitorch.Tensor`` (``minitorch/tensor.py``).
"""
import warnings

import numpy as np

from .. import checks, dtypes
from ..autograd.composite import composite
from ..autograd.names import rename


def _never(name, what):
    """The read-only flag ``name`` that is always False here (``x.is_sparse``): minitorch has no ``what``."""
    def flag(self):
        return False
    flag.__doc__ = (f"False: minitorch has no {what} (PyTorch's flag, for code that asks).\n\n"
                    f"        >>> import minitorch\n        >>> minitorch.ones(1).{name}\n        False\n")
    return property(flag)


def _removed(name, replacement):
    """A method PyTorch removed in 1.9: calling it raises PyTorch's RuntimeError, naming ``replacement``."""
    def removed(self, *args, **kwargs):
        raise RuntimeError(f"This function was deprecated since version 1.9 and is now removed. "
                           f"Use {replacement} instead (as in PyTorch).")
    removed.__name__ = removed.__qualname__ = name
    removed.__doc__ = (f"Removed in PyTorch 1.9 (raises RuntimeError, as there): use ``{replacement}``.\n\n"
                       f"        >>> import minitorch\n        >>> minitorch.eye(2).{name}()\n"
                       f"        Traceback (most recent call last):\n            ...\n"
                       f"        RuntimeError: This function was deprecated since version 1.9 ...\n")
    return removed


class OddsMethods:
    """PyTorch's remaining Tensor methods: ``resize``, ``is_inference``, ``new_empty_strided``, ``apply_``..."""

    __slots__ = ()

    is_sparse = _never("is_sparse", "sparse tensors")
    is_sparse_csr = _never("is_sparse_csr", "sparse tensors")
    is_quantized = _never("is_quantized", "quantized tensors")
    is_meta = _never("is_meta", "meta device")
    is_nested = _never("is_nested", "nested tensors")
    is_mkldnn = _never("is_mkldnn", "MKL-DNN layout")
    is_mps = _never("is_mps", "Apple MPS device")
    is_xpu = _never("is_xpu", "Intel XPU device")
    is_xla = _never("is_xla", "XLA device")
    is_ipu = _never("is_ipu", "Graphcore IPU device")
    is_vulkan = _never("is_vulkan", "Vulkan device")
    is_maia = _never("is_maia", "MAIA device")
    is_mtia = _never("is_mtia", "MTIA device")

    eig = _removed("eig", "minitorch.linalg.eig")
    symeig = _removed("symeig", "minitorch.linalg.eigh")
    lstsq = _removed("lstsq", "minitorch.linalg.lstsq (its arguments are reversed)")
    solve = _removed("solve", "minitorch.linalg.solve (its arguments are reversed)")

    @property
    def name(self):
        """None: minitorch has no named tensors (PyTorch's attribute, None for unnamed ones).

        >>> import minitorch
        >>> minitorch.ones(1).name is None
        True
        """
        return None

    @property
    def volatile(self):
        """False, with PyTorch's warning: ``volatile`` was removed (use ``no_grad``).

        >>> import minitorch, warnings
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     minitorch.ones(1).volatile
        False
        """
        warnings.warn("volatile was removed (Variable.volatile is always False)", UserWarning, stacklevel=2)
        return False

    def resize(self, *sizes):
        """Deprecated (PyTorch warns too): ``self`` with the shape ``sizes`` and the same number of
        elements, a view where the memory allows (``resize_`` changes self in place instead).

        >>> import minitorch, warnings
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     minitorch.arange(6.0).resize(2, 3).shape
        minitorch.Size([2, 3])
        """
        warnings.warn("non-inplace resize is deprecated", UserWarning, stacklevel=2)
        return self._resized(checks.sizes("resize", sizes, None, "sizes"))

    def resize_as(self, tensor):
        """Deprecated (PyTorch warns too): ``resize`` to ``tensor``'s shape.

        >>> import minitorch, warnings
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     minitorch.arange(6.0).resize_as(minitorch.zeros(3, 2)).shape
        minitorch.Size([3, 2])
        """
        warnings.warn("non-inplace resize_as is deprecated", UserWarning, stacklevel=2)
        return self._resized(tuple(checks.tensor("resize_as", "tensor", tensor).shape))

    def _resized(self, sizes):
        count = int(np.prod(sizes, dtype=np.int64))
        if count != self.numel():
            shape = "x".join(map(str, self.shape)) or "[]"
            raise RuntimeError(
                f"requested resize to {'x'.join(map(str, sizes))} ({count} elements in total), but the given tensor "
                f"has a size of {shape} ({self.numel()} elements). autograd's resize can only change the shape of "
                f"a given tensor, while preserving the number of elements. Use resize_ to change the number.")
        return rename(self.contiguous().view(sizes), "ResizeBackward")

    def is_inference(self):
        """True for a tensor made inside ``minitorch.inference_mode()``, as PyTorch marks them.

        >>> import minitorch
        >>> with minitorch.inference_mode():
        ...     x = minitorch.ones(2)
        >>> x.is_inference(), minitorch.ones(2).is_inference()
        (True, False)
        """
        return getattr(self, "_inference", False)

    def new_empty_strided(self, size, stride, *, dtype=None, layout=None, device=None, requires_grad=False,
                          pin_memory=False):
        """An uninitialised tensor of shape ``size`` and element strides ``stride``, with self's dtype
        and device unless given (``minitorch.empty_strided``).

        >>> import minitorch
        >>> minitorch.ones(1).new_empty_strided((2, 3), (1, 2)).stride()
        (1, 2)
        """
        from ..toplevel import empty_strided  # toplevel builds on the Tensor class
        return empty_strided(size, stride, dtype=self.dtype if dtype is None else dtype, layout=layout,
                             device=self.device if device is None else device, requires_grad=requires_grad,
                             pin_memory=pin_memory)

    def bfloat16(self, memory_format=None):
        """``self.to(minitorch.bfloat16)``: a TypeError here, which says what to use instead (numpy,
        which minitorch computes with, has no bfloat16). ``memory_format`` is accepted.

        >>> import minitorch
        >>> minitorch.ones(1).bfloat16()
        Traceback (most recent call last):
            ...
        TypeError: minitorch does not support dtype bfloat16; ...
        """
        return self.to(dtypes.bfloat16)

    def apply_(self, callable):
        """Each element replaced by ``callable(element)`` (a Python function of a number), in place;
        returns self. As in PyTorch: not for tensors that require grad, nor on a GPU (slow: one Python
        call per element).

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0]).apply_(lambda v: v * 10)
        tensor([10., 20.])
        """
        return self._elementwise_python("apply_", callable)

    def map_(self, tensor, callable):
        """Each element replaced by ``callable(element, other)`` with ``other`` the element of ``tensor``
        (broadcast to self's shape) at the same place, in place; returns self. As ``apply_``.

        >>> import minitorch
        >>> minitorch.tensor([1.0, 2.0]).map_(minitorch.tensor([3.0, 4.0]), lambda a, b: a * b)
        tensor([3., 8.])
        """
        others = np.broadcast_to(checks.tensor("map_", "tensor", tensor).cpu()._array, self.shape)
        return self._elementwise_python("map_", callable, others)

    def _elementwise_python(self, op, function, others=None):
        if self.requires_grad:
            raise RuntimeError(f"Can't call {op}() on Variable that requires grad. Use var.detach().{op}() instead.")
        if self.device.type != "cpu":
            raise TypeError(f"{op}() is only implemented on CPU tensors (got one on {self.device.type!r}); "
                            f"move it with .cpu() first.")
        if not callable(function):
            raise TypeError(f"{op}: callable must be a function, got {type(function).__name__}.")
        array = self._writable(op)
        for index in np.ndindex(array.shape):
            value = array[index].item()
            array[index] = function(value) if others is None else function(value, others[index].item())
        return self

    def narrow_copy(self, dim, start, length):
        """``narrow`` as a new tensor (a copy, not a view).

        >>> import minitorch
        >>> minitorch.arange(5).narrow_copy(0, 1, 2)
        tensor([1, 2])
        """
        return composite("NarrowCopyBackward0", lambda t: t.narrow(dim, start, length).clone(), self)

    def nonzero_static(self, *, size, fill_value=-1):
        """``nonzero()`` with exactly ``size`` rows: cut to the first ``size``, or padded with rows of
        ``fill_value`` (a fixed shape whatever the values).

        >>> import minitorch
        >>> minitorch.tensor([0, 3, 0, 5]).nonzero_static(size=3).flatten()
        tensor([ 1,  3, -1])
        """
        from ..namespace import cat  # namespace builds on the Tensor class
        size = checks.integer("nonzero_static", "size", size, minimum=0)
        found = self.nonzero()[:size]
        if found.shape[0] == size:
            return found
        return cat([found, found.new_full((size - found.shape[0], self.ndim), fill_value)])

    def is_set_to(self, tensor):
        """True if ``tensor`` is the same elements of the same memory as self (same first element,
        shape and strides), as PyTorch's.

        >>> import minitorch
        >>> x = minitorch.zeros(2, 3)
        >>> x.is_set_to(x.view(2, 3)), x.is_set_to(x.t())
        (True, False)
        """
        tensor = checks.tensor("is_set_to", "tensor", tensor)
        return (self.data_ptr() == tensor.data_ptr() and self.shape == tensor.shape
                and self.stride() == tensor.stride() and self.dtype == tensor.dtype)

    def const_data_ptr(self):
        """``data_ptr()``: the address of the first element (PyTorch's read-only form).

        >>> import minitorch
        >>> x = minitorch.ones(2)
        >>> x.const_data_ptr() == x.data_ptr()
        True
        """
        return self.data_ptr()

    def conj_physical(self):
        """self: real tensors are their own conjugate (minitorch has no complex dtypes).

        >>> import minitorch
        >>> x = minitorch.ones(2)
        >>> x.conj_physical() is x
        True
        """
        return self

    def conj_physical_(self):
        """self, unchanged: real tensors are their own conjugate.

        >>> import minitorch
        >>> minitorch.tensor([1.0, -2.0]).conj_physical_()
        tensor([ 1., -2.])
        """
        return self

    def to_dense(self, dtype=None, *, masked_grad=None):
        """self (in ``dtype`` if given): minitorch's tensors are dense already.

        >>> import minitorch
        >>> x = minitorch.ones(2)
        >>> x.to_dense() is x
        True
        """
        return self if dtype is None else self.to(dtype)

    def adjoint(self):
        """The last two dimensions swapped (conjugated: a no-op for real tensors): ``mH``.

        >>> import minitorch
        >>> minitorch.tensor([[1, 2], [3, 4]]).adjoint().tolist()
        [[1, 3], [2, 4]]
        """
        return self.mH

    def unsafe_split_with_sizes(self, split_sizes, dim=0):
        """``split(split_sizes, dim)`` with a list of sizes (PyTorch's form that skips its view checks).

        >>> import minitorch
        >>> [p.tolist() for p in minitorch.arange(3).unsafe_split_with_sizes([1, 2])]
        [[0], [1, 2]]
        """
        return self.split(list(split_sizes), dim)

    def hardshrink(self, lambd=0.5):
        """``minitorch.nn.functional.hardshrink(self, lambd)``: x where |x| > lambd, else 0.

        >>> import minitorch
        >>> minitorch.tensor([-1.0, 0.2, 0.7]).hardshrink()
        tensor([-1.0000,  0.0000,  0.7000])
        """
        from ..nn import functional  # nn builds on the Tensor class
        return functional.hardshrink(self, lambd)

    def prelu(self, weight):
        """``minitorch.nn.functional.prelu(self, weight)``: x for x > 0, else weight x.

        >>> import minitorch
        >>> minitorch.tensor([-1.0, 2.0]).prelu(minitorch.tensor([0.25]))
        tensor([-0.2500,  2.0000])
        """
        from ..nn import functional
        return functional.prelu(self, weight)

