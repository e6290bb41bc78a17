"""Scaled dot-product attention: defined in ``minitorch.nn.functional.attention`` (``F.scaled_dot_product_attention``);
this path is kept for code that imports it from here."""
from .functional.attention import (  # noqa: F401
    attention_weights, causal_future_mask, composite_attention, scaled_dot_product_attention,
)
