"""The op catalog's entries: numerics made of other ops (statistics, integration and differences,
matrices built from pieces, out-of-place scatters), from ``minitorch/tensor_methods/numerics.py``
and ``minitorch/numerics.py``. Compositions all: no ``Op`` classes of their own (``functions=()``),
their gradients are the gradients of the ops they are made of, which the cases check.
"""
from .spec import Case, OpSpec, _ints


def _index(m, x, values):
    """An int64 index tensor on x's device."""
    return m.tensor(values, device=x.device)


OPS = (
    OpSpec("cov", (), "input, *, correction=1, fweights=None, aweights=None",
           cases=(Case(lambda m, x, w: (m.cov(x), x.cov(correction=0), m.cov(x, aweights=w.abs() + 0.1),
                                        x.cov(fweights=_ints(w.abs(), 3) + 1, aweights=w.exp(), correction=2),
                                        x[0].cov()), ((3, 5), (5,))),)),
    OpSpec("corrcoef", (), "input",
           cases=(Case(lambda m, x: (m.corrcoef(x), x[:1].corrcoef()), ((3, 5),)),)),
    OpSpec("addr", (), "input, vec1, vec2, *, beta=1, alpha=1",
           cases=(Case(lambda m, a, u, v: (m.addr(a, u, v), a[0].addr(u, v, beta=0.5, alpha=2)),
                       ((3, 4), (3,), (4,))),)),
    OpSpec("diagflat", (), "input, offset=0",
           cases=(Case(lambda m, x: (m.diagflat(x), x.diagflat(-1), x[0].diagflat(2)), ((2, 3),)),)),
    OpSpec("sum_to_size", (), "input, *size", namespace=False,
           cases=(Case(lambda m, x: (x.sum_to_size(3, 1), x.sum_to_size((1, 4)), x.sum_to_size(2, 3, 4)),
                       ((2, 3, 4),)),)),
    OpSpec("dsplit", (), "input, indices_or_sections",
           cases=(Case(lambda m, x: list(m.dsplit(x, 2)) + list(x.dsplit([1, 3])), ((2, 2, 4),)),)),
    OpSpec("histogram", (), "input, bins, *, range=None, weight=None, density=False",
           # (detached: PyTorch's histogram has no derivative and refuses backward through it)
           cases=(Case(lambda m, x, w: tuple(m.histogram(x.detach(), 4)) + tuple(x.detach().histogram(
               m.tensor([-2.0, -0.5, 0.0, 2.0], dtype=m.float64, device=x.device), weight=w.detach().abs(),
               density=True)), ((3, 4), (3, 4))),)),
    OpSpec("frexp", (), "input",
           cases=(Case(lambda m, x: tuple(m.frexp(x.detach() * 100)) + tuple(x.frexp()), ((3, 4),)),)),
    OpSpec("select_scatter", (), "input, src, dim, index",
           cases=(Case(lambda m, x, s, t: (m.select_scatter(x, s, 0, 1), x.select_scatter(t, 1, -1)),
                       ((3, 4), (4,), (3,))),)),
    OpSpec("slice_scatter", (), "input, src, dim=0, start=None, end=None, step=1",
           cases=(Case(lambda m, x, s, t: (m.slice_scatter(x, s, 1, 0, 4, 2), x.slice_scatter(t, start=1)),
                       ((3, 4), (3, 2), (2, 4))),)),
    OpSpec("diagonal_scatter", (), "input, src, offset=0, dim1=0, dim2=1",
           cases=(Case(lambda m, x, s: m.diagonal_scatter(x, s, 1), ((3, 4), (3,))),
                  Case(lambda m, x, s: x.diagonal_scatter(s, 0, 1, 0), ((2, 3, 4), (4, 2))),)),
    OpSpec("index_reduce", (), "input, dim, index, source, reduce, *, include_self=True",
           cases=(Case(lambda m, x, s: tuple(
               x.index_reduce(0, _index(m, x, [0, 2, 0, 1, 2]), s, reduce, include_self=include_self)
               for reduce in ("prod", "mean", "amax", "amin") for include_self in (True, False)), ((3, 4), (5, 4))),)),
    OpSpec("trapezoid", (), "y, x=None, *, dx=None, dim=-1", method=False,
           cases=(Case(lambda m, y, x: (m.trapezoid(y), m.trapezoid(y, x.cumsum(0)), m.trapezoid(y, dx=0.5, dim=0),
                                        m.trapz(y, dim=0)), ((3, 4), (4,))),)),
    OpSpec("cumulative_trapezoid", (), "y, x=None, *, dx=None, dim=-1", method=False,
           cases=(Case(lambda m, y, x: (m.cumulative_trapezoid(y), m.cumulative_trapezoid(y, x.cumsum(0)),
                                        m.cumulative_trapezoid(y, dx=2.0, dim=0)), ((3, 4), (4,))),)),
    OpSpec("gradient", (), "input, *, spacing=1, dim=None, edge_order=1", method=False,
           cases=(Case(lambda m, y, x: m.gradient(y) + m.gradient(y, spacing=2.0, dim=1, edge_order=2)
                       + m.gradient(y, spacing=(x.detach().exp().cumsum(0),), dim=1, edge_order=2)
                       + m.gradient(y, spacing=[0.5, 3.0], dim=[0, 1]), ((3, 5), (5,))),)),
    OpSpec("vander", (), "x, N=None, increasing=False", method=False,
           # (detached: PyTorch's own backward of vander fails, on a tensor its forward modified in place;
           # tests/test_numerics_more.py gradchecks ours)
           cases=(Case(lambda m, x: (m.vander(x.detach()), m.vander(x.detach(), N=2, increasing=True),
                                     m.vander(_ints(x, 9))), ((4,),)),)),
    OpSpec("block_diag", (), "*tensors", method=False,
           cases=(Case(lambda m, a, b, c: m.block_diag(a, b, c[0], c), ((2, 3), (1, 2), (3,))),)),
    OpSpec("combinations", (), "input, r=2, with_replacement=False", method=False,
           cases=(Case(lambda m, x: (m.combinations(x), m.combinations(x, 3, with_replacement=True),
                                     m.combinations(x, r=1)), ((4,),)),)),
    OpSpec("chain_matmul", (), "*matrices, out=None", method=False,
           cases=(Case(lambda m, a, b, c: m.chain_matmul(a, b, c), ((2, 3), (3, 4), (4, 2))),)),
)
