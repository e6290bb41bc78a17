"""``nn.utils``: gradient clipping (``clip_grad.py``) and flattening parameters into one vector
(``convert_parameters.py``), as PyTorch lays them out.

``nn.utils.rnn`` (the submodule) pads and packs batches of sequences of different lengths.
``weight_norm`` and ``spectral_norm`` (``weight_norm.py``, ``spectral_norm.py``) reparametrize a
module's weight with a forward pre-hook, as PyTorch's classic forms do; ``nn.utils.parametrize``
and ``nn.utils.parametrizations`` are PyTorch's newer, property-based form. ``nn.utils.stateless``
holds the older path to ``minitorch.func.functional_call``.
"""
from . import parametrizations, parametrize, rnn, stateless
from .clip_grad import clip_grad_norm, clip_grad_norm_, clip_grad_value_, clip_grads_with_norm_, get_total_norm
from .convert_parameters import parameters_to_vector, vector_to_parameters
from .spectral_norm import remove_spectral_norm, spectral_norm
from .weight_norm import remove_weight_norm, weight_norm
