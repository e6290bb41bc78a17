"""The constants training scripts pass by name: ``memory_format=torch.channels_last`` (accepted;
minitorch keeps row-major), ``torch.strided``, ``torch.version.cuda``."""
import pickle

import pytest

import minitorch


@pytest.mark.parametrize("name", ["contiguous_format", "channels_last", "channels_last_3d", "preserve_format"])
def test_memory_formats_are_accepted_where_pytorch_takes_them(name):
    fmt = getattr(minitorch, name)
    assert repr(fmt) == f"minitorch.{name}" and pickle.loads(pickle.dumps(fmt)) == fmt
    x = minitorch.ones(1, 2, 3, 3, 1)[..., 0] if name != "channels_last_3d" else minitorch.ones(1, 2, 3, 3, 2)
    for y in (x.to(memory_format=fmt), x.contiguous(memory_format=fmt), x.clone(memory_format=fmt),
              minitorch.empty_like(x, memory_format=fmt), minitorch.nn.Conv2d(2, 2, 1).to(memory_format=fmt).weight):
        assert y.is_contiguous()


def test_is_contiguous_in_channels_last_reads_the_strides():
    nchw = minitorch.ones(1, 2, 3, 3)
    nhwc_permuted = minitorch.ones(1, 3, 3, 2).permute(0, 3, 1, 2)
    assert not nchw.is_contiguous(memory_format=minitorch.channels_last)
    assert nhwc_permuted.is_contiguous(memory_format=minitorch.channels_last)
    assert not minitorch.ones(2, 3).is_contiguous(memory_format=minitorch.channels_last)
    torch = pytest.importorskip("torch")
    assert torch.ones(1, 3, 3, 2).permute(0, 3, 1, 2).is_contiguous(memory_format=torch.channels_last)
    assert not torch.ones(1, 2, 3, 3).is_contiguous(memory_format=torch.channels_last)


def test_layout_and_version():
    assert minitorch.zeros(1).layout == minitorch.strided and repr(minitorch.strided) == "minitorch.strided"
    assert minitorch.version.__version__ == minitorch.__version__
    cuda = minitorch.version.cuda
    assert cuda is None or cuda.count(".") == 1
    with pytest.raises(AttributeError):
        minitorch.version.rocm_toolkit


def test_size_arithmetic_stays_a_size_as_torch():
    s = minitorch.Size([2])
    for result, expected in ((s + (3,), [2, 3]), ((3,) + s, [3, 2]), (s * 2, [2, 2]), (2 * s, [2, 2]), (s + s, [2, 2])):
        assert type(result) is minitorch.Size and list(result) == expected
    with pytest.raises(TypeError):
        s + [4]
    torch = pytest.importorskip("torch")
    assert type((3,) + torch.Size([2])) is torch.Size
