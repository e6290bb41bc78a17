"""``minitorch.onnx``: there so that programs which ``import torch.onnx`` at the top run unchanged.

Exporting a model to ONNX is out of scope for minitorch (there is no tracer that records a graph
of ONNX operators): ``export`` raises ``NotImplementedError`` saying so.
"""


def export(model, args=(), f=None, **kwargs):
    """Not available: raises ``NotImplementedError`` (minitorch cannot write ONNX files).

    To run the model elsewhere, save its weights with ``minitorch.save(model.state_dict(), path)``.
    """
    raise NotImplementedError(
        "minitorch.onnx.export: exporting to ONNX is not part of minitorch. Save the weights with "
        "minitorch.save(model.state_dict(), path) instead."
    )
