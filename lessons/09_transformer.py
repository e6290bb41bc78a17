# %% [markdown]
# # Lesson 9: The transformer
#
# Lesson 8 built attention. A **transformer** wraps it into a block that can be
# stacked: attention, a small per-position network, residual connections and
# normalisation, plus a way to tell positions apart. This lesson takes the blocks
# apart, builds a small character-level GPT, trains it on Shakespeare, and then
# reuses what it learned to classify the sentiment of sentences: **pretraining
# followed by fine-tuning**, the recipe behind BERT, GPT and their successors.
#
# **Learning goals**
# - add position information with sinusoidal encodings, and explain their
#   properties (a fixed offset is a fixed rotation);
# - say what each sublayer of an encoder and a decoder block does, recompute a
#   block by hand, and tell pre-norm from post-norm;
# - write a character-level GPT, train it, and sample text from it;
# - reuse the pretrained GPT as a classifier (a new head on a few labels), and
#   compare it with the same model untrained over several seeds, with a standard
#   error, rather than trusting one run.
#
# **Time:** about 90 minutes. **Builds on:** lesson 8 (attention, masks,
# `nn.MultiheadAttention`, `nn.Embedding`), lesson 7 (models as `nn.Module` subclasses,
# `Subset`, `unsqueeze`), lessons 5-6 (AdamW, training loops).
#
# **New API in this lesson:** `nn.SinusoidalPositionalEncoding`, `nn.LayerNorm`,
# `nn.TransformerEncoderLayer`, `nn.TransformerEncoder`,
# `nn.TransformerDecoderLayer`, `nn.Transformer.generate_square_subsequent_mask`,
# `nn.utils.clip_grad_norm_`, and from `minitorch.data`: `load_corpus`,
# `CharTokenizer`, `CharLMDataset`, `load_text_classification`,
# `text_classification_dataset`.

# %%
import copy
import os
import time

from minitorch.lesson_setup import setup

IN_NOTEBOOK, FAST, OUT, show = setup("09_transformer")  # see minitorch/lesson_setup.py
import matplotlib.pyplot as plt
import numpy as np

import minitorch
import minitorch.nn.functional as F
from minitorch import nn
from minitorch.data import (CharLMDataset, CharTokenizer, DataLoader, load_corpus, load_text_classification,
                            text_classification_dataset)

minitorch.manual_seed(0)
print("fast mode" if FAST else "full mode", "- figures go to", OUT)

# %% [markdown]
# ## 1. Positional encodings
#
# Lesson 8 showed that attention ignores order: shuffle the tokens and the outputs
# are shuffled the same way. "Dog bites man" and "man bites dog" would look alike.
# The fix is to add to each token's vector a vector that depends on its
# **position**. "Attention Is All You Need" uses fixed sines and cosines: for
# position $p$ and feature pair $i = 0, \dots, d/2 - 1$,
#
# $$ PE[p, 2i] = \sin(\omega_i\, p), \qquad PE[p, 2i + 1] = \cos(\omega_i\, p),
#    \qquad \omega_i = 10000^{-2i/d} . $$
#
# The first pair turns fast (one radian per position), the last ones very slowly,
# like the hands of a clock: together they give every position a unique pattern.
# `nn.SinusoidalPositionalEncoding(d_model, max_len)` keeps the table in its
# buffer `pe` (a tensor stored in the module like a parameter, but never trained)
# and adds its first $L$ rows to a sequence of length $L$.

# %%
d_model, max_len = 64, 128
posenc = nn.SinusoidalPositionalEncoding(d_model, max_len=max_len, batch_first=True)
PE = posenc.pe.numpy()                                              # (max_len, d_model)

# (You build the table in lab 5, task 5.5.) Read the formula back out of it: position 0 is
# (sin 0, cos 0) = (0, 1) in every pair, every pair lies on the unit circle, and the angle
# of pair i turns by omega_i from one position to the next.
omega = 10000.0 ** (-np.arange(0, d_model, 2) / d_model)            # one frequency per pair
angle = np.arctan2(PE[:, 0::2], PE[:, 1::2])                        # (max_len, d_model / 2)
turn = np.angle(np.exp(1j * (angle[1:] - angle[:-1])))             # each step's turn, in (-pi, pi]
print("table", PE.shape, " frequencies from", omega[0], "down to", omega[-1].round(6))
assert np.allclose(PE[0, 0::2], 0.0) and np.allclose(PE[0, 1::2], 1.0)
assert np.allclose(PE[:, 0::2] ** 2 + PE[:, 1::2] ** 2, 1.0, atol=1e-5)
assert np.allclose(turn, np.broadcast_to(omega, turn.shape), atol=1e-4)

x = minitorch.zeros(2, 10, d_model)                                 # a batch of 2 sequences of 10 zeros
assert np.allclose(posenc(x).numpy(), np.broadcast_to(PE[:10], (2, 10, d_model)), atol=1e-6)

# %% [markdown]
# Why sines and cosines? Shifting the position by a fixed offset $k$ **rotates**
# each (sin, cos) pair by the angle $\omega_i k$:
#
# $$ \begin{pmatrix} \sin \omega (p + k) \\ \cos \omega (p + k) \end{pmatrix}
#    = \begin{pmatrix} \cos \omega k & \sin \omega k \\ -\sin \omega k & \cos \omega k \end{pmatrix}
#      \begin{pmatrix} \sin \omega p \\ \cos \omega p \end{pmatrix} . $$
#
# So $PE[p + k] = M_k\, PE[p]$ with one matrix $M_k$ for every position $p$: a
# linear map (which attention's $W_q$, $W_k$ can learn) can express "the token $k$
# places back". It also follows that $PE[p] \cdot PE[p + k] = \sum_i \cos(\omega_i k)$
# depends only on the offset $k$, not on where we are.

# %%
def shift_matrix(k):
    """The block-diagonal M_k with PE[p + k] = M_k PE[p]: one 2x2 rotation per frequency."""
    M = np.zeros((d_model, d_model))
    for i, w in enumerate(omega):
        c, s = np.cos(w * k), np.sin(w * k)
        M[2 * i:2 * i + 2, 2 * i:2 * i + 2] = [[c, s], [-s, c]]
    return M


for k in (1, 3, 17):
    assert np.allclose(PE[k:] , PE[:-k] @ shift_matrix(k).T, atol=1e-5)     # every position at once
    dots = (PE[:-k] * PE[k:]).sum(axis=1)                                  # PE[p] . PE[p+k] for all p
    assert np.allclose(dots, np.cos(omega * k).sum(), atol=1e-4)
print("PE[p+k] = M_k PE[p] for every p, and PE[p].PE[p+k] depends on k alone")

# %%
fig, axes = plt.subplots(1, 3, figsize=(14, 3.8))
im = axes[0].imshow(PE.T, aspect="auto", cmap="RdBu_r", origin="lower")
axes[0].set(xlabel="position p", ylabel="feature", title="sinusoidal encoding table")
fig.colorbar(im, ax=axes[0])
for feature in (0, 2, 10, 30):
    axes[1].plot(PE[:64, feature], label=f"feature {feature}")
axes[1].set(xlabel="position p", title="fast and slow features")
axes[1].legend(fontsize=8)
axes[2].plot(PE @ PE[20], label="PE[20] . PE[p]")
axes[2].set(xlabel="position p", title="similarity to position 20: peaks at p = 20")
axes[2].legend(fontsize=8)
plt.tight_layout()
plt.savefig(os.path.join(OUT, "positional_encoding.png"))
show()
assert np.argmax(PE @ PE[20]) == 20

# %% [markdown]
# With the encodings added, self-attention can tell positions apart: shuffling
# the tokens no longer just shuffles the outputs.

# %%
attn = nn.MultiheadAttention(d_model, 4, batch_first=True)
tokens = minitorch.randn(1, 6, d_model)
perm = [2, 0, 5, 1, 4, 3]
with minitorch.no_grad():
    def self_attend(h):
        return attn(h, h, h)[0]
    plain = np.allclose(self_attend(tokens[:, perm]).numpy(), self_attend(tokens)[:, perm].numpy(), atol=1e-5)
    encoded = np.allclose(self_attend(posenc(tokens[:, perm])).numpy(),
                          self_attend(posenc(tokens))[:, perm].numpy(), atol=1e-5)
print("without positions, a shuffle only shuffles:", plain, "| with positions:", encoded)
assert plain and not encoded

# %% [markdown]
# (GPT-2 and BERT *learn* their position vectors instead, one trainable vector per
# position: `nn.LearnedPositionalEncoding(max_len, d_model)`. It works as well in
# practice but cannot go beyond `max_len`; the sinusoidal table has no parameters.)
#
# ## 2. The encoder block
#
# An encoder block (`nn.TransformerEncoderLayer`) has two **sublayers**, each
# wrapped in a residual connection and a LayerNorm:
#
# 1. **self-attention** (`self_attn`, a `MultiheadAttention`): every position
#    gathers information from the others;
# 2. a **feed-forward network** (`linear1`, activation, `linear2`): the same small
#    MLP applied to each position on its own, usually 4 times wider inside,
#    $\text{FFN}(x) = W_2\, \text{ReLU}(W_1 x + b_1) + b_2$.
#
# **Residual connection**: each sublayer computes a *change* that is added to its
# input, $x + \text{sublayer}(x)$, so information and gradients can flow straight
# through a deep stack. **LayerNorm** rescales each token's vector to mean 0 and
# variance 1 over its features, then applies a learned gain $\gamma$ and shift
# $\beta$: $\text{LN}(x) = \gamma \odot (x - \mu) / \sqrt{\sigma^2 + \epsilon} + \beta$.
#
# A note on seed 000's FFN example: it feeds $X = [1, 2, 3]$ through
# $W_1 = \begin{pmatrix}1 & 1 \\ 1 & 1\end{pmatrix}$, $b_1 = [1, 1]$,
# $W_2 = [1, 2]^\top$, $b_2 = 1$, and writes $XW_1 + b_1 = [1 \times 1 + 1,\ 1 \times 2 + 1] = [2, 3]$.
# But a 3-vector cannot be multiplied by a $2 \times 2$ matrix, and the arithmetic
# shown uses one weight per input and drops the 3. The engine refuses the shapes:

# %%
W1, b1 = minitorch.tensor([[1.0, 1.0], [1.0, 1.0]]), minitorch.tensor([1.0, 1.0])
W2, b2 = minitorch.tensor([[1.0], [2.0]]), minitorch.tensor([1.0])
try:
    minitorch.tensor([[1.0, 2.0, 3.0]]) @ W1
    raise AssertionError("expected a shape error")
except minitorch.ShapeError as error:
    print("ShapeError:", error)

# With a 2-feature input, X = [1, 2], the example works: X W1 + b1 = [1+2+1, 1+2+1] = [4, 4],
# ReLU keeps it, and [4, 4] W2 + b2 = 4*1 + 4*2 + 1 = 13.
hidden = (minitorch.tensor([[1.0, 2.0]]) @ W1 + b1).relu()
ffn_out = hidden @ W2 + b2
print("hidden", hidden.tolist(), " FFN output", ffn_out.item())
assert hidden.tolist() == [[4.0, 4.0]] and ffn_out.item() == 13.0

# %% [markdown]
# Now a real block. `print` lists its submodules (dropout is 0 here so that the
# output is deterministic):

# %%
width = 16
layer = nn.TransformerEncoderLayer(width, nhead=4, dim_feedforward=4 * width, dropout=0.0, batch_first=True)
print(layer)

# %% [markdown]
# There are two ways to place the LayerNorms:
#
# - **post-norm** (the 2017 paper, and the default): normalise *after* adding,
#   $x \leftarrow \text{LN}_1(x + \text{SA}(x))$, then
#   $x \leftarrow \text{LN}_2(x + \text{FFN}(x))$;
# - **pre-norm** (`norm_first=True`, used by GPT-2 and most models since):
#   normalise the sublayer's *input* and leave the residual path untouched,
#   $x \leftarrow x + \text{SA}(\text{LN}_1(x))$, then
#   $x \leftarrow x + \text{FFN}(\text{LN}_2(x))$.
#
# (You write the block in lab 5, task 5.4.) Two things the formulas predict, checked on
# the block itself. First, with its sublayers silenced (attention's output projection and
# the FFN's last layer set to 0, so that SA and FFN output 0), a pre-norm block is the
# identity, $x + 0 + 0$, and a post-norm block is $\text{LN}_2(\text{LN}_1(x))$. Second,
# a post-norm block ends with a LayerNorm, so at initialisation (scale 1, shift 0) every
# position of its output has mean 0 and variance 1; a pre-norm block's output does not.

# %%
x = minitorch.randn(2, 5, width)
silent = copy.deepcopy(layer)
with minitorch.no_grad():
    for p in (silent.self_attn.out_proj.weight, silent.self_attn.out_proj.bias,
              silent.linear2.weight, silent.linear2.bias):
        p.zero_()
    silent.norm_first = True
    assert np.allclose(silent(x).numpy(), x.numpy(), atol=1e-6)
    silent.norm_first = False
    assert np.allclose(silent(x).numpy(), silent.norm2(silent.norm1(x)).numpy(), atol=1e-5)
    for norm_first in (False, True):
        layer.norm_first = norm_first
        out = layer(x)
        normalised = (np.allclose(out.mean(dim=-1).numpy(), 0.0, atol=1e-5)
                      and np.allclose(out.var(dim=-1, unbiased=False).numpy(), 1.0, atol=1e-3))
        assert normalised == (not norm_first)
    # LayerNorm by hand (at initialisation gamma = 1 and beta = 0). keepdim=True keeps the reduced
    # dimension with size 1, so mu and var broadcast against x; unbiased=False divides by n, not n - 1.
    mu, var = x.mean(dim=-1, keepdim=True), x.var(dim=-1, keepdim=True, unbiased=False)
    assert np.allclose(layer.norm1(x).numpy(), ((x - mu) / (var + 1e-5).sqrt()).numpy(), atol=1e-5)
print("silenced: pre-norm is the identity, post-norm is LN2(LN1(x)); only post-norm ends normalised")

# %% [markdown]
# **Pre-norm or post-norm?** Stack 12 blocks of each kind and look at two things at
# initialisation: what comes out, and how much gradient each block's FFN weight
# receives. `nn.TransformerEncoder(block, n)` stacks $n$ copies of a block (they are
# in its list `encoder.layers`) and runs them one after the other.

# %%
def stack(norm_first, depth=12):
    minitorch.manual_seed(1)
    block = nn.TransformerEncoderLayer(32, 4, 64, dropout=0.0, batch_first=True, norm_first=norm_first)
    encoder = nn.TransformerEncoder(block, depth)
    for p in encoder.parameters():               # the copies start identical: give each its own weights
        if p.ndim >= 2:
            nn.init.xavier_uniform_(p)
    return encoder


h_in = 3 * minitorch.randn(8, 10, 32) + 1.0
report = {}
for norm_first in (False, True):
    encoder = stack(norm_first)
    h_out = encoder(h_in)
    (h_out * minitorch.randn(*h_out.shape)).sum().backward()
    grads = [blk.linear2.weight.grad.numpy() for blk in encoder.layers]
    report[norm_first] = (h_out.detach().numpy(), [float(np.linalg.norm(g)) for g in grads])
    name = "pre-norm " if norm_first else "post-norm"
    print(f"{name}: output per-token std {h_out.detach().numpy().std(axis=-1).mean():.2f}; "
          f"gradient norms by block {np.round(report[norm_first][1], 0)}")

# %% [markdown]
# What the numbers show, checked, and the gradient per block as a plot:

# %%
post_out, post_grads = report[False]
pre_out, pre_grads = report[True]
assert np.allclose(post_out.std(axis=-1), 1.0, atol=1e-3)      # post-norm: every output is normalised
assert pre_out.std(axis=-1).mean() > h_in.numpy().std(axis=-1).mean()   # pre-norm: the stream grows
assert max(pre_grads) / min(pre_grads) < max(post_grads) / min(post_grads)   # pre-norm: more even

fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(range(1, 13), post_grads, "o-", label="post-norm")
ax.plot(range(1, 13), pre_grads, "o-", label="pre-norm")
ax.set(xlabel="block", ylabel="|dL/dW| of linear2", title="gradient reaching each of 12 blocks at init", ylim=(0, None))
ax.legend()
plt.tight_layout()
plt.savefig(os.path.join(OUT, "pre_vs_post_norm.png"))
show()

# %% [markdown]
# In a post-norm stack every block's output is squeezed through a LayerNorm, and
# the gradient on its way down must pass through all of those above it: how much a
# block receives depends on the scales of everything above, and it jumps around
# from block to block (one reason post-norm transformers need a learning-rate
# warm-up). In a pre-norm stack the residual path from the input to the output is
# a plain sum, $x_L = x_0 + \sum_\ell \text{sublayer}_\ell(\dots)$, so the gradient
# reaches every block directly along it and changes only smoothly with depth. The
# price: nothing normalises that sum (its spread grew from about 3 to about 4 above), so a
# pre-norm stack needs one final LayerNorm
# (`nn.TransformerEncoder(block, n, norm=nn.LayerNorm(d))`).
#
# ## 3. The decoder block
#
# The original transformer translates: an **encoder** reads the source sentence,
# a **decoder** writes the translation one token at a time. A decoder block
# (`nn.TransformerDecoderLayer`) has three sublayers:
#
# 1. **causal self-attention** on the target written so far (`self_attn` with the
#    causal mask: no peeking at the words it has yet to write);
# 2. **cross-attention** (`multihead_attn`): queries from the target, keys and values
#    from the encoder's output, called the *memory*: "which source words matter for
#    the next word?";
# 3. the **FFN**, as in the encoder.
#
# `nn.Transformer.generate_square_subsequent_mask(T)` builds the causal mask in
# PyTorch's float form (0 allowed, $-\infty$ forbidden). The block is called as
# `decoder_layer(target, memory, tgt_mask=causal)`; `tgt_is_causal=True` tells it
# that the mask is the causal one.

# %%
decoder_layer = nn.TransformerDecoderLayer(width, nhead=4, dim_feedforward=4 * width, dropout=0.0,
                                           batch_first=True)
memory = minitorch.randn(1, 7, width)            # the encoded source: 7 tokens
target = minitorch.randn(1, 5, width)            # the target so far: 5 tokens
causal = nn.Transformer.generate_square_subsequent_mask(5)
print(causal.numpy())


def decode(target, memory):
    with minitorch.no_grad():
        return decoder_layer(target, memory, tgt_mask=causal, tgt_is_causal=True).numpy()


out = decode(target, memory)
later_target = target.numpy().copy()
later_target[0, 4] += 5.0                        # change the last target token
other_memory = memory.numpy().copy()
other_memory[0, 0] += 5.0                        # change the first source token
out_t = decode(minitorch.tensor(later_target), memory)
out_m = decode(target, minitorch.tensor(other_memory))
print("output", out.shape)
assert np.allclose(out_t[0, :4], out[0, :4], atol=1e-5)                         # the past ignores the future
assert not np.allclose(out_m[0, 0], out[0, 0], atol=1e-3)                       # every position sees the source
print("target positions 0-3 ignore target token 4; every position sees all of the memory")

# %% [markdown]
# Three families of models use these blocks:
#
# - **encoder-decoder** (`nn.Transformer`): translation, summarisation;
# - **encoder-only** (BERT): every token sees every other; good for classification;
# - **decoder-only** (GPT): causal self-attention and FFN, *no* cross-attention
#   (there is no encoder). That is exactly an encoder block run with the causal
#   mask, so a GPT is `nn.TransformerEncoder` + causal mask. We build one now.
#
# ## 4. A character-level GPT
#
# The shipped corpus is 128,000 characters of Shakespeare; `load_corpus()` returns
# it as one string. A **character tokenizer** (`CharTokenizer(text)`) gives each
# distinct character an id: `encode` turns a string into ids, `decode` turns ids
# back into a string, and `vocab_size` counts the characters.

# %%
text = load_corpus()
tokenizer = CharTokenizer(text)
print(text[:180])
print(f"{len(text):,} characters, {tokenizer.vocab_size} distinct: {tokenizer.chars!r}")
ids = tokenizer.encode("First Citizen:")
print(ids, "->", repr(tokenizer.decode(ids)))
assert tokenizer.decode(ids) == "First Citizen:"

split = int(0.9 * len(text))
train_text, val_text = text[:split], text[split:]          # the last 10% is held out

# %% [markdown]
# A language model learns $p(\text{next character} \mid \text{the characters
# before})$. `CharLMDataset(text, tokenizer, block_size)` cuts the text into
# windows: the input `x` is `block_size` characters and the target `y` is the same
# window moved one character on, so **every position is a training example**:
# after "Firs" comes "t", after "First" comes " ". `get_batch(n)` draws $n$ random
# windows.

# %%
CONTEXT = 128                                        # long enough for every sentiment sentence below
lm_data = CharLMDataset(train_text, tokenizer, block_size=CONTEXT)
xb, yb = lm_data.get_batch(4)
print("x:", repr(tokenizer.decode(xb[0, :40])))
print("y:", repr(tokenizer.decode(yb[0, :40])))
assert xb[0, 1:].tolist() == yb[0, :-1].tolist()

# %% [markdown]
# The model: characters become vectors (`nn.Embedding`), positions are added
# (`nn.SinusoidalPositionalEncoding`), a stack of pre-norm blocks runs with the
# causal mask (passed as `mask=causal, is_causal=True`, like the decoder's `tgt_mask`),
# a final LayerNorm, and a linear **head** turns each position's vector into 61 scores,
# one per possible next character. `features` is the part
# below the head; we will reuse it for classification.
#
# That forward pass is the one of `minitorch.examples.gpt.GPT` (`embed`, `features`,
# `forward`: you write them in lab 5, task 5.6), so `CharGPT` inherits it and only chooses
# its parts: sinusoidal positions, no dropout, Xavier-initialised blocks.

# %%
from minitorch.examples.gpt import GPT


class CharGPT(GPT):
    """ids (N, T) -> next-character logits (N, T, vocab); position t sees ids[:, :t+1] only."""

    def __init__(self, vocab_size, context=CONTEXT, width=64, layers=2, heads=4):
        nn.Module.__init__(self)  # not GPT's: that one would draw GPT-2's initial weights
        self.context = context
        self.token_embedding = nn.Embedding(vocab_size, width)
        self.position = nn.SinusoidalPositionalEncoding(width, max_len=context, batch_first=True)
        block = nn.TransformerEncoderLayer(width, heads, dim_feedforward=4 * width, dropout=0.0,
                                           activation="gelu", batch_first=True, norm_first=True)
        self.blocks = nn.TransformerEncoder(block, layers, norm=nn.LayerNorm(width))
        self.head = nn.Linear(width, vocab_size)
        for p in self.blocks.parameters():   # TransformerEncoder deep-copies one block: re-draw each
            if p.ndim >= 2:
                nn.init.xavier_uniform_(p)


gpt = CharGPT(tokenizer.vocab_size)
print(f"{sum(p.numel() for p in gpt.parameters()):,} parameters")

# %% [markdown]
# Two numbers to compare against before training:
#
# - an untrained model spreads its bets evenly over 61 characters, so its
#   cross-entropy should be close to $\ln 61 \approx 4.11$ nats;
# - a **bigram** model, which predicts the next character from the current one
#   alone by counting pairs in the training text, is the simplest real baseline.
#   A transformer that sees 128 characters of context should beat it.

# %%
def lm_loss(model, some_text, windows=32):
    """Mean next-character cross-entropy over the first ``windows`` non-overlapping windows."""
    data = np.array(tokenizer.encode(some_text))
    rows = np.arange(windows)[:, None] * CONTEXT + np.arange(CONTEXT + 1)
    chunk = minitorch.tensor(data[rows])
    model.eval()
    with minitorch.no_grad():
        logits = model(chunk[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, tokenizer.vocab_size), chunk[:, 1:].reshape(-1)).item()
    model.train()
    return loss


train_ids, val_ids = np.array(tokenizer.encode(train_text)), np.array(tokenizer.encode(val_text))
counts = np.ones((tokenizer.vocab_size, tokenizer.vocab_size)) * 0.1            # a little smoothing
np.add.at(counts, (train_ids[:-1], train_ids[1:]), 1.0)                          # counts[a, b]: b after a
bigram_probs = counts / counts.sum(axis=1, keepdims=True)
bigram_loss = -np.log(bigram_probs[val_ids[:-1], val_ids[1:]]).mean()

initial_loss = lm_loss(gpt, val_text)
print(f"untrained GPT: {initial_loss:.3f} nats (ln 61 = {np.log(61):.3f}); bigram: {bigram_loss:.3f} nats")
assert abs(initial_loss - np.log(tokenizer.vocab_size)) < 0.5

# %% [markdown]
# Training: AdamW (lesson 5), and one new line, `nn.utils.clip_grad_norm_`: if the
# gradient vector of all parameters together is longer than 1, it is scaled down
# to length 1. Transformers occasionally produce a huge gradient on an unlucky
# batch; clipping keeps one such step from undoing the training so far.

# %%
pretrain_steps = 40 if FAST else 800
optimizer = minitorch.optim.AdamW(gpt.parameters(), lr=3e-3, weight_decay=0.01)
history = {"step": [], "train": [], "val": []}
recent = []
start = time.perf_counter()
for step in range(1, pretrain_steps + 1):
    x, y = lm_data.get_batch(8)
    loss = F.cross_entropy(gpt(x).reshape(-1, tokenizer.vocab_size), y.reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(gpt.parameters(), max_norm=1.0)
    optimizer.step()
    recent.append(loss.item())
    if step % (10 if FAST else 100) == 0:
        history["step"].append(step)
        history["train"].append(float(np.mean(recent)))
        history["val"].append(lm_loss(gpt, val_text))
        recent = []
        print(f"step {step:4d}  train {history['train'][-1]:.3f}  val {history['val'][-1]:.3f}  "
              f"({time.perf_counter() - start:.0f} s)")

# %% [markdown]
# The two curves, against the bigram baseline:

# %%
final_val = history["val"][-1]
plt.figure(figsize=(6, 3.5))
plt.plot(history["step"], history["train"], "o-", label="training batches")
plt.plot(history["step"], history["val"], "o-", label="held-out text")
plt.axhline(bigram_loss, color="grey", linestyle="--", label=f"bigram model ({bigram_loss:.2f})")
plt.xlabel("step")
plt.ylabel("cross-entropy (nats per character)")
plt.title("pretraining the character GPT")
plt.legend()
plt.tight_layout()
plt.savefig(os.path.join(OUT, "pretraining_loss.png"))
show()
# Fast mode: a few dozen steps only show the loss falling; full mode must beat the bigram model.
assert final_val < initial_loss - 0.7
if not FAST:
    assert final_val < bigram_loss

# %% [markdown]
# **Sampling.** To write text, feed a prompt, turn the scores of the *last*
# position into probabilities with a softmax, draw the next character, append it,
# repeat. Dividing the scores by a **temperature** $\tau$ first makes the choice
# bolder ($\tau > 1$) or more conservative ($\tau < 1$). `generate` of
# `minitorch.examples.gpt` does it (lab 5, task 5.6), drawing from the generator that
# `minitorch.manual_seed` seeds, so samples repeat.

# %%
from minitorch.examples.gpt import generate as gpt_generate


def generate(model, prompt, length, temperature=0.8):
    return gpt_generate(model, tokenizer, prompt, length, temperature=temperature)


def real_word_fraction(sample, prompt="First Citizen:\n"):
    """The fraction of the generated words (2+ characters) that occur somewhere in the corpus."""
    vocabulary = set(text.split())
    words = [w for w in sample[len(prompt):].split() if len(w) > 1]
    return np.mean([w in vocabulary for w in words]) if words else 0.0


sample = generate(gpt, "First Citizen:\n", 60 if FAST else 300)
untrained_sample = generate(CharGPT(tokenizer.vocab_size), "First Citizen:\n", 60 if FAST else 300)
print(sample)
print("-" * 40)
print(f"real words: trained {real_word_fraction(sample):.0%}, untrained {real_word_fraction(untrained_sample):.0%}")
if not FAST:
    assert real_word_fraction(sample) > real_word_fraction(untrained_sample) + 0.2
with open(os.path.join(OUT, "sample.txt"), "w") as f:
    f.write(sample)

# %% [markdown]
# A crude but honest yardstick is the fraction of generated words that are real
# words of the corpus: an untrained model strings random characters together, so
# only the odd short word like "an" is real; the trained one (full mode) writes
# mostly real words.
#
# After a few hundred steps (full mode) the model has learned the shape of a play:
# names followed by colons, line breaks, short common words, even if the sentences
# make no sense yet. `python -m minitorch.examples gpt` trains a larger version for
# longer.
#
# ## 5. Pretraining, then fine-tuning
#
# The GPT has learned something about English from raw text, with no labels at
# all: spelling, word boundaries, which words follow which. **Fine-tuning** puts
# that knowledge to work on a task with labels. Ours: the sentiment of short
# sentences about films and books (`load_text_classification`: 2,000 training,
# 500 validation and 1,000 test sentences, label 1 = positive). The set is built
# so that word order matters: "the plot was dull but the acting was superb" is
# positive, "the film was not brilliant" negative.
#
# Here are a few training sentences:

# %%
train_texts, train_labels = load_text_classification("train")
for label in (0, 1):
    for row in np.flatnonzero(train_labels == label)[:3]:
        print(f"{['negative', 'positive'][label]:9s} {train_texts[row]}")
print(f"{len(train_texts)} training sentences, {train_labels.mean():.0%} positive, "
      f"the longest {max(map(len, train_texts))} characters")
assert max(map(len, train_texts)) <= CONTEXT

# %% [markdown]
# `text_classification_dataset(split, tokenizer, max_length)` encodes each sentence
# with our character tokenizer and pads it on the right to a common length, and
# returns `(ids, mask, label)` triples, where `mask` is 1 on real characters and
# 0 on padding. Do we need a padding mask inside the GPT? No: attention is causal
# and the padding is at the **end**, so no real character can ever attend to it.
# We only need the mask when we summarise the sentence.
#
# The classifier reuses the GPT's `features` (everything below its head) and adds
# a new head of its own: the features are **averaged over the real characters**
# and mapped to 2 scores,
#
# $$ \bar h = \frac{\sum_t m_t\, h_t}{\sum_t m_t}, \qquad \text{logits} = W \bar h + b . $$
#
# Fine-tuning can then train every weight, body and head, or freeze the body and
# train the new head alone (a *linear probe*). Labels are scarce in practice, and
# that is where pretraining should pay off, so we use only 500 labelled sentences
# and score on the 1,000 test sentences (fast mode: 200 of each). With so few
# labels, training all 108,000 parameters mostly memorises them: an earlier version
# of this lesson did that for 300 steps, and the pretrained model's loss on its
# 500 training sentences fell to 0.18 while it got only 58% of the test sentences
# right (exercise 5). A single run of that kind is also weak evidence: its gap to
# the model trained from scratch (54%) was about two standard errors.
#
# So we train the head alone. With 130 parameters it cannot learn 500 sentences
# by heart (we measure how far it gets), so its test accuracy says what the frozen
# features know; and the features are computed once per model, after which a head
# trains in a fraction of a second. That lets us repeat the comparison over several
# seeds, each with its own 500 sentences, its own head and its own untrained GPT.

# %%
train_set = text_classification_dataset("train", tokenizer, max_length=CONTEXT)
test_set = text_classification_dataset("test", tokenizer, max_length=CONTEXT)
if FAST:
    test_set = minitorch.data.Subset(test_set, list(range(200)))   # fast mode: score on 200 only
ids, mask, label = train_set[0]
print(f"ids {tuple(ids.shape)}: {int(mask.sum())} characters + {int((1 - mask).sum())} padding, label {int(label)}")
print(repr(tokenizer.decode(ids[:int(mask.sum())])))
assert tokenizer.decode(ids[:int(mask.sum())]) == train_texts[0]

# %% [markdown]
# Three helpers for the runs below: `sentence_features` runs a GPT body over a data
# set without building a graph and returns the averaged features $\bar h$ of every
# sentence, `train_head` trains a new linear head on such features, and `accuracy`
# scores a head.

# %%
def sentence_features(body, dataset):
    """(features, labels): body.features averaged over each sentence's real characters, (N, 64)."""
    body.eval()
    rows, labels = [], []
    with minitorch.no_grad():
        for ids, mask, y in DataLoader(dataset, batch_size=250):
            T = int(mask.sum(dim=1).max().item())   # drop the columns that are padding in every row
            h = body.features(ids[:, :T])           # (N, T, width)
            m = mask[:, :T].unsqueeze(-1).float()   # (N, T, 1): 1 on characters, 0 on padding
            rows.append(((h * m).sum(dim=1) / m.sum(dim=1)).numpy())
            labels.append(y.numpy())
    body.train()
    return np.concatenate(rows), np.concatenate(labels)


def train_head(features, labels, steps=300):
    """A new nn.Linear(64, 2) trained with Adam on frozen features, all sentences in every step."""
    head = nn.Linear(features.shape[1], 2)
    optimizer = minitorch.optim.Adam(head.parameters(), lr=1e-2)
    X, y = minitorch.tensor(features), minitorch.tensor(labels)
    for _ in range(steps):
        loss = F.cross_entropy(head(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return head


def accuracy(head, features, labels):
    with minitorch.no_grad():
        return float(np.mean(head(minitorch.tensor(features)).argmax(dim=1).numpy() == labels))

# %% [markdown]
# The experiment. For each seed: draw the labelled sentences, build a GPT that
# was never trained (same architecture, its own random weights), compute both
# models' features, and train one head on each with the same initialisation.

# %%
SEEDS, N_LABELS = (2, 200) if FAST else (5, 500)
start = time.perf_counter()
test_features = {"pretrained": sentence_features(gpt, test_set)}   # the pretrained body never changes
runs = []
for seed in range(SEEDS):
    chosen = np.random.default_rng(seed).choice(len(train_set), N_LABELS, replace=False).tolist()
    labelled = minitorch.data.Subset(train_set, chosen)
    minitorch.manual_seed(seed)
    untrained = CharGPT(tokenizer.vocab_size)
    test_features["from scratch"] = sentence_features(untrained, test_set)
    row = {}
    for name, body in [("pretrained", gpt), ("from scratch", untrained)]:
        X_train, y_train = sentence_features(body, labelled)
        minitorch.manual_seed(seed)                  # the same head initialisation for both
        head = train_head(X_train, y_train)
        row[name] = {"train": accuracy(head, X_train, y_train), "test": accuracy(head, *test_features[name])}
    runs.append(row)
    print(f"seed {seed}: test accuracy pretrained {row['pretrained']['test']:.1%}, "
          f"from scratch {row['from scratch']['test']:.1%}   (on their training sentences: "
          f"{row['pretrained']['train']:.1%}, {row['from scratch']['train']:.1%})")
print(f"{SEEDS} seeds in {time.perf_counter() - start:.0f} s")

# %%
test_acc = {name: np.array([r[name]["test"] for r in runs]) for name in ("pretrained", "from scratch")}
gap = test_acc["pretrained"] - test_acc["from scratch"]
stderr = gap.std(ddof=1) / np.sqrt(SEEDS)          # the standard error of the mean gap
overfit = np.array([r["pretrained"]["train"] - r["pretrained"]["test"] for r in runs])
print(f"mean test accuracy: pretrained {test_acc['pretrained'].mean():.1%}, "
      f"from scratch {test_acc['from scratch'].mean():.1%}; gap {gap.mean():.1%} ± {stderr:.1%} (standard error), "
      f"pretrained ahead on {(gap > 0).sum()} of {SEEDS} seeds")
print(f"pretrained head: training minus test accuracy {overfit.min():.1%} to {overfit.max():.1%}")
if not FAST:
    assert 2 * stderr < gap.mean() < 0.05              # a gain beyond the noise, but only a few points...
    assert max(test_acc["pretrained"].mean(), test_acc["from scratch"].mean()) < 0.6   # ...both near chance
    assert overfit.min() > 0.05                        # and even 130 parameters fit some noise

fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
for r in runs:
    axes[0].plot([0, 1], [100 * r["from scratch"]["test"], 100 * r["pretrained"]["test"]], "o-", color="grey")
axes[0].set(xticks=[0, 1], xticklabels=["from scratch", "pretrained"], xlim=(-0.3, 1.3), ylim=(40, 65),
            ylabel="test accuracy (%)", title=f"one line per seed ({SEEDS} seeds)")
axes[0].axhline(50, color="grey", linestyle=":", label="chance")
axes[0].legend()
positions = np.arange(2)
for k, (split, label) in enumerate([("train", "its training sentences"), ("test", "test sentences")]):
    means = [100 * np.mean([r[name][split] for r in runs]) for name in ("from scratch", "pretrained")]
    axes[1].bar(positions + (k - 0.5) * 0.35, means, width=0.35, label=label)
axes[1].set(xticks=positions, xticklabels=["from scratch", "pretrained"], ylabel="accuracy (%)",
            title="mean over the seeds", ylim=(40, 80))
axes[1].legend()
plt.tight_layout()
plt.savefig(os.path.join(OUT, "pretrained_vs_scratch.png"))
show()

# %% [markdown]
# The evidence, in full mode: over 5 seeds the pretrained features win by
# 1.6 ± 0.6 points (ahead on 4 of the 5 seeds), a gain beyond the noise but a tiny
# one, since both heads stay near chance (52.7% and 51.0% on the test sentences).
# And even 130 parameters fit some noise: about 63% right on their own 500
# sentences against 52% on new ones. One small model pretrained for a minute on
# 115,000 characters of Shakespeare knows spelling and word boundaries, but its
# averaged features say almost nothing about whether a film was "dull" or
# "superb", let alone what "not", "but" and "although" do to that. The larger gain
# of training every weight on the labels (58% against 54%, exercise 5) comes from
# the labels teaching the body itself, and from one run it is about two standard
# errors. Scale is what turns this small effect into the large one behind modern
# language models: BERT and GPT pretrain on billions of words, and then a few
# thousand labels go a long way.
#
# ## Summary
#
# - Sinusoidal positional encodings give each position a unique pattern of
#   rotating (sin, cos) pairs; an offset $k$ is one fixed rotation $M_k$.
# - An encoder block = self-attention + FFN, each with a residual connection and a
#   LayerNorm, before (pre-norm) or after (post-norm). A decoder block adds
#   cross-attention to the encoder's output and uses a causal mask.
# - A GPT is a stack of blocks with a causal mask, trained to predict the next
#   token at every position; sampling feeds its own predictions back in.
# - Pretraining on raw text, then a new head trained on a few labels: at this tiny
#   scale the frozen pretrained features beat an untrained model's by only a point
#   or two. One run is not evidence; repeat over seeds and compare the gap with its
#   standard error.
#
# ## Exercises
#
# Every exercise has a check that says right or wrong, and why: `from minitorch.exercises import check`,
# then for example `check("9.1", n_extra)` (`python -m minitorch.exercises` lists what each check takes).
#
# 1. **Learned positions.** Replace `nn.SinusoidalPositionalEncoding` in `CharGPT`
#    by `nn.LearnedPositionalEncoding(CONTEXT, 64, batch_first=True)` and compare
#    the validation loss after the same number of steps. *Hint:* it has
#    $128 \times 64$ more parameters to learn.
# 2. **Post-norm GPT.** Build `CharGPT` with `norm_first=False` (and no final
#    norm). Does it train as well at `lr=3e-3`? Try a smaller learning rate.
#    *Hint:* section 2's gradient plot. Which stack's gradient norms differ more from block to
#    block (largest over smallest)? `check("9.2", "post-norm")` or `check("9.2", "pre-norm")`.
# 3. **Temperature.** Generate samples at temperatures 0.3, 1.0 and 1.5 and
#    measure `real_word_fraction` for each. Explain the trend. *Hint:* what does
#    softmax(z / 0.3) look like? Check it on small scores: the top probability
#    `softmax(z / tau)[0]` for $z = [2, 1, 0, -1]$ at each $\tau$, `check("9.3", [p_03, p_10, p_15])`.
# 4. **Last character instead of the mean.** Classify from the features of the
#    last real character only, `h[arange(N), mask.sum(1) - 1]`. Why is that the only
#    position that has seen the whole sentence? Compare the accuracy. *Hint:* the mask
#    is causal, so position $t$ has seen characters $0 \dots t$ only. Check your
#    `last_features(h, mask)` (features (N, T, width), padding mask (N, T)) with
#    `check("9.4", last_features)`.
# 5. **Fine-tune everything.** Put the body and a new head in one `nn.Module` and
#    train all its weights (AdamW, lr $10^{-3}$, batches of 16, `clip_grad_norm_`,
#    300 steps) on 500 sentences, starting once from `copy.deepcopy(gpt)` and once
#    from an untrained `CharGPT`. Compare the loss on the training sentences with
#    the test accuracy, then repeat with all 2,000 sentences. *Hint:* expect the
#    pretrained model's training loss near 0.2 and its test accuracy below 60%:
#    memorisation; more labels narrow that gap. Check your model class, built as
#    `FineTuner(body)` with `forward(ids, mask)` returning (N, 2) logits from the masked mean of
#    `body.features(ids)`, with `check("9.5", FineTuner)`.
