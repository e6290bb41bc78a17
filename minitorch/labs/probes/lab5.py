"""Probes of lab 5 (attention and a transformer block, ``nn/``)."""
import numpy as np

from . import (load_trained, parameters_and_buffers, probe, seed, set_parameters, trained, uniform,
               value_and_grads)


def _qkv(rng):
    allowed = rng.random((3, 5)) < 0.6
    allowed[:, 0] = True  # every query sees at least one key
    return {"q": rng.standard_normal((2, 2, 3, 4)), "k": rng.standard_normal((2, 2, 5, 4)),
            "v": rng.standard_normal((2, 2, 5, 6)), "allowed": allowed, "bias": rng.standard_normal((3, 5))}


@probe("5.1", _qkv, "minitorch/nn/functional/attention.py, scaled_dot_product_attention and attention_weights "
       "(task 5.1): s = scale q k^T (+ mask), softmax over the keys, times v")
def attention(load, x):
    F, m = load("minitorch.nn.functional"), load("minitorch")
    q, k, v, bias = (m.tensor(x[name], dtype=m.float64) for name in ("q", "k", "v", "bias"))
    allowed = m.tensor(x["allowed"])
    out = {"plain": F.scaled_dot_product_attention(q, k, v),
           "scaled": F.scaled_dot_product_attention(q, k, v, scale=0.3),
           "bool_mask": F.scaled_dot_product_attention(q, k, v, attn_mask=allowed),
           "float_mask": F.scaled_dot_product_attention(q, k, v, attn_mask=bias),
           "causal": F.scaled_dot_product_attention(q, k, v, is_causal=True),
           "weights": F.attention_weights(q[0, 0], k[0, 0])}
    return {name: t.detach().numpy() for name, t in out.items()}


@probe("5.2", lambda rng: {"sizes": rng.integers(1, 7, (4, 2))}, "minitorch/nn/functional/attention.py, "
       "causal_future_mask (task 5.2): a bool (L, S) tensor, True where key j > query i")
def causal_mask(load, x):
    mask = load("minitorch.nn.attention").causal_future_mask
    found = {f"mask{k}": mask(int(L), int(S)).detach().numpy() for k, (L, S) in enumerate(x["sizes"].tolist())}
    found["dtypes_are_bool"] = [str(mask(2, 3).dtype) == str(load("minitorch").bool_)]
    found["square"] = load("minitorch.nn").Transformer.generate_square_subsequent_mask(4).detach().numpy()
    return found


def _sequences(rng):
    return {"x": rng.standard_normal((2, 3, 8)), "memory": rng.standard_normal((2, 5, 8)), "params": seed(rng)}


@probe("5.3", _sequences, "minitorch/nn/multihead_attention.py, MultiheadAttention.forward and its helpers "
       "(task 5.3): every layout, appended keys, merged masks; split E into H "
       "heads of D = E / H features, attend per head, join and project")
def multihead_attention(load, x):
    m, nn = load("minitorch"), load("minitorch.nn")
    mha = nn.MultiheadAttention(8, 2, batch_first=True, dtype=m.float64)
    set_parameters(m, mha, x["params"])
    q, mem = (m.tensor(x[k], dtype=m.float64) for k in ("x", "memory"))
    out, weights = mha(q, mem, mem)
    seq_first = nn.MultiheadAttention(8, 4, dtype=m.float64)
    set_parameters(m, seq_first, x["params"])
    t = m.tensor(np.swapaxes(x["x"], 0, 1).copy(), dtype=m.float64)
    pad = m.tensor(np.array([[False, False, True, False, True], [True, False, False, False, False]]))
    per_head = m.tensor(np.sin(np.arange(4 * 3 * 5.0)).reshape(4, 3, 5), dtype=m.float64)
    padded, padded_weights = mha(q, mem, mem, key_padding_mask=pad, attn_mask=per_head)
    appended = nn.MultiheadAttention(8, 2, add_bias_kv=True, add_zero_attn=True, dtype=m.float64)
    set_parameters(m, appended, x["params"])
    one, one_weights = appended(q[0], mem[0], mem[0], average_attn_weights=False)  # unbatched (L, E)
    return {"out": out.detach().numpy(), "weights": weights.detach().numpy(),
            "one": one.detach().numpy(), "one_weights": one_weights.detach().numpy(),
            "seq_first": seq_first(t, t, t, need_weights=False)[0].detach().numpy(),
            "padded": padded.detach().numpy(), "padded_weights": padded_weights.detach().numpy(),
            "padded_fast": mha(q, mem, mem, key_padding_mask=pad, need_weights=False)[0].detach().numpy()}


@probe("5.4", _sequences, "minitorch/nn/transformer.py, TransformerEncoderLayer.forward and TransformerEncoder."
       "forward (task 5.4): self-attention, then the feed-forward block, each residual with a LayerNorm after "
       "(before if norm_first); the stack: every layer in turn, then its norm")
def encoder_layer(load, x):
    m, nn = load("minitorch"), load("minitorch.nn")
    found = {}
    for norm_first in (False, True):
        layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True,
                                           norm_first=norm_first, dtype=m.float64)
        set_parameters(m, layer, x["params"])
        found[f"norm_first_{norm_first}"] = layer(m.tensor(x["x"], dtype=m.float64)).detach().numpy()
    stack = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(8, dtype=m.float64))
    set_parameters(m, stack, x["params"])
    found["stack"] = stack(m.tensor(x["x"], dtype=m.float64)).detach().numpy()
    return found


def _normalised(rng):
    return {"x": uniform(rng, (2, 3, 4)) * 3 + 1, "gamma": uniform(rng, (4,)), "beta": uniform(rng, (4,)),
            "gamma2": uniform(rng, (3, 4)), "upstream": seed(rng)}


@probe("5.8", _normalised, "minitorch/functions/normalization.py, LayerNorm.forward and backward (task 5.8): "
       "x standardised over its last dims, then gamma x_hat + beta; dL/dx through the mean and the variance")
def layer_norm(load, x):
    F = load("minitorch.nn.functional")
    found = value_and_grads(load, lambda v, g, b: F.layer_norm(v, (4,), g, b), [x["x"], x["gamma"], x["beta"]],
                            x["upstream"], "affine_")
    found.update(value_and_grads(load, lambda v, g: F.layer_norm(v, (3, 4), g, eps=0.1), [x["x"], x["gamma2"]],
                                 x["upstream"], "two_dims_"))
    found.update(value_and_grads(load, lambda v: F.layer_norm(v, (4,)), [x["x"]], x["upstream"], "plain_"))
    return found


def _decoder(rng):
    return {"tgt": rng.standard_normal((2, 4, 8)), "memory": rng.standard_normal((2, 3, 8)), "params": seed(rng)}


@probe("5.9", _decoder, "minitorch/nn/transformer.py, TransformerDecoderLayer.forward, _sa_block, _mha_block and "
       "TransformerDecoder.forward (task 5.9): self-attention, cross-attention, feed-forward, each residual with "
       "a LayerNorm after it (before if norm_first)")
def decoder_layer(load, x):
    m, nn = load("minitorch"), load("minitorch.nn")
    tgt, memory = (m.tensor(x[k], dtype=m.float64) for k in ("tgt", "memory"))
    causal = nn.Transformer.generate_square_subsequent_mask(4, dtype=m.float64)
    pad = m.tensor(np.array([[False, False, True], [False, False, False]]))
    found = {}
    for norm_first in (False, True):
        layer = nn.TransformerDecoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True,
                                           norm_first=norm_first, dtype=m.float64)
        set_parameters(m, layer, x["params"])
        found[f"norm_first_{norm_first}"] = layer(tgt, memory, tgt_mask=causal,
                                                  memory_key_padding_mask=pad).detach().numpy()
    stack = nn.TransformerDecoder(layer, 2, norm=nn.LayerNorm(8, dtype=m.float64))
    set_parameters(m, stack, x["params"])
    found["stack"] = stack(tgt, memory, tgt_mask=causal).detach().numpy()
    return found


def _lookups(rng):
    return {"ids": rng.integers(0, 6, (3, 4)), "weight": rng.standard_normal((6, 3)), "upstream": seed(rng)}


@probe("5.10", _lookups, "minitorch/functions/embedding.py, Embedding.forward and backward (task 5.10): rows "
       "looked up; their gradients added per id (repeated ids accumulate), padding_idx, scale_grad_by_freq")
def embedding(load, x):
    m, F = load("minitorch"), load("minitorch.nn.functional")
    ids = m.tensor(x["ids"])
    found = {}
    for name, options in (("plain_", {}), ("padding_", {"padding_idx": int(x["ids"][0, 0])}),
                          ("freq_", {"scale_grad_by_freq": True})):
        found.update(value_and_grads(load, lambda w: F.embedding(ids, w, **options), [x["weight"]], x["upstream"],
                                     name))
    return found


def _gradients(rng):
    return {"a": uniform(rng, (3, 4)), "b": uniform(rng, (5,)), "max_norm": rng.uniform(0.5, 3.0, (1,))}


@probe("5.11", _gradients, "minitorch/nn/utils/clip_grad.py, _norm, get_total_norm and clip_grads_with_norm_ "
       "(task 5.11): the norm of all gradients together, every gradient scaled by max_norm / (norm + 1e-6) if above")
def clip_grad_norm(load, x):
    m, nn = load("minitorch"), load("minitorch.nn")
    found = {}
    for name, norm_type in (("two", 2.0), ("one", 1.0), ("inf", float("inf")), ("three", 3.0)):
        params = [nn.Parameter(m.zeros(*x[k].shape, dtype=m.float64)) for k in ("a", "b")]
        for p, k in zip(params, ("a", "b")):
            p.grad = m.tensor(x[k], dtype=m.float64)
        total = nn.utils.clip_grad_norm_(params, float(x["max_norm"][0]), norm_type=norm_type)
        found[f"{name}_total"] = np.array([total.item()])
        found[f"{name}_a"], found[f"{name}_b"] = params[0].grad.numpy(), params[1].grad.numpy()
    found["loose"] = np.array([nn.utils.get_total_norm([m.tensor(x["a"])], 2.0).item()])
    return found


def _positions(rng):
    return {"x": rng.standard_normal((3, 2, 6)), "odd": rng.standard_normal((4, 5)), "params": seed(rng)}


@probe("5.5", _positions, "minitorch/nn/positional_encoding.py, SinusoidalPositionalEncoding and "
       "LearnedPositionalEncoding (task 5.5): the PE table, x + PE[positions] in every layout")
def positional_encodings(load, x):
    m, nn = load("minitorch"), load("minitorch.nn")
    seq_first, odd = m.tensor(x["x"], dtype=m.float64), m.tensor(x["odd"], dtype=m.float64)
    sinusoidal, learned = nn.SinusoidalPositionalEncoding(6, max_len=7), nn.LearnedPositionalEncoding(7, 6)
    learned_first = nn.LearnedPositionalEncoding(7, 6, batch_first=True)
    set_parameters(m, learned, x["params"])
    set_parameters(m, learned_first, x["params"])
    out = {"table": sinusoidal.pe, "odd_table": nn.SinusoidalPositionalEncoding(5, max_len=4).pe,
           "seq_first": sinusoidal(seq_first),
           "batch_first": nn.SinusoidalPositionalEncoding(6, max_len=7, batch_first=True)(seq_first),
           "learned_seq_first": learned(seq_first), "learned_batch_first": learned_first(seq_first),
           "unbatched": nn.SinusoidalPositionalEncoding(5, max_len=4)(odd)}
    return {name: t.detach().numpy() for name, t in out.items()}


def _gpt(rng):
    return {"ids": rng.integers(0, 7, (2, 5)), "params": seed(rng)}


@probe("5.6", _gpt, "minitorch/examples/gpt.py, GPT.embed/features/forward and generate (task 5.6): "
       "logits of a causal GPT, and greedy generation (top_k=1)")
def gpt(load, x):
    m, gpt_module = load("minitorch"), load("minitorch.examples.gpt")
    model = gpt_module.GPT(7, context=4, width=8, layers=2, heads=2, dropout=0.0)
    set_parameters(m, model, x["params"])
    model = model.double()
    ids = m.tensor(x["ids"][:, :4])
    tokenizer = load("minitorch.data").CharTokenizer("abcdefg")
    prompt = "".join("abcdefg"[i] for i in x["ids"][0])
    return {"logits": model(ids).detach().numpy(), "prefix_logits": model(ids[:, :2]).detach().numpy(),
            "greedy": np.array(tokenizer.encode(gpt_module.generate(model, tokenizer, prompt, 6, temperature=0.7,
                                                                    top_k=1)))}


@probe("5.7", _gpt, "minitorch/examples/gpt.py, evaluate_loss (task 5.7): the mean next-id cross-entropy over "
       "non-overlapping windows of context + 1 ids, in batches, in evaluation mode")
def gpt_evaluate_loss(load, x):
    m, gpt_module = load("minitorch"), load("minitorch.examples.gpt")
    model = gpt_module.GPT(7, context=3, width=8, layers=1, heads=2, dropout=0.0)
    set_parameters(m, model, x["params"])
    ids = np.concatenate([x["ids"].reshape(-1)] * 3)  # 30 ids: 9 windows of 3 + 1, and 2 left over
    return {"loss": np.array([gpt_module.evaluate_loss(model, ids, "cpu", batch_size=4)]),
            "one_window": np.array([gpt_module.evaluate_loss(model, ids[:5], "cpu")])}


GPT_THRESHOLD = 2.7  # nats per character; untrained ~ ln 61 = 4.1, the reference ~2.5, the best bigram 2.38


def check_gpt(x, got):
    """The milestone's validation loss (computed by the reference) must be below ``GPT_THRESHOLD`` (and
    above 1: lower is a leak of the future)."""
    loss = float(np.asarray(got["val_loss"], dtype=float).reshape(-1)[0])
    if not 1.0 < loss < GPT_THRESHOLD:
        return (f"validation loss {loss:.3f} nats per character after 100 steps, not in (1.0, {GPT_THRESHOLD}) "
                f"(untrained: about 4.1; the reference: about 2.5; below 1 means a position sees its future)")
    return None


def _gpt_and_text(load):
    """The milestone's untrained GPT, the corpus's training and validation text, and its tokenizer."""
    data, gpt_module = load("minitorch.data"), load("minitorch.examples.gpt")
    text = data.load_corpus()
    tokenizer = data.CharTokenizer(text)
    model = gpt_module.GPT(len(tokenizer), context=32, width=32, layers=2, heads=2, dropout=0.0)
    return model, *gpt_module.split_corpus(text), tokenizer


def gpt_validation_loss(load, x):
    """The reference's evaluation of the trained parameters: the GPT's loss on the first 2,049 ids of
    the validation text of its own copy of the corpus."""
    model, _, val, tokenizer = _gpt_and_text(load)
    loss = load("minitorch.examples.gpt").evaluate_loss(load_trained(model, x), tokenizer.encode(val)[:2049], "cpu")
    return {"val_loss": np.array([loss])}


@probe("5.7", lambda rng: {"seed": np.array(0)}, "minitorch/examples/gpt.py, train_lm (task 5.7), and everything "
       "it runs: the GPT, attention, its masks, positional encodings, cross_entropy, AdamW", check=check_gpt,
       evaluate=gpt_validation_loss)
def gpt_milestone(load, x):
    m, data, gpt_module = load("minitorch"), load("minitorch.data"), load("minitorch.examples.gpt")
    m.manual_seed(int(x["seed"]))
    model, train, _, tokenizer = _gpt_and_text(load)
    gpt_module.train_lm(model, data.CharLMDataset(train, tokenizer, 32), 100, 16, 1e-2, "cpu", warmup=10,
                        progress=False)
    return trained(parameters_and_buffers(model))
