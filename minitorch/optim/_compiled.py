"""The numba loop behind ``inplace.add_scaled_``: ``p += alpha * g`` in one pass over memory.

Imported by ``inplace.py`` at the first step, so that ``import minitorch`` does not wait for numba.
"""
import numba


@numba.njit(cache=True)
def add_scaled_flat(p, g, alpha):
    for i in range(p.size):
        p[i] += alpha * g[i]
