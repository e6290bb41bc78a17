"""PyTorch's namespace objects: devices, default dtype/device, dtype facts, printing, load's
map_location, and the switches that mean nothing here; each against the installed PyTorch."""
import io
import itertools

import numpy as np
import pytest

import minitorch

NAMES = ["float16", "float32", "float64", "int8", "uint8", "int16", "int32", "int64", "bool"]


@pytest.fixture
def restore_defaults():
    yield
    minitorch.set_default_dtype(minitorch.float32)
    minitorch.set_default_device(None)
    minitorch.set_printoptions(profile="default")


# ------------------------------------------------------------------------------- devices
def test_device_objects():
    d = minitorch.device("cuda", 0)
    assert (d.type, d.index, str(d), repr(d)) == ("cuda", 0, "cuda:0", "device(type='cuda', index=0)")
    assert minitorch.device("cuda:0") == d == "cuda" == minitorch.device(d)
    assert minitorch.device("cpu") == "cpu" != minitorch.device("cuda")
    assert repr(minitorch.device("cpu")) == "device(type='cpu')" and minitorch.device("cpu").index is None
    assert {minitorch.device("cpu"): 1}["cpu"] == 1 and len({minitorch.device("cpu"), minitorch.device("cpu")}) == 1
    assert minitorch.zeros(2).device == minitorch.device("cpu") and minitorch.zeros(2).device == "cpu"
    with pytest.raises(ValueError, match="unknown device 'gpu'"):
        minitorch.device("gpu")
    with pytest.raises(RuntimeError, match="already holds an index"):
        minitorch.device("cuda:0", 1)


def test_device_objects_are_accepted_wherever_strings_are():
    cpu = minitorch.device("cpu")
    x = minitorch.zeros(2, device=cpu)
    assert x.to(cpu) is x and x.to(device=cpu) is x
    assert minitorch.tensor([1.0], device=cpu).device == cpu
    assert minitorch.nn.Linear(2, 2).to(cpu).weight.device == "cpu"
    on_cuda = x.to(minitorch.device("cuda:0"))  # the CUDA simulator in the tests
    assert on_cuda.device == "cuda" and str(on_cuda.device) == "cuda:0"
    assert "device='cuda:0'" in repr(on_cuda)
    assert minitorch.zeros_like(on_cuda).device == on_cuda.device


def test_device_matches_pytorch():
    torch = pytest.importorskip("torch")
    for args in [("cpu",), ("cuda",), ("cuda:0",), ("cuda", 0)]:
        ours, theirs = minitorch.device(*args), torch.device(*args)
        assert (str(ours), repr(ours), ours.type, ours.index) == (str(theirs), repr(theirs), theirs.type, theirs.index)


def test_default_device(restore_defaults):
    minitorch.set_default_device("cuda")
    assert minitorch.get_default_device() == "cuda"
    assert minitorch.zeros(2).device == "cuda" and minitorch.tensor([1.0]).device == "cuda"
    assert "device=" not in repr(minitorch.zeros(1))
    minitorch.set_default_device(None)
    assert minitorch.randn(2).device == "cpu"


# -------------------------------------------------------------------------------- dtypes
def test_default_dtype_round_trip(restore_defaults):
    torch = pytest.importorskip("torch")
    assert minitorch.get_default_dtype() is minitorch.float32
    for dtype in ("float64", "float16", "float32"):
        minitorch.set_default_dtype(getattr(minitorch, dtype))
        made = [minitorch.tensor([1.0]), minitorch.zeros(1), minitorch.rand(1), minitorch.arange(2.0),
                minitorch.full((1,), 1.0), minitorch.tensor([1]), minitorch.tensor(np.float32(1.0))]
        assert [t.dtype.name for t in made] == [dtype] * 5 + ["int64", "float32"]
        assert minitorch.get_default_dtype().name == dtype
    with pytest.raises(TypeError, match="only floating-point"):
        minitorch.set_default_dtype(minitorch.int64)
    with pytest.raises(TypeError):
        torch.set_default_dtype(torch.int64)


def test_dtype_facts_match_pytorch():
    torch = pytest.importorskip("torch")
    for name in NAMES + ["bfloat16", "complex64"]:
        ours, theirs = getattr(minitorch, name), getattr(torch, name)
        assert (ours.itemsize, ours.is_floating_point, ours.is_complex, ours.is_signed) == (
            theirs.itemsize, theirs.is_floating_point, theirs.is_complex, theirs.is_signed), name
    assert minitorch.half is minitorch.float16 and minitorch.cfloat is minitorch.complex64


@pytest.mark.parametrize("name", ["bfloat16", "complex64"])
def test_dtypes_numpy_lacks_are_refused_clearly(name):
    dtype = getattr(minitorch, name)
    for make in (lambda: minitorch.zeros(2, dtype=dtype), lambda: minitorch.ones(2).to(dtype)):
        with pytest.raises(TypeError, match=f"does not support dtype {name}.*float32|real numbers"):
            make()
    assert minitorch.cuda.is_bf16_supported() is False


def test_promotion_matches_pytorch():
    torch = pytest.importorskip("torch")
    for a, b in itertools.product(NAMES, NAMES):
        ta, tb, ma, mb = getattr(torch, a), getattr(torch, b), getattr(minitorch, a), getattr(minitorch, b)
        assert minitorch.promote_types(ma, mb).name == str(torch.promote_types(ta, tb)).split(".")[1]
        assert minitorch.can_cast(ma, mb) == torch.can_cast(ta, tb), (a, b)
    cases = [([1], 1.0), ([1.0], np.array(1.0)), ([True], 2.5), ([1], True), (1, [2.0])]
    for dtype_a, dtype_b in [("uint8", "int64"), ("int32", "float64"), ("float32", "float64")]:
        for x, y in cases:
            def make(lib, v, d):
                return lib.tensor(v, dtype=getattr(lib, d)) if isinstance(v, (list, np.ndarray)) else v
            ours = minitorch.result_type(make(minitorch, x, dtype_a), make(minitorch, y, dtype_b))
            theirs = torch.result_type(make(torch, x, dtype_a), make(torch, y, dtype_b))
            assert ours.name == str(theirs).split(".")[1], (x, y, dtype_a, dtype_b)


def test_finfo_iinfo_match_pytorch():
    torch = pytest.importorskip("torch")
    for name in ("float16", "float32", "float64"):
        ours, theirs = minitorch.finfo(getattr(minitorch, name)), torch.finfo(getattr(torch, name))
        for field in ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype"):
            assert getattr(ours, field) == getattr(theirs, field), (name, field)
        assert repr(ours) == repr(theirs)
    for name in ("uint8", "int8", "int16", "int32", "int64"):
        ours, theirs = minitorch.iinfo(getattr(minitorch, name)), torch.iinfo(getattr(torch, name))
        assert (ours.bits, ours.min, ours.max, ours.dtype, repr(ours)) == (
            theirs.bits, theirs.min, theirs.max, theirs.dtype, repr(theirs))
    assert minitorch.finfo().dtype == "float32"
    with pytest.raises(TypeError, match="iinfo"):
        minitorch.finfo(minitorch.int32)
    with pytest.raises(TypeError, match="finfo"):
        minitorch.iinfo(minitorch.float32)


def test_tensor_predicates_and_size():
    torch = pytest.importorskip("torch")
    x = minitorch.tensor([1, 2])
    assert minitorch.is_tensor(x) and not minitorch.is_tensor([1])
    assert not minitorch.is_floating_point(x) and minitorch.is_floating_point(x.float())
    assert minitorch.is_complex(x) is False
    size = minitorch.Size([2, 3])
    assert size == (2, 3) and size.numel() == torch.Size([2, 3]).numel() == 6
    assert repr(size) == repr(torch.Size([2, 3])).replace("torch", "minitorch") and repr(size[1:]) == "minitorch.Size([3])"
    array = np.arange(3.0)
    shared = minitorch.as_tensor(array)
    array[0] = 7.0
    assert shared.tolist()[0] == 7.0 and minitorch.as_tensor(shared) is shared
    assert minitorch.as_tensor([1, 2], dtype=minitorch.float64).dtype == minitorch.float64


# ------------------------------------------------------------------------------ printing
def _torch_table(torch):
    g = np.random.default_rng(0)
    return [
        [1.0, 2.5], [1e-5, 1.0], [1e9, 1.0], [[1, 2], [30, 4]], [True, False], 3, 1.5, [], [0.0, -0.0],
        [float("nan"), 1.0, float("inf")], [-1.0, 123456.0], np.arange(2000.0), g.standard_normal((30, 40)),
        np.arange(1001).reshape(7, 11, 13), g.standard_normal((2, 3, 4)), g.standard_normal(25) * 100,
        np.array([1.5], dtype=np.float16), np.array([1.5, 2.0], dtype=np.float64),
        np.array([1, 2], dtype=np.int32), np.zeros((0, 3), np.float32), np.zeros((2, 0), np.int32),
        np.zeros(0, np.int64), np.array([0.1, 20.0], dtype=np.float32), [-5, 100000],
    ]


def _same_print(torch, value, spacing_may_differ=False):
    """minitorch prints ``value`` as torch does (up to where lines break, with ``spacing_may_differ``:
    "dtype=minitorch.float64" is longer than "dtype=torch.float64", so it can wrap sooner)."""
    theirs = torch.tensor(value) if not isinstance(value, np.ndarray) else torch.from_numpy(value)
    ours = minitorch.tensor(value) if not isinstance(value, np.ndarray) else minitorch.from_numpy(value)
    expected = repr(theirs).replace("torch.", "minitorch.")
    if spacing_may_differ:
        assert repr(ours).split() == expected.split(), value
    else:
        assert repr(ours) == expected, value
    assert str(ours) == repr(ours)


def test_printing_matches_pytorch():
    torch = pytest.importorskip("torch")
    for value in _torch_table(torch):
        _same_print(torch, value)
    x, tx = minitorch.tensor([1.5, 2.0], requires_grad=True), torch.tensor([1.5, 2.0], requires_grad=True)
    assert repr(x) == repr(tx) and repr(minitorch.tensor(2.0, requires_grad=True)) == "tensor(2., requires_grad=True)"
    assert repr(x * 2) == repr(tx * 2)  # grad_fn=<MulBackward0>


def test_print_options_match_pytorch(restore_defaults):
    torch = pytest.importorskip("torch")
    options = [dict(precision=2), dict(threshold=5, edgeitems=1), dict(linewidth=30), dict(sci_mode=True),
               dict(sci_mode=False), dict(profile="short"), dict(profile="full")]
    try:
        for option in options:
            minitorch.set_printoptions(**option)
            torch.set_printoptions(**option)
            for value in ([1.0, 2.5], np.arange(2000.0), np.linspace(-3, 1e5, 40).reshape(4, 10), [3, 4, 5]):
                _same_print(torch, value, spacing_may_differ=True)
    finally:
        torch.set_printoptions(profile="default")


def test_format():
    torch = pytest.importorskip("torch")
    for spec in (".4f", "", "8.2e"):
        assert format(minitorch.tensor(1.23456), spec) == format(torch.tensor(1.23456), spec)
    assert f"{minitorch.tensor([1.0])}" == "tensor([1.])"
    with pytest.raises(TypeError, match="unsupported format string"):
        f"{minitorch.ones(2):.4f}"


# ------------------------------------------------------------------------- save and load
def test_load_map_location():
    state = {"w": minitorch.ones(2), "nested": [minitorch.zeros(1, requires_grad=True)], "step": 3}
    buffer = io.BytesIO()
    minitorch.save(state, buffer)
    for where in ("cuda", minitorch.device("cuda:0"), {"cpu": "cuda"}, lambda t, loc: t.to("cuda")):
        buffer.seek(0)
        loaded = minitorch.load(buffer, map_location=where, weights_only=True)
        assert loaded["w"].device == "cuda" and loaded["nested"][0].device == "cuda" and loaded["step"] == 3
    buffer.seek(0)
    loaded = minitorch.load(buffer, map_location="cpu", weights_only=False, mmap=False)
    assert loaded["w"].device == "cpu" and loaded["nested"][0].requires_grad
    with pytest.raises(RuntimeError, match="unknown device"):  # PyTorch's class for a bad device name
        buffer.seek(0)
        minitorch.load(buffer, map_location="tpu")


def test_load_and_save_signatures_match_pytorch():
    torch = pytest.importorskip("torch")
    import inspect

    for name in ("load", "save"):
        ours = inspect.signature(getattr(minitorch, name)).parameters
        theirs = inspect.signature(getattr(torch, name)).parameters
        assert [(p.name, p.kind) for p in ours.values()] == [(p.name, p.kind) for p in theirs.values()]


# ------------------------------------------------------------------- switches and autocast
def test_every_switch_is_callable(restore_defaults):
    minitorch.cuda.manual_seed(1)
    minitorch.cuda.manual_seed_all(1)
    assert minitorch.cuda.device_count() == 1 and minitorch.cuda.current_device() == 0  # the simulator
    minitorch.cuda.set_device(0)
    assert minitorch.cuda.get_device_name() == "CUDA simulator"
    minitorch.cuda.synchronize()
    minitorch.cuda.empty_cache()
    assert minitorch.cuda.memory_allocated() == minitorch.cuda.max_memory_allocated() == 0
    minitorch.backends.cuda.matmul.allow_tf32 = True
    minitorch.backends.cudnn.benchmark = minitorch.backends.cudnn.deterministic = True
    assert minitorch.backends.cudnn.enabled and not minitorch.backends.mps.is_available()
    minitorch.set_float32_matmul_precision("high")
    assert minitorch.get_float32_matmul_precision() == "high"
    minitorch.set_float32_matmul_precision("highest")
    with pytest.raises(ValueError, match="precision"):
        minitorch.set_float32_matmul_precision("low")
    minitorch.use_deterministic_algorithms(True)
    assert minitorch.are_deterministic_algorithms_enabled()
    minitorch.use_deterministic_algorithms(False)
    minitorch.set_num_threads(2)
    assert minitorch.get_num_threads() >= 1
    model = minitorch.nn.Linear(2, 2)
    assert minitorch.compile(model, mode="max-autotune") is model
    assert minitorch.compile()(len) is len
    assert minitorch.accelerator.is_available() and minitorch.accelerator.device_count() == 1
    assert minitorch.accelerator.current_accelerator() == minitorch.device("cuda")
    assert isinstance(minitorch.__version__, str) and minitorch.is_grad_enabled()


def test_autocast_changes_nothing():
    x = minitorch.ones(2)

    @minitorch.autocast("cuda", dtype=minitorch.float16)
    def double(t):
        return t * 2

    for context in (minitorch.amp.autocast("cpu", dtype=minitorch.bfloat16), minitorch.cuda.amp.autocast()):
        with context:
            assert double(x).dtype == minitorch.float32
    with pytest.raises(ValueError, match="device_type"):
        minitorch.autocast("tpu")


def test_grad_scaler_gives_the_plain_step():
    torch = pytest.importorskip("torch")
    steps = []
    for lib, scaler_device in ((minitorch, "cuda"), (torch, "cpu")):
        lib.manual_seed(0)
        w = lib.nn.Parameter(lib.tensor([1.0, -2.0]))
        opt = lib.optim.SGD([w], lr=0.1)
        scaler = lib.amp.GradScaler(scaler_device)
        for _ in range(2):
            opt.zero_grad()
            scaler.scale((w * w).sum()).backward()
            scaler.unscale_(opt)
            scaler.step(opt)
            scaler.update()
        steps.append((w.detach().tolist(), scaler.get_scale(), sorted(scaler.state_dict())))
    assert steps[0] == steps[1]
    scaler = minitorch.amp.GradScaler()
    w = minitorch.nn.Parameter(minitorch.tensor([1.0]))
    opt = minitorch.optim.SGD([w], lr=0.1)
    (w * float("inf")).sum().backward()
    assert scaler.step(opt) is None and w.tolist() == [1.0]  # skipped
    scaler.update()
    assert scaler.get_scale() == 32768.0
