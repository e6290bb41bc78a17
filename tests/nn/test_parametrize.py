"""nn.utils.parametrize and nn.utils.parametrizations (weight_norm, spectral_norm, orthogonal) against PyTorch."""
import numpy as np
import pytest
from hypothesis import given

import minitorch
from minitorch import nn
from minitorch.nn.utils import parametrizations, parametrize
from minitorch.testing import gradcheck
from minitorch.testing import strategies as S


def _symmetric_class(lib):
    class Symmetric(lib.nn.Module):
        def forward(self, x):
            return x.triu() + x.triu(1).mT

        def right_inverse(self, a):
            return a.triu()

    return Symmetric


def _scale_class(lib):
    class Scale(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("factor", lib.tensor(2.0))

        def forward(self, x):
            return x * self.factor

        def right_inverse(self, a):
            return a / self.factor

    return Scale


def _linear(lib, n_in=3, n_out=3, seed=0):
    m = lib.nn.Linear(n_in, n_out)
    rng = np.random.default_rng(seed)
    with lib.no_grad():
        m.weight.copy_(lib.tensor(rng.standard_normal((n_out, n_in)), dtype=lib.float32))
        m.bias.copy_(lib.tensor(rng.standard_normal(n_out), dtype=lib.float32))
    return m


def _run(lib, module, x):
    """Forward, a loss, backward: the output and every parameter's gradient, by name."""
    out = module(lib.tensor(x, dtype=lib.float32))
    (out * out).sum().backward()
    return out.detach().numpy(), {n: p.grad.numpy() for n, p in module.named_parameters()}


def _custom(lib):
    """A Linear with a chain of two parametrizations (Symmetric, then Scale) on its weight."""
    m = _linear(lib)
    lib.nn.utils.parametrize.register_parametrization(m, "weight", _symmetric_class(lib)())
    lib.nn.utils.parametrize.register_parametrization(m, "weight", _scale_class(lib)())
    return m


def test_chained_parametrizations_match_torch():
    torch = pytest.importorskip("torch")
    ours, theirs = _custom(minitorch), _custom(torch)
    assert type(ours).__name__ == type(theirs).__name__ == "ParametrizedLinear"
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    x = np.random.default_rng(1).standard_normal((2, 3))
    out, grads = _run(minitorch, ours, x)
    t_out, t_grads = _run(torch, theirs, x)
    np.testing.assert_allclose(out, t_out, rtol=1e-5, atol=1e-6)
    for name, grad in grads.items():
        np.testing.assert_allclose(grad, t_grads[name], rtol=1e-5, atol=1e-5)
    assert repr(ours).replace("minitorch", "torch") == repr(theirs)


def test_assignment_goes_through_right_inverse_and_original_is_the_same_parameter():
    torch = pytest.importorskip("torch")
    m, t = _linear(minitorch), _linear(torch)
    weight = m.weight
    parametrize.register_parametrization(m, "weight", _symmetric_class(minitorch)())
    torch.nn.utils.parametrize.register_parametrization(t, "weight", _symmetric_class(torch)())
    assert m.parametrizations.weight.original is weight  # an optimiser built before still holds it
    value = np.arange(9.0).reshape(3, 3)
    m.weight = minitorch.tensor(value, dtype=minitorch.float32)
    t.weight = torch.tensor(value, dtype=torch.float32)
    np.testing.assert_allclose(m.parametrizations.weight.original.detach().numpy(),
                               t.parametrizations.weight.original.detach().numpy())
    np.testing.assert_allclose(m.weight.detach().numpy(), t.weight.detach().numpy())


@pytest.mark.parametrize("leave_parametrized", [True, False])
def test_remove_parametrizations_matches_torch(leave_parametrized):
    torch = pytest.importorskip("torch")
    results = []
    for lib in (minitorch, torch):
        m = _custom(lib)
        original = m.parametrizations.weight.original
        lib.nn.utils.parametrize.remove_parametrizations(m, "weight", leave_parametrized=leave_parametrized)
        assert type(m).__name__ == "Linear" and not lib.nn.utils.parametrize.is_parametrized(m)
        assert m.weight is original and isinstance(m.weight, lib.nn.Parameter)
        results.append((m.weight.detach().numpy(), list(m.state_dict())))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-6)
    assert results[0][1] == results[1][1]


def test_cached_computes_once():
    calls = []

    class Count(nn.Module):
        def forward(self, x):
            calls.append(1)
            return x * 1

    m = parametrize.register_parametrization(_linear(minitorch), "weight", Count())
    calls.clear()
    with parametrize.cached():
        assert m.weight is m.weight
    assert len(calls) == 1
    m.weight, m.weight  # noqa: B018  (outside the block: computed at each access)
    assert len(calls) == 3


def test_is_parametrized_and_type_before():
    m = _custom(minitorch)
    assert parametrize.is_parametrized(m) and parametrize.is_parametrized(m, "weight")
    assert not parametrize.is_parametrized(m, "bias")
    assert parametrize.type_before_parametrizations(m) is nn.Linear


def test_errors_match_torch():
    torch = pytest.importorskip("torch")

    class Wide(nn.Module):
        def forward(self, x):
            return minitorch.cat([x, x], dim=1)

    class TWide(torch.nn.Module):
        def forward(self, x):
            return torch.cat([x, x], dim=1)

    for lib, wide in ((minitorch, Wide), (torch, TWide)):
        P = lib.nn.utils.parametrize
        with pytest.raises(ValueError, match="does not have a parameter, a buffer, or a parametrized element"):
            P.register_parametrization(lib.nn.Linear(2, 2), "nope", wide())
        with pytest.raises(ValueError, match="may not change the shape"):
            P.register_parametrization(lib.nn.Linear(2, 2), "weight", wide())
        with pytest.raises(ValueError, match="does not have a parametrization on weight"):
            P.remove_parametrizations(lib.nn.Linear(2, 2), "weight")
        assert P.register_parametrization(lib.nn.Linear(2, 2), "weight", wide(), unsafe=True).weight.shape == (2, 4)
        m = P.register_parametrization(lib.nn.Linear(2, 2), "weight", wide(), unsafe=True)
        with pytest.raises(KeyError, match="attribute 'weight' already exists"):
            m.weight = lib.nn.Parameter(lib.ones(2, 2))
        with pytest.raises(RuntimeError, match="does not implement right_inverse"):
            m.weight = lib.ones(2, 4)


# ------------------------------------------------------------------------ ready-made parametrizations
def _make(lib, kind, ctor):
    P = lib.nn.utils.parametrizations
    name, *options = kind
    m = ctor(lib)
    return getattr(P, name)(m, **dict(options))


KINDS = [
    (("weight_norm",), lambda lib: lib.nn.Linear(4, 3), (2, 4)),
    (("weight_norm", ("dim", None)), lambda lib: lib.nn.Linear(4, 3), (2, 4)),
    (("weight_norm", ("dim", 1)), lambda lib: lib.nn.Conv2d(2, 3, 3), (1, 2, 5, 5)),
    (("spectral_norm",), lambda lib: lib.nn.Conv2d(2, 3, 3), (1, 2, 5, 5)),
    (("spectral_norm",), lambda lib: lib.nn.ConvTranspose2d(2, 3, 3), (1, 2, 4, 4)),
    (("orthogonal",), lambda lib: lib.nn.Linear(4, 4), (2, 4)),
    (("orthogonal",), lambda lib: lib.nn.Linear(3, 5), (2, 3)),
    (("orthogonal",), lambda lib: lib.nn.Linear(5, 3), (2, 5)),
    (("orthogonal", ("orthogonal_map", "cayley")), lambda lib: lib.nn.Linear(4, 4), (2, 4)),
    (("orthogonal", ("orthogonal_map", "cayley")), lambda lib: lib.nn.Linear(3, 5), (2, 3)),
    (("orthogonal", ("orthogonal_map", "matrix_exp")), lambda lib: lib.nn.Linear(5, 3), (2, 5)),
    (("orthogonal", ("orthogonal_map", "householder")), lambda lib: lib.nn.Linear(4, 4), (2, 4)),
]


def _state(module):
    return {k: v.detach().numpy().copy() for k, v in module.state_dict().items()}


@pytest.mark.parametrize("kind, ctor, shape", KINDS)
def test_parametrizations_load_torch_checkpoints_and_match(kind, ctor, shape):
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    theirs = _make(torch, kind, ctor)
    ours = _make(minitorch, kind, ctor)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    ours.load_state_dict({k: minitorch.tensor(v) for k, v in _state(theirs).items()})
    x = np.random.default_rng(2).standard_normal(shape)
    out, grads = _run(minitorch, ours, x)
    t_out, t_grads = _run(torch, theirs, x)
    np.testing.assert_allclose(out, t_out, rtol=1e-4, atol=1e-5)
    for name, grad in grads.items():
        np.testing.assert_allclose(grad, t_grads[name], rtol=1e-4, atol=1e-4)
    for key, value in _state(ours).items():  # spectral norm's power iteration moved u and v alike
        np.testing.assert_allclose(value, _state(theirs)[key], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("kind, ctor, shape", KINDS[:4])
def test_torch_loads_our_checkpoints(kind, ctor, shape):
    torch = pytest.importorskip("torch")
    ours, theirs = _make(minitorch, kind, ctor), _make(torch, kind, ctor)
    theirs.load_state_dict({k: torch.tensor(v) for k, v in _state(ours).items()})
    ours.eval(), theirs.eval()
    x = np.random.default_rng(3).standard_normal(shape)
    np.testing.assert_allclose(ours(minitorch.tensor(x, dtype=minitorch.float32)).detach().numpy(),
                               theirs(torch.tensor(x, dtype=torch.float32)).detach().numpy(), rtol=1e-4, atol=1e-5)


def test_orthogonal_weights_are_orthogonal_after_a_step():
    m = parametrizations.orthogonal(nn.Linear(3, 5))
    opt = minitorch.optim.SGD(m.parameters(), lr=0.5)
    (m(minitorch.randn(4, 3)) ** 2).sum().backward()
    opt.step()
    w = m.weight.detach()
    np.testing.assert_allclose((w.T @ w).numpy(), np.eye(3), atol=1e-5)


def test_parametrization_errors():
    with pytest.raises(ValueError, match="orthogonal_map has to be one of"):
        parametrizations.orthogonal(nn.Linear(2, 2), orthogonal_map="qr")
    with pytest.raises(ValueError, match="Expected a matrix or batch of matrices"):
        parametrizations.orthogonal(nn.Linear(2, 2), "bias")
    with pytest.raises(ValueError, match="has no parameter or buffer with name 'w'"):
        parametrizations.spectral_norm(nn.Linear(2, 2), "w")
    with pytest.raises(NotImplementedError, match="use_trivialization"):
        parametrizations.orthogonal(nn.Linear(2, 2), orthogonal_map="cayley", use_trivialization=False)


@pytest.mark.parametrize("maker", [
    lambda: parametrizations.weight_norm(nn.Linear(3, 2).double()),
    lambda: parametrizations.orthogonal(nn.Linear(3, 3).double(), orthogonal_map="cayley"),
    lambda: parametrizations.orthogonal(nn.Linear(3, 2).double(), orthogonal_map="matrix_exp"),
])
@given(x=S.tensors(shape=(2, 3)))
def test_gradcheck_through_parametrized_modules(maker, x):
    m = maker()
    names = [n for n, _ in m.named_parameters()]
    values = [p.detach().clone().requires_grad_() for p in m.parameters()]
    assert gradcheck(lambda inp, *ps: minitorch.func.functional_call(m, dict(zip(names, ps)), inp), [x, *values])


def test_parametrized_module_on_cuda_matches_cpu():
    for make in (lambda: parametrizations.weight_norm(_linear(minitorch)),
                 lambda: parametrizations.spectral_norm(_linear(minitorch)).eval()):
        minitorch.manual_seed(0)
        m = make()
        x = minitorch.tensor(np.random.default_rng(4).standard_normal((2, 3)), dtype=minitorch.float32)
        on_cpu = m(x).detach().numpy()
        m.to("cuda")
        out = m(x.to("cuda"))
        assert out.device == "cuda"
        np.testing.assert_allclose(out.cpu().detach().numpy(), on_cpu, rtol=1e-5, atol=1e-6)
