"""The benchmark models, each written once against the API minitorch shares with PyTorch.

``build(nn)`` takes either library's ``nn`` module (``minitorch.nn`` or
``torch.nn``) and returns the same architecture, so the two sides run the very
same model code. peers.py writes the tinygrad and micrograd versions by hand.
"""


def mlp(nn, sizes=(784, 256, 128, 10)):
    """Linear-ReLU layers of the given widths (no ReLU after the last)."""
    mods = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        mods.append(nn.Linear(n_in, n_out))
        if i < len(sizes) - 2:
            mods.append(nn.ReLU())
    return nn.Sequential(*mods)


def simple_cnn(nn):
    """The seed's SimpleCNN: conv 3x3 (32), pool, conv 3x3 (64), pool, dense 128, dense 10."""
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Linear(128, 10),
    )


def char_gpt(nn, vocab=65, width=128, heads=4, layers=4, context=64):
    """A causal transformer LM: token + position embeddings, pre-norm GELU blocks, a linear head."""

    class GPT(nn.Module):
        def __init__(self):
            super().__init__()
            self.tokens = nn.Embedding(vocab, width)
            self.positions = nn.Embedding(context, width)
            block = nn.TransformerEncoderLayer(width, heads, 4 * width, dropout=0.0, activation="gelu",
                                               batch_first=True, norm_first=True)
            self.blocks = nn.TransformerEncoder(block, layers, enable_nested_tensor=False)
            self.norm = nn.LayerNorm(width)
            self.head = nn.Linear(width, vocab)
            self.mask = nn.Transformer.generate_square_subsequent_mask(context)

        def forward(self, idx):
            h = self.tokens(idx) + self.positions.weight[: idx.shape[1]]
            h = self.blocks(h, mask=self.mask, is_causal=True)
            return self.head(self.norm(h)).flatten(0, 1)

    return GPT()
