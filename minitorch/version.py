"""``minitorch.version``: PyTorch's ``torch.version``. ``__version__`` is minitorch's; ``cuda`` is the
CUDA runtime version cupy reports ("12.4") when a GPU path is installed, else None (minitorch has
no CUDA build of its own: its kernels compile at run time with numba)."""
import functools

__version__ = "0.1.0"
git_version = None
hip = None


@functools.lru_cache(maxsize=None)
def _cuda():
    try:
        import cupy
    except ImportError:
        return None
    try:
        version = cupy.cuda.runtime.runtimeGetVersion()
    except Exception:  # noqa: BLE001  (no driver or no GPU: no CUDA to report)
        return None
    return f"{version // 1000}.{version % 1000 // 10}"


def __getattr__(name):
    if name == "cuda":
        return _cuda()
    raise AttributeError(f"module 'minitorch.version' has no attribute {name!r}")
