"""Checks for the exercises of lessons 7-9: convolutions, attention, the transformer."""
import numpy as np

from . import close_to, exercise, first_difference, right, wrong


def _integer(name, got, expected, why):
    try:
        value = int(got)
    except (TypeError, ValueError):
        return wrong(f"{name} should be a whole number, got {type(got).__name__}.")
    if value == expected:
        return right(why)
    return wrong(f"{name}: expected {expected}, got {value}. {why}")


@exercise("7.1", "Padding \"same\"", "fc1's number of inputs with padding=1 in conv1 and conv2 (an int)")
def padding_same(size):
    return _integer("fc1's inputs", size, 64 * 7 * 7,
                    "64 channels of 7 x 7: each padded 3 x 3 convolution keeps the size, each pool halves it "
                    "(28 -> 14 -> 7).")


@exercise("7.2", "Stride instead of pooling", "fc1's number of inputs when each conv + pool becomes one conv with "
          "stride=2 (an int)")
def stride_two(size):
    return _integer("fc1's inputs", size, 64 * 6 * 6,
                    "floor((28 - 3) / 2) + 1 = 13, then floor((13 - 3) / 2) + 1 = 6: 64 x 6 x 6.")


@exercise("7.3", "im2col memory", "a pair: (numbers in conv2's cols, numbers in its input) for a batch of 64")
def im2col_memory(answer):
    cols, given = (int(v) for v in answer)
    expected = (32 * 9 * 64 * 11 * 11, 64 * 32 * 13 * 13)
    if (cols, given) != expected:
        return wrong(f"expected {expected}: cols is (C k^2) x (N H_out W_out) = (32 * 9) x (64 * 11 * 11) with "
                     f"H_out = 13 - 3 + 1 = 11; the input is N C H W = 64 * 32 * 13 * 13.")
    return right(f"cols holds {expected[0] / expected[1]:.1f} times the input: nearly k^2 = 9 copies of each number.")


@exercise("7.4", "Max-pool ties", "the gradient F.max_pool2d gives a 2 x 2 window of four equal numbers (an array)")
def max_pool_ties(grad):
    grad = np.asarray(grad, dtype=np.float64).reshape(-1)
    if grad.size != 4 or sorted(grad.tolist()) != [0.0, 0.0, 0.0, 1.0]:
        return wrong(f"got {grad.tolist()}: the whole gradient (1) goes to one element of the window, the first "
                     f"maximum, and 0 to the others. Did you pool a (1, 1, 2, 2) tensor and backward its sum?")
    return right("one winner takes the whole gradient: any convex combination of the tied elements is a "
                 "subgradient of max, and (1, 0, 0, 0) is one of them.")


def _numpy(value):
    """A tensor's (or anything array-like's) numbers as a float64 numpy array."""
    value = value.detach().numpy() if hasattr(value, "detach") else value
    return np.asarray(value, dtype=np.float64)


@exercise("7.5", "Translation", "a function shift_right(images) -> the (N, 1, 28, 28) images moved one pixel to the "
          "right, a column of zeros coming in on the left")
def translation(shift_right):
    import minitorch
    import minitorch.nn.functional as F

    minitorch.manual_seed(0)
    images, kernel = minitorch.rand(2, 1, 28, 28), minitorch.randn(4, 1, 3, 3)
    expected = np.concatenate([np.zeros((2, 1, 28, 1)), images.numpy()[..., :-1]], axis=-1)
    problem = first_difference("shift_right(images)", _numpy(shift_right(images)), expected, rtol=1e-6)
    if problem:
        return wrong(problem + " Column j + 1 of the result is column j of the image, column 0 is zeros and the last "
                               "column falls off: shift to the right, do not wrap around.")
    moved = _numpy(F.conv2d(shift_right(images), kernel))[..., 1:]
    interior = first_difference("conv2d(shifted) away from the border", moved,
                                F.conv2d(images, kernel).numpy()[..., :-1], rtol=1e-5, atol=1e-6)
    if interior:
        return wrong(interior)
    return right("conv2d of the shifted images is conv2d of the images, shifted: every feature moves with the digit "
                 "and only the pools' rounding and the border change, so the CNN's accuracy drops little. An MLP's "
                 "first layer sees every pixel with its own weight: for it the shifted digit is a new picture.")


@exercise("8.1", "The seed's multi-head example", "the output matrix W_o (3 x 6) the seed used, as an array")
def seed_output_matrix(w_o):
    w_o = np.asarray(w_o, dtype=np.float64)
    heads = np.array([1.08, 0.72, 0.28, 1.26, 0.84, 0.32])
    if w_o.shape != (3, 6):
        return wrong(f"W_o maps the 6 concatenated numbers to 3: shape (3, 6), got {w_o.shape}.")
    problem = first_difference("W_o @ [head1, head2]", w_o @ heads, [2.34, 1.56, 0.60], rtol=1e-9, atol=1e-9)
    if problem or not np.allclose(w_o, np.hstack([np.eye(3), np.eye(3)])):
        return wrong((problem or "") + " The aggregate is the sum of the two heads: W_o = [I I].")
    return right("W_o = [I I]: 'aggregating' was adding the heads, an output projection that was never learned.")


@exercise("8.2", "Temperature", "a function scale(tau, d): the scale argument of F.scaled_dot_product_attention "
          "that divides the scores by tau sqrt(d)")
def temperature_scale(fn):
    for tau, d in ((0.1, 16), (1.0, 4), (10.0, 64)):
        verdict = close_to(f"scale({tau}, {d})", fn(tau, d), 1 / (tau * d**0.5), rel=1e-9)
        if not verdict:
            return wrong(verdict.why + " The scale multiplies the scores: pass 1 / (tau sqrt(d)).")
    return right("scale = 1 / (tau sqrt(d)): tau -> 0 gives an argmax, tau -> infinity a plain average.")


@exercise("8.3", "No positions", "your Reverser without self.position, as a class (NoPosition(), forward(ids) -> "
          "(logits, weights))")
def no_positions(model_class):
    import minitorch

    minitorch.manual_seed(0)
    model, ids = model_class(), minitorch.randint(0, 10, (4, 8))
    perm = [3, 0, 7, 1, 2, 6, 5, 4]
    with minitorch.no_grad():
        shuffled_first, shuffled_after = _numpy(model(ids[:, perm])[0]), _numpy(model(ids)[0])[:, perm]
    problem = first_difference("the logits of the shuffled digits", shuffled_first, shuffled_after, rtol=1e-4,
                               atol=1e-5)
    if problem:
        return wrong(problem + " They should be the unshuffled logits, shuffled the same way: is self.position "
                               "still added to the digits' vectors?")
    return right("shuffling the digits only shuffles the logits: a digit gets the same output wherever it sits. In "
                 "3 1 4 1 5 9 2 6 the two 1s must become 2 and 5, but they cannot differ, so no training helps.")


@exercise("8.4", "Causal reversal", "the set of output positions (0-7) that can still be right")
def causal_reversal(positions):
    expected = {4, 5, 6, 7}
    got = {int(p) for p in positions}
    if got == expected:
        return right("position i needs token 7 - i, which it sees only when 7 - i <= i: positions 4 to 7.")
    return wrong(f"got {sorted(got)}: position i may look at positions 0..i only, and it needs token 7 - i.")


@exercise("8.5", "Cost", "the bytes of the score matrices for L = 4096, 16 heads, float32 (an int)")
def score_memory(size):
    return _integer("the bytes", size, 4096 * 4096 * 16 * 4,
                    "4096^2 scores x 16 heads x 4 bytes = 1 GiB for one sequence of one layer.")


@exercise("9.1", "Learned positions", "how many more parameters the learned encoding has (an int)")
def learned_positions(count):
    return _integer("the extra parameters", count, 128 * 64,
                    "one learned vector of 64 numbers for each of the 128 positions, where the sinusoidal "
                    "table is fixed.")


@exercise("9.2", "Post-norm GPT", "which stack's gradients differ more from block to block (largest / smallest "
          "norm in section 2): 'post-norm' or 'pre-norm'")
def post_norm(answer):
    import minitorch
    from minitorch import nn

    spread = {}
    for name, norm_first in (("post-norm", False), ("pre-norm", True)):
        minitorch.manual_seed(1)
        block = nn.TransformerEncoderLayer(32, 4, 64, dropout=0.0, batch_first=True, norm_first=norm_first)
        encoder = nn.TransformerEncoder(block, 12)
        for p in encoder.parameters():
            if p.ndim >= 2:
                nn.init.xavier_uniform_(p)
        out = encoder(3 * minitorch.randn(8, 10, 32) + 1.0)
        (out * minitorch.randn(*out.shape)).sum().backward()
        norms = [float(np.linalg.norm(b.linear2.weight.grad.numpy())) for b in encoder.layers]
        spread[name] = max(norms) / min(norms)
    measured = f"largest / smallest gradient norm over 12 blocks: post-norm {spread['post-norm']:.2f}, pre-norm " \
               f"{spread['pre-norm']:.2f}"
    if str(answer).strip().lower() != "post-norm":
        return wrong(f"{measured}. In a post-norm stack the gradient passes every LayerNorm above a block on its way "
                     f"down; pre-norm's residual path is a plain sum.")
    return right(f"{measured}: post-norm's uneven gradients are why it wants a smaller learning rate or a warm-up.")


@exercise("9.3", "Temperature", "a list: the top character's probability softmax(z / tau)[0] for the scores "
          "z = [2, 1, 0, -1] at tau = 0.3, 1.0 and 1.5")
def temperature(answer):
    z = np.array([2.0, 1.0, 0.0, -1.0])
    expected = [float((np.exp(z / t) / np.exp(z / t).sum())[0]) for t in (0.3, 1.0, 1.5)]
    problem = first_difference("the top probability at tau = 0.3, 1.0, 1.5", np.asarray(answer, dtype=np.float64),
                               expected, rtol=1e-4)
    if problem:
        return wrong(problem + " Divide the scores by tau before the softmax, as generate does.")
    return right(f"{expected[0]:.2f}, {expected[1]:.2f}, {expected[2]:.2f}: a low temperature makes the top "
                 f"character almost certain, so samples repeat the most common words (many real ones); a high one "
                 f"flattens the choice and invents more non-words.")


@exercise("9.4", "Last character instead of the mean", "a function last_features(h, mask) -> (N, width): each "
          "sentence's features at its last real character")
def last_character(last_features):
    import minitorch

    h = minitorch.arange(30, dtype=minitorch.float32).reshape(3, 5, 2)
    lengths = [5, 2, 3]
    mask = minitorch.tensor([[1] * n + [0] * (5 - n) for n in lengths])
    expected = h.numpy()[np.arange(3), np.array(lengths) - 1]
    problem = first_difference("last_features(h, mask)", _numpy(last_features(h, mask)), expected)
    if problem:
        return wrong(problem + " Sentences end at different places: the last column is padding for the shorter "
                               "ones; use mask.sum(1) - 1.")
    return right("attention is causal, so position t has seen characters 0..t only: the last real character is the "
                 "one position that has read the whole sentence (the mean also mixes in positions that saw a prefix).")


def _tiny_body():
    """A stand-in for CharGPT with its features(ids) -> (N, T, 64), small enough for a check."""
    import minitorch
    from minitorch import nn

    class Body(nn.Module):
        """An embedding and one layer: features(ids) -> (N, T, 64)."""

        def __init__(self):
            super().__init__()
            self.token, self.mix = nn.Embedding(7, 64), nn.Linear(64, 64)

        def features(self, ids):
            return self.mix(self.token(ids)).tanh()

        def forward(self, ids):
            return self.features(ids)

    minitorch.manual_seed(0)
    return Body()


@exercise("9.5", "Fine-tune everything", "a class FineTuner(body) -> an nn.Module whose forward(ids, mask) gives "
          "(N, 2) logits from a new nn.Linear(64, 2) on the masked mean of body.features(ids), all weights trained")
def fine_tune(model_class):
    import minitorch

    body = _tiny_body()
    model = model_class(body)
    own = {id(p) for p in body.parameters()}
    missing = [name for name, p in body.named_parameters() if id(p) not in {id(q) for q in model.parameters()}]
    head = [p for p in model.parameters() if id(p) not in own]
    if missing or sorted(tuple(p.shape) for p in head) != [(2,), (2, 64)]:
        return wrong(f"model.parameters() should hold the body's {len(own)} tensors and a new head's weight (2, 64) "
                     f"and bias (2,); body tensors missing: {missing}, others: {[tuple(p.shape) for p in head]}. "
                     f"Assign body and head as attributes of your nn.Module.")
    ids = minitorch.tensor([[1, 2, 3, 4], [5, 6, 0, 0], [3, 3, 1, 0]])
    mask = minitorch.tensor([[1, 1, 1, 1], [1, 1, 0, 0], [1, 1, 1, 0]])
    logits = model(ids, mask)
    weight, bias = sorted(head, key=lambda p: p.ndim, reverse=True)
    m = mask.numpy()[..., None]
    mean = (body.features(ids).detach().numpy() * m).sum(1) / m.sum(1)
    problem = first_difference("the logits", _numpy(logits), mean @ _numpy(weight).T + _numpy(bias), rtol=1e-4,
                               atol=1e-6)
    if problem:
        return wrong(problem + " Average the features over the real characters only (mask 1), then apply the head.")
    logits.sum().backward()
    frozen = [name for name, p in body.named_parameters() if p.grad is None or not np.abs(p.grad.numpy()).any()]
    if frozen:
        return wrong(f"the body's {', '.join(frozen)} get no gradient: fine-tuning everything means the body's "
                     f"features are computed with the graph on (no no_grad, no detach).")
    return right("every weight, body and head, gets a gradient: with 108,000 weights for 500 sentences, expect the "
                 "training loss to fall near 0.2 while the test accuracy stays below 60%: memorisation, which more "
                 "labels reduce.")
