# %% [markdown]
# # Lesson 8: Attention
#
# A convolution looks at a fixed neighbourhood. **Attention** lets every position
# of a sequence decide for itself which other positions to look at, and how much,
# based on what they contain. It is the one new idea inside a transformer.
#
# **Learning goals**
# - compute self-attention step by step (scores, softmax, weighted sum) and with
#   `F.scaled_dot_product_attention`, and redo the seed's toy example correctly;
# - explain, and measure, why the scores are divided by $\sqrt{d}$;
# - use causal and padding masks (bool and float) and check what they hide;
# - split attention into heads by hand and match `nn.MultiheadAttention`;
# - read attention heatmaps, including one a tiny model learned.
#
# **Time:** about 60 minutes. **Builds on:** lessons 3 (broadcasting, matmul),
# 4 (softmax and its gradient), 5 (Adam), 6 (training loops), 7 (`nn.Module` subclasses).
#
# **New API in this lesson:** `F.scaled_dot_product_attention`,
# `F.attention_weights` (minitorch's own helper: the softmax part alone),
# `nn.MultiheadAttention`, `nn.Embedding`, `minitorch.randint`, `F.linear`, `masked_fill`.

# %%
import os

from minitorch.lesson_setup import setup

IN_NOTEBOOK, FAST, OUT, show = setup("08_attention")  # see minitorch/lesson_setup.py
import matplotlib.pyplot as plt
import numpy as np

import minitorch
import minitorch.nn.functional as F
from minitorch import nn

minitorch.manual_seed(0)
print("fast mode" if FAST else "full mode", "- figures go to", OUT)

# %% [markdown]
# A small helper draws attention matrices as heatmaps; we will use it throughout.

# %%
def heatmap(ax, weights, title, labels=None, annotate=False):
    """Draw an (L, S) attention matrix: row i = how much query i attends to each key j."""
    image = ax.imshow(weights, cmap="viridis", vmin=0.0, vmax=1.0)
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="attention weight")
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("key j")
    ax.set_ylabel("query i")
    if labels is not None:
        ax.set_xticks(range(len(labels)), labels)
        ax.set_yticks(range(len(labels)), labels)
    if annotate:
        for i in range(weights.shape[0]):
            for j in range(weights.shape[1]):
                ax.text(j, i, f"{weights[i, j]:.2f}", ha="center", va="center",
                        color="white" if weights[i, j] < 0.5 else "black")

# %% [markdown]
# ## 1. The idea: a soft dictionary lookup
#
# Each position $i$ of a sequence carries three vectors:
#
# - a **query** $q_i$: what position $i$ is looking for;
# - a **key** $k_j$: what position $j$ offers, to be matched against queries;
# - a **value** $v_j$: what position $j$ hands over if it is chosen.
#
# Position $i$ scores every key by a dot product, turns the scores into weights
# that are positive and sum to 1 with a softmax, and returns the weighted average
# of the values:
#
# $$ s_{ij} = \frac{q_i \cdot k_j}{\sqrt{d}}, \qquad
#    w_{ij} = \frac{e^{s_{ij}}}{\sum_{j'} e^{s_{ij'}}}, \qquad
#    o_i = \sum_j w_{ij}\, v_j . $$
#
# Stacking the queries as the rows of a matrix $Q$ (and likewise $K$, $V$), all of
# it is three matrix operations:
#
# $$ \text{Attention}(Q, K, V) = \text{softmax}\!\left(\frac{Q K^\top}{\sqrt{d}}\right) V . $$
#
# A Python dictionary returns the value of the one key that matches exactly; attention
# returns a blend of all values, weighted by how well each key matches.
#
# ## 2. The seed's toy example, done right
#
# Seed 000 illustrates the formula with "a simple sequence [1, 2, 3]" whose
# queries, keys and values are $Q = [1, 0, 1]$, $K = [1, 2, 3]$, $V = [3, 2, 1]$,
# and computes:
#
# 1. "dot product" $QK^\top = [1 \times 1,\ 0 \times 2,\ 1 \times 3] = [1, 0, 3]$;
# 2. softmax weights $[0.36, 0.36, 0.28]$;
# 3. "weighted sum" $[0.36 \times 3,\ 0.36 \times 2,\ 0.28 \times 1] = [1.08, 0.72, 0.28]$.
#
# Let us redo each step with the engine. The sensible reading is a sequence of
# three tokens, each with a one-number query, key and value, so $d = 1$:

# %%
q = minitorch.tensor([[1.0], [0.0], [1.0]])   # 3 tokens, d = 1: one row per token
k = minitorch.tensor([[1.0], [2.0], [3.0]])
v = minitorch.tensor([[3.0], [2.0], [1.0]])

seed_scores = (q * k).reshape(3)               # what the seed computed: q_i * k_i
print("the seed's 'QK^T':", seed_scores.tolist())
print("its softmax:", seed_scores.softmax(0).numpy().round(3), "(seed: [0.36, 0.36, 0.28])")
assert seed_scores.tolist() == [1.0, 0.0, 3.0]
assert not np.allclose(seed_scores.softmax(0).numpy(), [0.36, 0.36, 0.28], atol=0.05)

# %% [markdown]
# Three things went wrong:
#
# - **Step 1 is an elementwise product, not $QK^\top$.** $q_i k_i$ compares each
#   token only with *itself*: that is the diagonal of the score matrix. Attention
#   compares every query with every key, $s_{ij} = q_i k_j$: a $3 \times 3$ matrix.
# - **Step 2 does not follow from step 1.** The softmax of $[1, 0, 3]$ is
#   $[0.11, 0.04, 0.84]$ (or $[0.21, 0.12, 0.67]$ if one divides by $\sqrt 3$): the
#   largest score must get the largest weight, yet the seed gives it the smallest.
# - **Step 3 is not a sum.** It multiplies weights and values pairwise and stops.
#   A weighted sum gives *one* output per query, $o_i = \sum_j w_{ij} v_j$.
#
# The correct computation, one line per step:

# %%
scores = q @ k.T / 1.0 ** 0.5                 # s_ij = q_i k_j / sqrt(d), d = 1: a 3x3 matrix
weights = scores.softmax(dim=-1)              # dim=-1 is the last dimension: each row sums to 1
out = weights @ v                             # o_i = sum_j w_ij v_j
print("scores:\n", scores.numpy())
print("weights:\n", weights.numpy().round(3))
print("outputs:", out.reshape(3).numpy().round(3))

e = np.exp([1.0, 2.0, 3.0])
assert np.allclose(weights[0].numpy(), e / e.sum())          # token 0 (query 1) prefers token 2 (key 3)
assert np.allclose(weights[1].numpy(), [1 / 3] * 3)          # token 1's query is 0: all scores 0, a plain average
assert np.allclose(out.reshape(3).numpy(), [(e @ [3, 2, 1]) / e.sum(), 2.0, (e @ [3, 2, 1]) / e.sum()])

# %% [markdown]
# Read the rows: token 0 (query 1) likes large keys, so it puts two thirds of its
# attention on token 2, and its output, 1.42, is pulled from the plain average 2
# towards token 2's value, 1.
# Token 1 has query 0: every score is 0, so it averages the values evenly, $(3+2+1)/3 = 2$.
#
# minitorch's `F.scaled_dot_product_attention(query, key, value)` (PyTorch's
# function) does all three steps, and `F.attention_weights(query, key)` returns
# just the weights (minitorch's own helper, handy for plotting):

# %%
assert np.allclose(F.scaled_dot_product_attention(q, k, v).numpy(), out.numpy())
assert np.allclose(F.attention_weights(q, k).numpy(), weights.numpy())

# The other possible reading (one token whose 3-D query, key and value are those vectors) is
# degenerate: with a single key the softmax of one score is 1, and the output is V itself.
one = F.scaled_dot_product_attention(minitorch.tensor([[1.0, 0.0, 1.0]]), minitorch.tensor([[1.0, 2.0, 3.0]]),
                                     minitorch.tensor([[3.0, 2.0, 1.0]]))
assert one.tolist() == [[3.0, 2.0, 1.0]]

fig, ax = plt.subplots(figsize=(4, 3.6))
heatmap(ax, weights.numpy(), "seed 000's toy example, computed", labels=["k=1", "k=2", "k=3"], annotate=True)
ax.set_yticks(range(3), ["q=1", "q=0", "q=1"])
plt.tight_layout()
plt.savefig(os.path.join(OUT, "toy_example.png"))
show()

# %% [markdown]
# ## 3. Where Q, K and V come from
#
# In self-attention the queries, keys and values are all computed from the same
# input sequence $X$ (one row per token, $E$ features) by three learned linear maps:
#
# $$ Q = X W_q, \quad K = X W_k, \quad V = X W_v . $$
#
# The step-by-step computation on a random sequence of 5 tokens, shapes printed:

# %%
L, E = 5, 8
X = minitorch.randn(L, E)
W_q, W_k, W_v = (minitorch.randn(E, E) / E ** 0.5 for _ in range(3))

Q, K, V = X @ W_q, X @ W_k, X @ W_v                  # (L, E) each
S = Q @ K.T / E ** 0.5                                # (L, L) scores
A = S.softmax(dim=-1)                                 # (L, L) weights
O = A @ V                                             # (L, E) outputs
print("Q", tuple(Q.shape), " scores", tuple(S.shape), " weights", tuple(A.shape), " output", tuple(O.shape))
print("row sums of the weights:", A.sum(dim=-1).numpy().round(6))

assert np.allclose(A.sum(dim=-1).numpy(), 1.0, atol=1e-6)
assert np.allclose(O.numpy(), F.scaled_dot_product_attention(Q, K, V).numpy(), atol=1e-6)

# %% [markdown]
# One property to keep in mind for the next lesson: attention does not know the
# **order** of the tokens. If we shuffle the rows of $X$, each token still finds the
# same partners, so the outputs come out shuffled the same way and otherwise
# unchanged. (A transformer therefore adds *positional encodings* to $X$.)

# %%
def self_attention(X):
    return F.scaled_dot_product_attention(X @ W_q, X @ W_k, X @ W_v)


perm = [3, 0, 4, 1, 2]                                # X[perm]: the rows of X in this order
assert np.allclose(self_attention(X[perm]).numpy(), self_attention(X)[perm].numpy(), atol=1e-6)
print("shuffling the tokens just shuffles the outputs: attention alone ignores order")

# %% [markdown]
# ## 4. Why divide by $\sqrt{d}$?
#
# Suppose the components of $q$ and $k$ are independent, with mean 0 and variance
# 1 (roughly what a well-initialised network produces). Then
#
# $$ \operatorname{Var}(q \cdot k) = \sum_{m=1}^{d} \operatorname{Var}(q_m k_m)
#    = \sum_{m=1}^{d} E[q_m^2]\, E[k_m^2] = d . $$
#
# The scores grow like $\sqrt d$ in size. Dividing by $\sqrt d$ brings their
# variance back to 1, whatever the head size. Measured:

# %%
dims = [4, 16, 64, 256, 1024]
n_samples, n_keys = 400, 16
raw_var, scaled_var, raw_peak, scaled_peak, raw_grad, scaled_grad = ([] for _ in range(6))
for d in dims:
    qs = minitorch.randn(n_samples, 1, d)             # one query per sample
    ks = minitorch.randn(n_samples, n_keys, d)        # against 16 keys
    s = qs @ ks.mT                                    # .mT swaps the last two dims; (n_samples, 1, 16)
    raw_var.append(s.var().item())
    scaled_var.append((s / d ** 0.5).var().item())
    for scale, peak, grad in [(1.0, raw_peak, raw_grad), (d ** -0.5, scaled_peak, scaled_grad)]:
        logits = (s * scale).detach().requires_grad_()
        w = logits.softmax(dim=-1)
        (w * minitorch.randn(*w.shape)).sum().backward()   # a random upstream gradient
        # max(dim=...) returns (values, indices), as in PyTorch; [0] keeps the values
        peak.append(w.max(dim=-1)[0].mean().item())         # the largest weight, on average
        grad.append(logits.grad.abs().mean().item())        # how much gradient reaches the scores
    print(f"d={d:5d}  Var(q.k)={raw_var[-1]:7.1f}  Var(q.k/sqrt d)={scaled_var[-1]:.2f}  "
          f"largest weight: raw {raw_peak[-1]:.2f}, scaled {scaled_peak[-1]:.2f}")

for d, rv, sv in zip(dims, raw_var, scaled_var):
    assert abs(rv / d - 1) < 0.15 and abs(sv - 1) < 0.15       # Var = d before, 1 after scaling

# %% [markdown]
# Why does that matter? Big scores make the softmax **saturate**: one weight goes to
# 1 and the rest to 0, so each query looks at a single key, chosen by accident at
# initialisation. Worse, the softmax's Jacobian
# $\partial w_i / \partial s_j = w_i(\delta_{ij} - w_j)$ (lesson 4) is nearly zero
# when $w$ is nearly one-hot, so almost no gradient reaches the queries and keys,
# and learning stalls. With the scaling, the attention starts spread out and the
# gradient keeps the same size for every $d$:

# %%
print("mean |dL/dscore|  raw:   ", np.round(raw_grad, 4))
print("                  scaled:", np.round(scaled_grad, 4))
assert raw_peak[-1] > 0.9 and scaled_peak[-1] < 0.4              # saturated vs spread out at d = 1024
assert raw_grad[-1] < raw_grad[0] / 5                            # unscaled: gradient shrinks with d
assert max(scaled_grad) < 1.2 * min(scaled_grad)                 # scaled: about constant

fig, axes = plt.subplots(1, 3, figsize=(12, 3.5))
axes[0].loglog(dims, raw_var, "o-", label="q.k")
axes[0].loglog(dims, scaled_var, "o-", label="q.k / sqrt(d)")
axes[0].loglog(dims, dims, "k:", label="d")
axes[0].set(xlabel="d", ylabel="variance of the score", title="score variance")
axes[1].semilogx(dims, raw_peak, "o-", label="q.k")
axes[1].semilogx(dims, scaled_peak, "o-", label="q.k / sqrt(d)")
axes[1].set(xlabel="d", ylabel="largest attention weight", title=f"softmax over {n_keys} keys", ylim=(0, 1))
axes[2].loglog(dims, raw_grad, "o-", label="q.k")
axes[2].loglog(dims, scaled_grad, "o-", label="q.k / sqrt(d)")
axes[2].set(xlabel="d", ylabel="mean |dL/d score|", title="gradient reaching the scores")
for ax in axes:
    ax.legend()
plt.tight_layout()
plt.savefig(os.path.join(OUT, "why_sqrt_d.png"))
show()

# %% [markdown]
# ## 5. Masks: deciding who may look at whom
#
# Often some query-key pairs must be forbidden. The trick is to set their scores
# to $-\infty$ before the softmax: $e^{-\infty} = 0$, so they get exactly zero
# weight and the remaining weights still sum to 1.
#
# **Causal mask.** A language model predicting token $i+1$ must not peek at tokens
# after $i$: query $i$ may only see keys $j \le i$. `is_causal=True` does this.

# %%
Xb = minitorch.randn(1, 6, E)                         # a batch with one sequence of 6 tokens
Qb, Kb, Vb = Xb @ W_q, Xb @ W_k, Xb @ W_v
causal_w = F.attention_weights(Qb, Kb, is_causal=True)[0]
print(causal_w.numpy().round(2))
assert np.allclose(np.triu(causal_w.numpy(), k=1), 0.0)            # nothing above the diagonal
assert np.allclose(causal_w.sum(dim=-1).numpy(), 1.0, atol=1e-6)   # still a distribution per row

# %% [markdown]
# The same mask can be given explicitly, in two forms:
#
# - a **bool** `attn_mask`, `True` where attention is **allowed**
#   (`F.scaled_dot_product_attention`'s convention);
# - a **float** `attn_mask` that is *added* to the scores: 0 where allowed,
#   $-\infty$ where not.
#
# Broadcasting builds the lower triangle "key $j \le$ query $i$" from two aranges
# (lesson 3). Three small tools: `~mask` flips a bool tensor, `t.masked_fill(mask, value)`
# returns a copy of `t` with `value` wherever `mask` is `True`, and `.int()` prints bools
# as 0 and 1:

# %%
positions = minitorch.arange(6)
allowed = positions.reshape(6, 1) >= positions.reshape(1, 6)      # (6, 6) bool: j <= i
additive = minitorch.zeros(6, 6).masked_fill(~allowed, float("-inf"))
print(allowed.int().numpy())
out_causal = F.scaled_dot_product_attention(Qb, Kb, Vb, is_causal=True)
assert np.allclose(F.scaled_dot_product_attention(Qb, Kb, Vb, attn_mask=allowed).numpy(), out_causal.numpy())
assert np.allclose(F.scaled_dot_product_attention(Qb, Kb, Vb, attn_mask=additive).numpy(), out_causal.numpy())

# %% [markdown]
# What the causal mask guarantees: changing the last token cannot change any
# earlier output.

# %%
changed = Xb.detach().numpy().copy()
changed[0, 5] += 10.0                                 # a very different last token
Xc = minitorch.tensor(changed)
out_changed = F.scaled_dot_product_attention(Xc @ W_q, Xc @ W_k, Xc @ W_v, is_causal=True)
assert np.allclose(out_changed[0, :5].numpy(), out_causal[0, :5].numpy(), atol=1e-6)
assert not np.allclose(out_changed[0, 5].numpy(), out_causal[0, 5].numpy())
print("outputs 0-4 ignore token 5; only output 5 changed")

# %% [markdown]
# **Padding mask.** Sentences in a batch have different lengths, so the short ones
# are padded with filler tokens to a common length. Real tokens must not attend to
# the padding. Below, sequence 0 has 6 real tokens and sequence 1 only 4; the mask
# `(N, 1, S)` broadcasts over the queries.

# %%
lengths = minitorch.tensor([6, 4])
real = minitorch.arange(6).reshape(1, 6) < lengths.reshape(2, 1)     # (N, S): True on real tokens
print(real.int().numpy())
X2 = minitorch.randn(2, 6, E)
Q2, K2, V2 = X2 @ W_q, X2 @ W_k, X2 @ W_v
pad_w = F.attention_weights(Q2, K2, attn_mask=real.unsqueeze(1))
pad_out = F.scaled_dot_product_attention(Q2, K2, V2, attn_mask=real.unsqueeze(1))
assert np.allclose(pad_w[1, :, 4:].numpy(), 0.0)                     # nobody looks at the padding
# The real tokens of sequence 1 get exactly what they would get with no padding at all:
alone = F.scaled_dot_product_attention(Q2[1, :4], K2[1, :4], V2[1, :4])
assert np.allclose(pad_out[1, :4].numpy(), alone.numpy(), atol=1e-6)
print("with the padding mask, a padded sequence gives the same outputs as the unpadded one")

# %% [markdown]
# (The padding *queries*, rows 4 and 5 of sequence 1, still produce outputs. They
# are meaningless and simply ignored: the loss never looks at them.)

# %%
fig, axes = plt.subplots(1, 3, figsize=(11, 3.6))
heatmap(axes[0], F.attention_weights(Qb, Kb)[0].numpy(), "no mask")
heatmap(axes[1], causal_w.numpy(), "causal mask (is_causal=True)")
heatmap(axes[2], pad_w[1].numpy(), "padding mask: 4 real tokens + 2 pad")
assert all(ax.images[0].colorbar is not None for ax in axes)   # every heatmap has its colour scale
plt.tight_layout()
plt.savefig(os.path.join(OUT, "masks.png"))
show()

# %% [markdown]
# ## 6. Multi-head attention
#
# One softmax gives each query one way of distributing its attention. With **$H$
# heads**, the $E$ features are split into $H$ groups of $D = E / H$; each head
# attends on its own group (its own queries, keys and values), so one head can
# follow, say, the previous word while another follows the subject. The heads'
# outputs are concatenated and mixed by an output matrix $W_o$:
#
# $$ \text{head}_h = \text{softmax}\!\left(\frac{Q_h K_h^\top}{\sqrt D}\right) V_h, \qquad
#    \text{MultiHead}(X) = \text{concat}(\text{head}_1, \dots, \text{head}_H)\, W_o^\top + b_o . $$
#
# `nn.MultiheadAttention(embed_dim, num_heads, batch_first=True)` is PyTorch's
# module; it returns `(output, weights)`. Its parameters: `in_proj_weight`, the
# three matrices $W_q, W_k, W_v$ stacked into $(3E, E)$, `in_proj_bias`, and
# `out_proj`, a `Linear(E, E)`.

# %%
E, H = 8, 2
D = E // H
mha = nn.MultiheadAttention(E, H, batch_first=True)
for name, p in mha.named_parameters():
    print(f"{name:22s} {tuple(p.shape)}")
assert sum(p.numel() for p in mha.parameters()) == 4 * E * E + 4 * E   # as many as ONE head of width E

x = minitorch.randn(1, 5, E)                                  # (N, L, E)
with minitorch.no_grad():
    out_mha, w_mha = mha(x, x, x)
print("output", tuple(out_mha.shape), " weights (averaged over heads)", tuple(w_mha.shape))

# %% [markdown]
# Now step by step. First the three projections $Q = x W_q^\top + b_q$ (rows $0 \dots E-1$
# of `in_proj_weight`), $K$ and $V$ likewise, then **split the heads**: the $E = 8$
# features of each token become $H = 2$ groups of $D = 4$, and the head axis moves in
# front of the sequence axis, so that each head is an ordinary batch entry for attention:
# $(N, L, E) \to (N, L, H, D) \to (N, H, L, D)$. The module's own helpers do these two
# steps (`_in_projection` and `_split_heads`: you write them in lab 5, task 5.3); the rest
# we do here.

# %%
with minitorch.no_grad():
    Qm, Km, Vm = mha._in_projection(x, x, x)                  # x W_q^T + b_q, ...: (1, 5, 8) each
    Qh, Kh, Vh = (mha._split_heads(t) for t in (Qm, Km, Vm))  # (1, 2, 5, 4) each
    assert np.allclose(Qh[0, 1].numpy(), Qm[0, :, D:].numpy())  # head 1 holds features 4-7
    heads = F.scaled_dot_product_attention(Qh, Kh, Vh)        # every head at once: (1, 2, 5, 4)
    ### BEGIN REFERENCE 5.3: the heads merged back to (N, L, E) and projected by W_o, as the module's forward does
    concat = heads.transpose(1, 2).reshape(1, 5, E)           # back to (N, L, E): heads side by side
    by_hand = mha.out_proj(concat)                            # W_o, b_o
    ### STUDENT
    # concat = minitorch.cat([heads[:, h] for h in range(H)], dim=-1)  # concat(head_1, ..., head_H)
    # by_hand = mha.out_proj(concat)                            # W_o, b_o
    ### END REFERENCE
    head_weights = F.attention_weights(Qh, Kh)                # (1, 2, 5, 5): one map per head

print("heads", tuple(heads.shape), "-> concatenated", tuple(concat.shape))
assert np.allclose(by_hand.numpy(), out_mha.numpy(), atol=1e-6)
assert np.allclose(head_weights.mean(dim=1).numpy(), w_mha.numpy(), atol=1e-6)
# Features 0-3 of the concatenation are head 0's output, features 4-7 head 1's:
assert np.allclose(concat[0, :, :D].numpy(), heads[0, 0].numpy())
print("split, attend per head, concatenate, project: the same as nn.MultiheadAttention")

# %% [markdown]
# Two conventions to watch when you move between functions:
#
# - `need_weights=True, average_attn_weights=False` returns every head's map,
#   $(N, H, L, S)$, instead of their average.
# - `nn.MultiheadAttention`'s masks follow PyTorch: a **bool** mask is `True` where
#   attention is **not** allowed (`key_padding_mask=True` marks padding), the
#   opposite of `F.scaled_dot_product_attention`'s bool mask.

# %%
keep = minitorch.tensor([[True, True, True, False, False]])        # 3 real tokens, 2 pad
with minitorch.no_grad():
    _, per_head = mha(x, x, x, key_padding_mask=~keep, average_attn_weights=False)
print("per-head weights", tuple(per_head.shape))
assert per_head.shape == (1, H, 5, 5)
assert np.allclose(per_head[..., 3:].numpy(), 0.0)                # the padded keys get no attention

# %% [markdown]
# ## 7. A heatmap that means something: attention learns where to look
#
# Random weights give random maps. To see a *learned* pattern, train the smallest
# possible model on a task that needs attention: **reverse a sequence** of digits.
# The output at position $i$ must be the input at position $L - 1 - i$, whatever
# the digits are, so the model must learn to look across the sequence.
#
# The model: each digit becomes a vector (`nn.Embedding`, a learned table with
# one row per digit), plus a learned vector per *position* (without it, as we saw,
# attention cannot tell positions apart); one attention layer; a linear layer
# reads out the digit.

# %%
VOCAB, SEQ, WIDTH = 10, 8, 32


class Reverser(nn.Module):
    def __init__(self):
        super().__init__()
        self.digit = nn.Embedding(VOCAB, WIDTH)      # digit id -> vector
        self.position = nn.Embedding(SEQ, WIDTH)     # position 0..7 -> vector
        self.attn = nn.MultiheadAttention(WIDTH, 1, batch_first=True)
        self.head = nn.Linear(WIDTH, VOCAB)

    def forward(self, ids):
        h = self.digit(ids) + self.position(minitorch.arange(SEQ))   # (N, SEQ, WIDTH)
        out, weights = self.attn(h, h, h)
        return self.head(out), weights                                # logits (N, SEQ, VOCAB)


reverser = Reverser()
optimizer = minitorch.optim.Adam(reverser.parameters(), lr=1e-2)
backwards = list(range(SEQ - 1, -1, -1))
losses = []
for step in range(60 if FAST else 300):
    ids = minitorch.randint(0, VOCAB, (64, SEQ))   # random integers in [0, VOCAB): digit strings
    logits, _ = reverser(ids)
    loss = F.cross_entropy(logits.reshape(-1, VOCAB), ids[:, backwards].reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    losses.append(loss.item())
print(f"loss: {losses[0]:.3f} at the start (ln 10 = {np.log(10):.3f}), {losses[-1]:.4f} at the end")

# %%
test_ids = minitorch.randint(0, VOCAB, (1, SEQ))
with minitorch.no_grad():
    logits, learned = reverser(test_ids)
print("input:   ", test_ids[0].tolist())
print("reversed:", logits[0].argmax(dim=-1).tolist())
assert logits[0].argmax(dim=-1).tolist() == test_ids[0, backwards].tolist()
mirror = np.mean([learned[0, i, SEQ - 1 - i].item() for i in range(SEQ)])
print(f"average weight on the mirror position: {mirror:.2f}")
assert losses[-1] < 0.1 and mirror > 0.8        # it learned to look across, almost exclusively

fig, axes = plt.subplots(1, 2, figsize=(9, 3.8))
axes[0].plot(losses)
axes[0].set(xlabel="step", ylabel="cross-entropy", title="learning to reverse", yscale="log")
heatmap(axes[1], learned[0].numpy(), "learned attention", labels=test_ids[0].tolist())
plt.tight_layout()
plt.savefig(os.path.join(OUT, "learned_attention.png"))
show()

# %% [markdown]
# `learned_attention.png` shows the anti-diagonal: query 0 looks at key 7, query 1
# at key 6, and so on. Nobody told the model where to look; the gradient of the
# loss, flowing back through the softmax into the queries and keys, found it.
#
# ## Summary
#
# - Attention: scores $QK^\top/\sqrt d$, a softmax per query row, a weighted sum of
#   the values. Every query is compared with every key (a matrix, not a diagonal).
# - Dividing by $\sqrt d$ keeps the scores' variance at 1; without it the softmax
#   saturates as $d$ grows and its gradient vanishes.
# - Masks set forbidden scores to $-\infty$: causal (no peeking ahead) and padding
#   (ignore fillers). `F.scaled_dot_product_attention`'s bool mask is `True` =
#   allowed; `nn.MultiheadAttention`'s is `True` = forbidden.
# - Multi-head attention = reshape into heads, attend per head, concatenate,
#   project. It costs no more parameters than one wide head.
# - Attention alone ignores order; the next lesson adds positions and builds a
#   transformer.
#
# ## Exercises
#
# Every exercise has a check that says right or wrong, and why: `from minitorch.exercises import check`,
# then for example `check("8.2", scale)` (`python -m minitorch.exercises` lists what each check takes).
#
# 1. **The seed's multi-head example.** Seed 000 concatenates two heads' outputs
#    $[1.08, 0.72, 0.28]$ and $[1.26, 0.84, 0.32]$ and "aggregates" them into
#    $[2.34, 1.56, 0.60]$. Which output matrix $W_o$ did it use without saying so?
#    *Hint:* add the two vectors.
# 2. **Temperature.** Divide the scores by $\tau \sqrt d$ instead of $\sqrt d$ for
#    $\tau = 0.1, 1, 10$ and plot the toy example's weights. What happens as $\tau \to 0$
#    and $\tau \to \infty$? *Hint:* the `scale` argument of `F.scaled_dot_product_attention`
#    *multiplies* the scores (its default is $1/\sqrt d$), so pass `scale=1 / (tau * d ** 0.5)`,
#    not $\tau \sqrt d$; expect an argmax and a plain average.
# 3. **No positions.** Remove `self.position` from `Reverser` and train again. Why
#    can it not learn? *Hint:* section 3's shuffling experiment. Check your position-free model
#    class with `check("8.3", NoPosition)`: it shuffles the digits and compares the outputs.
# 4. **Causal reversal.** Pass `attn_mask=...` and `is_causal=True` to the
#    attention in `Reverser` (build the mask with the arange trick; remember
#    `nn.MultiheadAttention`'s bool convention). Which output positions can still
#    be right? *Hint:* position $i$ needs token $7 - i$.
# 5. **Cost.** The score matrix has $L \times L$ entries. How much memory does it take
#    for $L = 4096$ tokens, 16 heads and float32? *Hint:* this is why fused
#    attention kernels (lesson 10) never store it.
