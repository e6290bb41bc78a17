"""CNN layers (Conv2d, pooling, BatchNorm), LayerNorm, Embedding and F.pad / F.unfold against PyTorch.

In float64 every layer and option must give PyTorch's output and PyTorch's gradients for
the input and every parameter; BatchNorm's running statistics must follow PyTorch's over
several steps, in train and eval mode. State-dict keys, reprs and initialisation ranges
match PyTorch's, and bad arguments raise errors that name the op and say what to do.
"""
import math

import numpy as np
import pytest

import minitorch
import minitorch.nn as nn
import minitorch.nn.functional as F
from minitorch.errors import ShapeError

RNG = np.random.default_rng(0)


def torch_or_skip():
    return pytest.importorskip("torch")


def assert_close(mine, theirs, what):
    np.testing.assert_allclose(np.asarray(mine), theirs.detach().numpy(), rtol=1e-9, atol=1e-12, err_msg=what)


def run_both(ours, theirs, x, train=True):
    """Run a minitorch module and the equivalent torch module (same float64 weights) on ``x``;
    backpropagate the same cotangent; compare outputs and the gradients of input and parameters."""
    torch = torch_or_skip()
    ours.train(train)
    theirs.train(train)
    mx = minitorch.tensor(x, requires_grad=True)
    tx = torch.tensor(x, requires_grad=True)
    out, ref = ours(mx), theirs(tx)
    if isinstance(ref, tuple):  # (values, indices)
        np.testing.assert_array_equal(out[1].numpy(), ref[1].numpy())
        out, ref = out[0], ref[0]
    assert_close(out.detach().numpy(), ref, "output")
    cotangent = RNG.normal(size=tuple(ref.shape))
    out.backward(minitorch.tensor(cotangent))
    ref.backward(torch.tensor(cotangent))
    assert_close(mx.grad.numpy(), tx.grad, "input gradient")
    theirs_params = dict(theirs.named_parameters())
    for name, p in ours.named_parameters():
        assert_close(p.grad.numpy(), theirs_params[name].grad, f"gradient of {name}")
    return out


def twin(make, *args, **kwargs):
    """The same layer built by minitorch and by torch, in float64, with torch's weights copied over."""
    torch = torch_or_skip()
    torch.manual_seed(0)
    theirs = make(torch.nn)(*args, **kwargs).double()
    ours = make(nn)(*args, **kwargs).double()
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    return ours, theirs


# ---------------------------------------------------------------- convolution
CONV_CASES = [
    dict(),
    dict(stride=2),
    dict(padding=1),
    dict(padding=(2, 0), stride=(1, 2), dilation=(2, 1)),
    dict(padding="same"),
    dict(padding="same", dilation=2),
    dict(padding="valid", bias=False),
    dict(groups=2, padding=1),
    dict(padding=1, padding_mode="reflect"),
    dict(padding=(1, 2), padding_mode="replicate"),
    dict(padding=2, padding_mode="circular", stride=2),
    dict(padding="same", padding_mode="circular"),
]


@pytest.mark.parametrize("kwargs", CONV_CASES, ids=str)
@pytest.mark.parametrize("kernel_size", [3, (2, 3)])
def test_conv2d_matches_torch(kwargs, kernel_size):
    ours, theirs = twin(lambda lib: lib.Conv2d, 4, 6, kernel_size, **kwargs)
    run_both(ours, theirs, RNG.normal(size=(2, 4, 7, 8)))
    run_both(ours, theirs, RNG.normal(size=(4, 7, 8)))  # one image, (C, H, W)


def test_unfold_matches_torch():
    torch = torch_or_skip()
    x = RNG.normal(size=(2, 3, 6, 7))
    mx, tx = minitorch.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out = F.unfold(mx, (2, 3), dilation=(1, 2), padding=1, stride=(2, 1))
    ref = torch.nn.functional.unfold(tx, (2, 3), dilation=(1, 2), padding=1, stride=(2, 1))
    assert_close(out.detach().numpy(), ref, "unfold")
    cotangent = RNG.normal(size=tuple(ref.shape))
    out.backward(minitorch.tensor(cotangent))
    ref.backward(torch.tensor(cotangent))
    assert_close(mx.grad.numpy(), tx.grad, "unfold gradient")


def test_conv2d_is_unfold_then_matmul():
    """The im2col identity the lessons teach: conv2d(x, W) = W.view(C_out, -1) @ unfold(x)."""
    x = minitorch.randn(2, 3, 5, 6, dtype=minitorch.float64)
    w = minitorch.randn(4, 3, 2, 2, dtype=minitorch.float64)
    via_unfold = (w.reshape(4, -1) @ F.unfold(x, 2)).reshape(2, 4, 4, 5)
    np.testing.assert_allclose(F.conv2d(x, w).numpy(), via_unfold.numpy(), rtol=1e-12)


def test_outputs_are_contiguous_so_view_works_as_in_pytorch():
    x = minitorch.randn(2, 3, 6, 6)
    outputs = [
        F.conv2d(x, minitorch.randn(4, 3, 3, 3), stride=2), F.unfold(x, 2), F.max_pool2d(x, 2),
        F.avg_pool2d(x, 3, 1, 1), F.adaptive_avg_pool2d(x, 2), F.batch_norm(x, None, None, training=True),
        F.layer_norm(x, 6), F.pad(x, (1, 1, 1, 1), mode="reflect"), F.pad(x, (1, -1)),
        F.embedding(minitorch.tensor([[1, 0]]), minitorch.randn(3, 2)),
    ]
    for out in outputs:
        assert out.view(-1).shape == (out.numel(),)


def test_conv2d_init_follows_pytorch():
    minitorch.manual_seed(0)
    conv = nn.Conv2d(8, 16, 3)
    bound = 1 / math.sqrt(8 * 3 * 3)  # kaiming_uniform_(a=sqrt(5)) gives U(-1/sqrt(fan_in), 1/sqrt(fan_in))
    w, b = conv.weight.detach().numpy(), conv.bias.detach().numpy()
    assert w.shape == (16, 8, 3, 3) and w.dtype == np.float32
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.95 * bound
    assert abs(w.std() - bound / math.sqrt(3)) < 0.05 * bound
    assert np.abs(b).max() <= bound
    minitorch.manual_seed(0)
    np.testing.assert_array_equal(nn.Conv2d(8, 16, 3).weight.detach().numpy(), w)  # seeded: reproducible
    assert nn.Conv2d(4, 6, 3, groups=2).weight.shape == (6, 2, 3, 3)


# ---------------------------------------------------------------- pooling
POOL_CASES = [
    ("MaxPool2d", (2,), {}),
    ("MaxPool2d", (3,), dict(stride=2, padding=1)),
    ("MaxPool2d", ((2, 3),), dict(stride=1, dilation=(2, 1), ceil_mode=True)),
    ("MaxPool2d", (3,), dict(stride=2, ceil_mode=True, return_indices=True)),
    ("MaxPool2d", (2,), dict(padding=1, return_indices=True)),
    ("AvgPool2d", (2,), {}),
    ("AvgPool2d", (3,), dict(stride=2, padding=1)),
    ("AvgPool2d", (3,), dict(stride=2, padding=1, count_include_pad=False)),
    ("AvgPool2d", (3,), dict(stride=2, padding=1, ceil_mode=True)),
    ("AvgPool2d", (3,), dict(stride=2, padding=1, ceil_mode=True, count_include_pad=False)),
    ("AvgPool2d", ((2, 3),), dict(stride=(1, 2), divisor_override=4)),
    ("AdaptiveAvgPool2d", (1,), {}),
    ("AdaptiveAvgPool2d", ((3, 5),), {}),
    ("AdaptiveAvgPool2d", ((None, 3),), {}),
    ("AdaptiveAvgPool2d", ((7, 8),), {}),
]


@pytest.mark.parametrize("name, args, kwargs", POOL_CASES, ids=str)
def test_pooling_matches_torch(name, args, kwargs):
    ours, theirs = twin(lambda lib: getattr(lib, name), *args, **kwargs)
    run_both(ours, theirs, RNG.normal(size=(2, 3, 7, 8)))
    run_both(ours, theirs, RNG.normal(size=(3, 7, 8)))


def test_max_pool_ties_send_the_gradient_to_the_first_maximum():
    torch = torch_or_skip()
    x = np.array([[[[1.0, 3.0, 3.0, 0.0], [3.0, 2.0, 1.0, 3.0]]]])
    mx, tx = minitorch.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    F.max_pool2d(mx, 2).sum().backward()
    torch.nn.functional.max_pool2d(tx, 2).sum().backward()
    np.testing.assert_array_equal(mx.grad.numpy(), tx.grad.numpy())
    np.testing.assert_array_equal(mx.grad.numpy(), [[[[0, 1, 1, 0], [0, 0, 0, 0]]]])


# ---------------------------------------------------------------- normalisation
BATCHNORM_CASES = [
    ("BatchNorm1d", (6, 3), {}),
    ("BatchNorm1d", (6, 3, 4), dict(momentum=0.3)),
    ("BatchNorm1d", (6, 3), dict(momentum=None)),
    ("BatchNorm2d", (4, 3, 5, 5), {}),
    ("BatchNorm2d", (4, 3, 5, 5), dict(momentum=None)),
    ("BatchNorm2d", (4, 3, 5, 5), dict(affine=False)),
    ("BatchNorm2d", (4, 3, 5, 5), dict(bias=False, eps=1e-3)),
    ("BatchNorm2d", (4, 3, 5, 5), dict(track_running_stats=False)),
]


@pytest.mark.parametrize("name, shape, kwargs", BATCHNORM_CASES, ids=str)
def test_batchnorm_matches_torch_over_steps_in_train_and_eval(name, shape, kwargs):
    ours, theirs = twin(lambda lib: getattr(lib, name), 3, **kwargs)
    for step in range(3):  # training: batch statistics, running statistics updated in place
        x = RNG.normal(loc=step, scale=1 + step, size=shape)
        for p in (*ours.parameters(), *theirs.parameters()):
            p.grad = None
        run_both(ours, theirs, x, train=True)
        ours_buffers = dict(ours.named_buffers())
        for key, ref in theirs.named_buffers():
            np.testing.assert_allclose(ours_buffers[key].numpy(), ref.numpy(), rtol=1e-12, err_msg=key)
    run_both(ours, theirs, RNG.normal(size=shape), train=False)  # eval: running statistics (if any)


def test_batchnorm_eval_output_does_not_depend_on_the_batch():
    bn = nn.BatchNorm2d(2)
    with minitorch.no_grad():
        bn.running_mean.copy_(minitorch.tensor([1.0, -1.0]))
        bn.running_var.copy_(minitorch.tensor([4.0, 0.25]))
    bn.eval()
    x = minitorch.randn(5, 2, 3, 3)
    alone = bn(x[:1]).detach()
    np.testing.assert_allclose(bn(x)[:1].detach().numpy(), alone.numpy(), rtol=1e-6)
    mean, var = np.array([1, -1]).reshape(1, 2, 1, 1), np.array([4, 0.25]).reshape(1, 2, 1, 1)
    expected = (x[:1].numpy() - mean) / np.sqrt(var + 1e-5)
    np.testing.assert_allclose(alone.numpy(), expected, rtol=1e-5)
    assert int(bn.num_batches_tracked.item()) == 0  # eval never updates the statistics
    bn.train()
    bn(x)
    assert int(bn.num_batches_tracked.item()) == 1
    assert not np.allclose(bn.running_mean.numpy(), [1.0, -1.0])


def test_batchnorm_defaults_and_state_dict_keys():
    torch = torch_or_skip()
    bn = nn.BatchNorm2d(4)
    np.testing.assert_array_equal(bn.weight.detach().numpy(), np.ones(4))
    np.testing.assert_array_equal(bn.bias.detach().numpy(), np.zeros(4))
    np.testing.assert_array_equal(bn.running_var.numpy(), np.ones(4))
    assert bn.num_batches_tracked.dtype == minitorch.int64
    assert [name for name, _ in bn.named_parameters()] == ["weight", "bias"]
    for kwargs in ({}, dict(affine=False), dict(track_running_stats=False), dict(bias=False)):
        theirs = torch.nn.BatchNorm1d(3, **kwargs).state_dict()
        assert list(nn.BatchNorm1d(3, **kwargs).state_dict()) == list(theirs)


@pytest.mark.parametrize(
    "normalized_shape, kwargs",
    [(5, {}), ((4, 5), {}), ((4, 5), dict(elementwise_affine=False)), (5, dict(bias=False, eps=1e-3))],
    ids=str,
)
def test_layernorm_matches_torch(normalized_shape, kwargs):
    ours, theirs = twin(lambda lib: lib.LayerNorm, normalized_shape, **kwargs)
    if ours.weight is not None:  # not the default 1 and 0, so that a mix-up of the two shows
        with minitorch.no_grad():
            ours.weight.copy_(minitorch.tensor(RNG.normal(size=ours.weight.shape)))
        theirs.load_state_dict({k: torch_or_skip().tensor(v.numpy()) for k, v in ours.state_dict().items()})
    run_both(ours, theirs, RNG.normal(size=(2, 3, 4, 5)) * 3 + 1)
    assert list(ours.state_dict()) == list(theirs.state_dict())



@pytest.mark.parametrize("normalized_shape", [(2.5,), 2.5, ("4",), (4, 0)], ids=str)
def test_layernorm_refuses_sizes_that_are_not_positive_integers(normalized_shape):
    with pytest.raises((TypeError, ValueError), match="LayerNorm"):  # (2.5,) used to become (2,) silently
        nn.LayerNorm(normalized_shape)


# ---------------------------------------------------------------- embedding
@pytest.mark.parametrize("padding_idx", [None, 2, -1])
def test_embedding_matches_torch(padding_idx):
    torch = torch_or_skip()
    ours, theirs = twin(lambda lib: lib.Embedding, 6, 4, padding_idx=padding_idx)
    assert ours.padding_idx == theirs.padding_idx
    index = np.array([[0, 2, 5, 2], [5, 5, 1, 3]])
    out, ref = ours(minitorch.tensor(index)), theirs(torch.tensor(index))
    assert_close(out.detach().numpy(), ref, "embedding")
    cotangent = RNG.normal(size=tuple(ref.shape))
    out.backward(minitorch.tensor(cotangent))
    ref.backward(torch.tensor(cotangent))
    assert_close(ours.weight.grad.numpy(), theirs.weight.grad, "embedding weight gradient")


def test_embedding_init_and_from_pretrained():
    minitorch.manual_seed(0)
    emb = nn.Embedding(1000, 20, padding_idx=3)
    w = emb.weight.detach().numpy()
    assert abs(w.mean()) < 0.02 and abs(w.std() - 1) < 0.02  # N(0, 1)
    np.testing.assert_array_equal(w[3], np.zeros(20))
    table = minitorch.randn(5, 2)
    frozen = nn.Embedding.from_pretrained(table)
    assert not frozen.weight.requires_grad
    np.testing.assert_array_equal(frozen(minitorch.tensor([4, 0])).numpy(), table.numpy()[[4, 0]])
    assert nn.Embedding.from_pretrained(table, freeze=False).weight.requires_grad


# ---------------------------------------------------------------- pad
@pytest.mark.parametrize(
    "pad, mode, shape",
    [((1, 2), "constant", (2, 3, 4)), ((1, 2, 0, 3), "constant", (2, 3, 4)),
     ((-1, 2, 1, -2), "constant", (2, 3, 4)), ((1, 1, 1, 1, 1, 1), "constant", (2, 3, 4)),
     ((2, 1), "reflect", (2, 3, 4)), ((1, 2, 2, 1), "reflect", (2, 3, 4, 5)),
     ((1, 2, 2, 3), "replicate", (3, 4, 5)), ((1, 2, 3, 4), "circular", (2, 3, 4, 5)),
     ((1, 0, 1, 1, 0, 2), "replicate", (2, 3, 4, 5))],
    ids=str,
)
def test_pad_matches_torch(pad, mode, shape):
    torch = torch_or_skip()
    x = RNG.normal(size=shape)
    mx, tx = minitorch.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    value = {"value": 0.5} if mode == "constant" else {}
    out, ref = F.pad(mx, pad, mode, **value), torch.nn.functional.pad(tx, pad, mode, **value)
    assert_close(out.detach().numpy(), ref, "pad")
    cotangent = RNG.normal(size=tuple(ref.shape))
    out.backward(minitorch.tensor(cotangent))
    ref.backward(torch.tensor(cotangent))
    assert_close(mx.grad.numpy(), tx.grad, "pad gradient")


# ---------------------------------------------------------------- models
def simple_cnn(lib, batch_norm=False):
    """The seed's SimpleCNN: two 3x3 convs (32, 64), 2x2 max pooling, dense 128, dense 10
    (64 * 5 * 5 inputs to the first dense layer for 28x28 images; the seed's 6 * 6 is a slip)."""
    N = lib.nn
    norm = (lambda c: N.BatchNorm2d(c)) if batch_norm else (lambda c: N.Identity())
    return N.Sequential(
        N.Conv2d(1, 32, 3, 1), norm(32), N.ReLU(), N.MaxPool2d(2, 2),
        N.Conv2d(32, 64, 3, 1), norm(64), N.ReLU(), N.MaxPool2d(2, 2),
        N.Flatten(), N.Linear(64 * 5 * 5, 128), N.ReLU(), N.Linear(128, 10),
    )


@pytest.mark.parametrize("batch_norm", [False, True])
def test_simple_cnn_state_dict_and_training_steps_match_torch(batch_norm):
    torch = torch_or_skip()
    torch.manual_seed(0)
    theirs = simple_cnn(torch, batch_norm).double()
    ours = simple_cnn(minitorch, batch_norm).double()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    shapes = [tuple(v.shape) for v in theirs.state_dict().values()]
    assert [tuple(v.shape) for v in ours.state_dict().values()] == shapes
    ours.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    opt_ours = minitorch.optim.Adam(ours.parameters(), lr=1e-3)
    opt_theirs = torch.optim.Adam(theirs.parameters(), lr=1e-3)
    for _ in range(2):
        x, y = RNG.random((2, 1, 28, 28)), RNG.integers(0, 10, 2)
        loss = F.cross_entropy(ours(minitorch.tensor(x)), minitorch.tensor(y))
        ref = torch.nn.functional.cross_entropy(theirs(torch.tensor(x)), torch.tensor(y))
        np.testing.assert_allclose(loss.item(), ref.item(), rtol=1e-10)
        for opt, value in ((opt_ours, loss), (opt_theirs, ref)):
            opt.zero_grad()
            value.backward()
            opt.step()
    ours.eval()
    theirs.eval()
    x = RNG.random((2, 1, 28, 28))
    # Adam divides by sqrt(v): where gradients are ~0 it amplifies rounding, so after training
    # the two agree to about 1e-9 rather than to the last bits.
    out = ours(minitorch.tensor(x)).detach().numpy()
    np.testing.assert_allclose(out, theirs(torch.tensor(x)).detach().numpy(), rtol=1e-7, atol=1e-9)
    for key, value in theirs.state_dict().items():
        mine = ours.state_dict()[key].numpy()
        np.testing.assert_allclose(mine, value.numpy(), rtol=1e-7, atol=1e-9, err_msg=key)


def test_reprs_match_torch():
    torch = torch_or_skip()
    cases = [
        ("Conv2d", (1, 32, 3, 1), {}),
        ("Conv2d", (2, 4, (3, 5)),
         dict(stride=2, padding=1, dilation=2, groups=2, bias=False, padding_mode="reflect")),
        ("Conv2d", (2, 4, 3), dict(padding="same")),
        ("MaxPool2d", (2,), {}),
        ("MaxPool2d", ((2, 3), 1, 1, 2), dict(ceil_mode=True)),
        ("AvgPool2d", (3, 2, 1), {}),
        ("AdaptiveAvgPool2d", ((1, None),), {}),
        ("BatchNorm2d", (4,), {}),
        ("BatchNorm1d", (4,), dict(affine=False, momentum=None, track_running_stats=False)),
        ("LayerNorm", ((2, 3),), dict(elementwise_affine=False)),
        ("LayerNorm", (3,), dict(bias=False)),
        ("Embedding", (10, 3), dict(padding_idx=-1)),
    ]
    for name, args, kwargs in cases:
        assert repr(getattr(nn, name)(*args, **kwargs)) == repr(getattr(torch.nn, name)(*args, **kwargs))
    assert repr(simple_cnn(minitorch, True)) == repr(simple_cnn(torch, True))


# ---------------------------------------------------------------- errors
def x4(*shape):
    return minitorch.randn(*shape)


ERRORS = [
    (lambda: F.conv2d(x4(8, 28, 28), x4(4, 1, 3, 3)), ShapeError,
     r"conv2d: .*8 channels.*expects 1.*\(N, 1, H, W\)"),
    (lambda: F.conv2d(x4(28, 28), x4(4, 1, 3, 3)), ShapeError, r"conv2d: expected a 4-D input \(N, C, H, W\)"),
    (lambda: F.conv2d(x4(2, 3, 8, 8), x4(4, 3, 3)), ShapeError, r"conv2d: weight must be 4-D"),
    (lambda: F.conv2d(x4(2, 3, 8, 8), x4(4, 2, 3, 3)), ShapeError, r"expects 2.*Check in_channels"),
    (lambda: F.conv2d(x4(1, 1, 2, 2), x4(1, 1, 3, 3)), ShapeError, r"conv2d: the kernel spans 3 pixels.*only 2"),
    (lambda: F.conv2d(x4(1, 1, 5, 5), x4(1, 1, 3, 3), padding=-1), ValueError, r"conv2d: padding must be"),
    (lambda: F.conv2d(x4(1, 1, 5, 5), x4(1, 1, 3, 3), stride=0), ValueError, r"conv2d: stride must be .* at least 1"),
    (lambda: F.conv2d(x4(1, 1, 5, 5), x4(1, 1, 3, 3), padding="full"), ValueError, r"'valid', 'same'"),
    (lambda: F.conv2d(x4(1, 1, 5, 5), x4(1, 1, 3, 3), stride=2, padding="same"), ValueError, r"strided"),
    (lambda: F.conv2d(x4(1, 4, 5, 5), x4(3, 2, 3, 3), groups=2), ValueError, r"divisible by groups=2"),
    (lambda: F.conv2d(x4(1, 1, 5, 5), x4(2, 1, 3, 3), bias=x4(3)), ShapeError,
     r"bias has shape \(3,\), expected \(2,\)"),
    (lambda: F.conv2d(x4(1, 1, 5, 5), x4(2, 1, 3, 3).double()), TypeError, r"float32 but weight is .*float64"),
    (lambda: nn.Conv2d(3, 4, 3, groups=2), ValueError, r"Conv2d: .*divisible by groups"),
    (lambda: nn.Conv2d(3, 4, 0), ValueError, r"Conv2d: kernel_size"),
    (lambda: nn.Conv2d(3, 4, 3, padding_mode="mirror"), ValueError, r"padding_mode"),
    (lambda: F.max_pool2d(x4(1, 1, 4, 4), 2, padding=2), ValueError, r"max_pool2d: padding .* at most half"),
    (lambda: F.max_pool2d(x4(1, 1, 1, 4), 2), ShapeError, r"max_pool2d: the kernel spans 2 pixels"),
    (lambda: F.avg_pool2d(x4(4, 4), 2), ShapeError, r"avg_pool2d: expected a 4-D input"),
    (lambda: F.adaptive_avg_pool2d(x4(1, 1, 4, 4), 0), ValueError, r"adaptive_avg_pool2d: output_size"),
    (lambda: F.batch_norm(x4(1, 3), None, None, training=True), ValueError, r"more than 1 value per channel"),
    (lambda: nn.BatchNorm1d(3)(x4(1, 3)), ValueError, r"more than 1 value per channel"),
    (lambda: nn.BatchNorm2d(3)(x4(2, 4, 2, 2)), RuntimeError, r"BatchNorm2d\(3\) expects 3 channels"),
    (lambda: nn.BatchNorm2d(3)(x4(2, 3)), ValueError, r"BatchNorm2d: expected 4-D input"),
    (lambda: F.batch_norm(x4(2, 3), None, None), ValueError, r"running_mean and running_var.*None"),
    (lambda: F.layer_norm(x4(2, 4), (3,)), ShapeError, r"layer_norm: normalized_shape=\(3,\).*\(\*, 3\)"),
    (lambda: nn.LayerNorm(4)(x4(4, 3)), ShapeError, r"normalized_shape"),
    (lambda: F.embedding(minitorch.tensor([0.0, 1.0]), x4(3, 2)), RuntimeError, r"embedding: .*integer.*\.long\(\)"),
    (lambda: F.embedding(minitorch.tensor([0, 3]), x4(3, 2)), IndexError, r"index 3 is out of range for 3"),
    (lambda: F.embedding(minitorch.tensor([-1]), x4(3, 2)), IndexError, r"index -1 is out of range"),
    (lambda: nn.Embedding(3, 2, padding_idx=3), ValueError, r"padding_idx"),
    (lambda: F.pad(x4(2, 3), (1, 2, 3)), RuntimeError, r"pad: pad must be an even-length"),
    (lambda: F.pad(x4(2, 3), (1, 1, 1, 1, 1, 1)), RuntimeError, r"at most 2 \* ndim = 4"),
    (lambda: F.pad(x4(2, 3), (-2, -2)), ShapeError, r"negative size"),
    (lambda: F.pad(x4(1, 2, 3), (3, 0), mode="reflect"), ValueError, r"at most 2 for a non-empty dim of size 3"),
    (lambda: F.pad(x4(1, 2, 3, 4), (1, 1), mode="replicate"), ShapeError, r"last 1 to 3 dims"),
    (lambda: F.pad(x4(1, 2, 3), (1, 1), mode="wrap"), NotImplementedError, r"'constant', 'reflect'"),
]


@pytest.mark.parametrize("call, error, message", ERRORS, ids=[e[2] for e in ERRORS])
def test_errors_name_the_op_and_the_fix(call, error, message):
    with pytest.raises(error, match=message):
        call()
