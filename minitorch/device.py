"""Devices. Every tensor lives on the CPU for now, as a numpy array.

``check_device`` is the one place that decides which device names are valid,
so that a request for an unavailable device fails with a clear message.
"""


def check_device(device):
    """Return the canonical name of ``device`` ("cpu"), or raise if it is not available."""
    name = str(device) if device is not None else "cpu"
    if name == "cpu":
        return "cpu"
    if name.split(":")[0] == "cuda":
        raise RuntimeError(
            f"device {name!r} is not available in this build of minitorch: tensors live on the CPU "
            f"(device='cpu')."
        )
    raise ValueError(f"unknown device {name!r}: expected 'cpu' or 'cuda'.")
