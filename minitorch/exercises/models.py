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
