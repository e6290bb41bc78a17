"""The op catalog's entries: special functions (the gamma family, Bessel functions, the normal
distribution's functions, entropy terms), as Tensor methods and in ``minitorch.special``.

PyTorch's trigamma (``polygamma(1, x)``) is accurate to about 5e-10 only, short of the shared
tests' 1e-10, so the cases compare polygamma of orders 0, 2 and 3 with it (order 1 is still
gradient-checked, and compared with mpmath in ``tests/test_special.py``).
"""
from .. import bessel, entropy, gamma, gaussian
from .spec import Case, OpSpec


def _away_from_poles(x):
    """Test values of the gamma family: x in (-3, 3) pushed to the middle between two integers when
    negative (the poles are at 0, -1, -2, ...)."""
    return (x * 1.5).where(x > 0, (x * 1.5).floor() + 0.5 + x * 0.1)


OPS = (
    OpSpec("lgamma", (gamma.Lgamma,), "input",
           cases=(Case(lambda m, x: (m.lgamma(x.abs() * 3 + 0.01), _away_from_poles(x).lgamma()), ((3, 4),)),)),
    OpSpec("digamma", (gamma.Polygamma,), "input", special=True,
           cases=(Case(lambda m, x, y: (m.digamma(x.abs() * 3 + 0.01), m.special.digamma(_away_from_poles(y))),
                       ((3, 4), (3, 4))),)),
    OpSpec("polygamma", (gamma.Polygamma,), "input, n", namespace=False,
           cases=(Case(lambda m, x: (m.polygamma(2, x.abs() * 3 + 0.01), _away_from_poles(x).polygamma(3),
                                     m.special.polygamma(2, _away_from_poles(x))), ((3, 4),)),)),
    OpSpec("zeta", (gamma.Zeta,), "input, other", method=False, namespace=False, special=True,
           cases=(Case(lambda m, s, q: (m.special.zeta(s.detach().abs() + 1.5, q.abs() + 0.2), m.special.zeta(3.0, q),
                                        m.special.zeta(s.detach().abs() * 9 + 1.1, 2.5)), ((3, 4), (4,))),)),
    OpSpec("mvlgamma", (gamma.Lgamma,), "input, p",
           cases=(Case(lambda m, x: (m.mvlgamma(x.abs() + 1.5, p=3), (x.abs() + 0.6).mvlgamma(1)), ((3, 4),)),)),
    OpSpec("i0", (bessel.I0,), "input", special=True,
           cases=(Case(lambda m, x: (m.i0(x * 10), m.special.i0(x * 40)), ((3, 4),)),)),
    OpSpec("i0e", (bessel.I0e,), "input", method=False, namespace=False, special=True,
           cases=(Case(lambda m, x: (m.special.i0e(x * 10), m.special.i0e(x * 40)), ((3, 4),)),)),
    OpSpec("i1", (bessel.I1,), "input", method=False, namespace=False, special=True,
           cases=(Case(lambda m, x: (m.special.i1(x * 10), m.special.i1(x * 40)), ((3, 4),)),)),
    OpSpec("i1e", (bessel.I1e,), "input", method=False, namespace=False, special=True,
           cases=(Case(lambda m, x: (m.special.i1e(x * 10), m.special.i1e(x * 40)), ((3, 4),)),)),
    OpSpec("ndtr", (gaussian.Ndtr,), "input", method=False, namespace=False, special=True,
           cases=(Case(lambda m, x: m.special.ndtr(x * 2), ((3, 4),)),)),
    OpSpec("ndtri", (gaussian.Ndtri,), "input", method=False, namespace=False, special=True,
           cases=(Case(lambda m, p: (m.special.ndtri(p), m.special.ndtri(p ** 8)), ((3, 4),), "probability"),)),
    OpSpec("log_ndtr", (gaussian.LogNdtr,), "input", method=False, namespace=False, special=True,
           cases=(Case(lambda m, x: (m.special.log_ndtr(x * 3), m.special.log_ndtr(x * 20)), ((3, 4),)),)),
    OpSpec("erfcx", (gaussian.Erfcx,), "input", method=False, namespace=False, special=True,
           cases=(Case(lambda m, x: (m.special.erfcx(x * 3), m.special.erfcx(x * 20)), ((3, 4),)),)),
    OpSpec("entr", (entropy.Entr,), "input", method=False, namespace=False, special=True,
           cases=(Case(lambda m, x: m.special.entr(x.abs() + 0.05), ((3, 4),)),)),
    OpSpec("xlog1py", (entropy.XLog1pY,), "input, other", method=False, namespace=False, special=True,
           cases=(Case(lambda m, x, y: (m.special.xlog1py(x, y.exp() - 0.5), m.special.xlog1py(x, 2.0)),
                       ((3, 4), (4,))),)),
)
