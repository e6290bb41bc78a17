"""``DataParallel``: PyTorch's single-process multi-GPU wrapper, here a plain pass-through."""
from ..module import Module

__all__ = ["DataParallel"]


class DataParallel(Module):
    """Calls ``module`` unchanged. PyTorch splits each batch over several GPUs of one process;
    minitorch runs on one device per process, so this wrapper only keeps such code running (and its
    ``state_dict`` keys, prefixed ``module.``). For several devices or machines use
    ``DistributedDataParallel``. ``device_ids``, ``output_device`` and ``dim`` are accepted for
    PyTorch's sake.

    >>> import minitorch
    >>> model = DataParallel(minitorch.nn.Linear(2, 1))
    >>> list(model.state_dict())
    ['module.weight', 'module.bias']
    """

    def __init__(self, module, device_ids=None, output_device=None, dim=0):
        super().__init__()
        if not isinstance(module, Module):
            raise TypeError(f"DataParallel: module must be a minitorch.nn.Module, got {type(module).__name__}.")
        self.module = module
        self.device_ids, self.output_device, self.dim = device_ids, output_device, dim

    def forward(self, *inputs, **kwargs):
        """``module(*inputs, **kwargs)``."""
        return self.module(*inputs, **kwargs)
