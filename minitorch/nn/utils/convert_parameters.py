"""Flattening parameters into one vector and back (e.g. for second-order methods or evolution strategies)."""
from ...autograd.grad_mode import no_grad
from ...namespace import cat


def parameters_to_vector(parameters):
    """Concatenate the parameters, flattened, into one 1-D tensor (a copy)."""
    return cat([p.reshape(-1) for p in parameters])


def vector_to_parameters(vec, parameters):
    """Copy consecutive slices of the 1-D ``vec`` into the parameters, in place (the inverse of
    ``parameters_to_vector``)."""
    parameters = list(parameters)
    expected = sum(p.numel() for p in parameters)
    if vec.ndim != 1 or vec.shape[0] != expected:
        raise ValueError(
            f"vector_to_parameters: expected a 1-D vector of {expected} elements (the parameters' "
            f"total size), got shape {tuple(vec.shape)}."
        )
    offset = 0
    with no_grad():
        for p in parameters:
            p.copy_(vec[offset : offset + p.numel()].reshape(p.shape))
            offset += p.numel()
