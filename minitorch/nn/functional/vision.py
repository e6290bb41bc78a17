"""Rearranging and resampling images: ``pixel_shuffle``, ``pixel_unshuffle``, ``affine_grid`` and
``grid_sample``.

All are compositions: the shuffles are a reshape and a permute (their gradient is the inverse
rearrangement), ``affine_grid`` is one matrix product, and ``grid_sample`` gathers the four
neighbours of each sampling point and mixes them with bilinear weights, so the gradient reaches
the input through ``gather`` and the grid through the weights' slopes (PyTorch's gradient).
"""
import warnings

from ... import checks
from ...autograd.composite import shown_as
from ...creation import linspace, ones
from ...namespace import stack
from ...errors import ShapeError
from ._checks import check_tensors


def _factor_check(op, input, name, factor):
    check_tensors(op, input=input)
    if input.ndim < 3:
        raise RuntimeError(f"{op}: expected an input of shape (*, C, H, W), got shape {tuple(input.shape)}.")
    return checks.integer(op, name, factor, minimum=1)


@shown_as("PixelShuffleBackward0")
def pixel_shuffle(input, upscale_factor):
    """(*, C r^2, H, W) -> (*, C, H r, W r): y[c, h r + i, w r + j] = x[c r^2 + i r + j, h, w].

    >>> import minitorch
    >>> minitorch.nn.functional.pixel_shuffle(minitorch.arange(4.0).reshape(4, 1, 1), 2)
    tensor([[[0., 1.],
             [2., 3.]]])
    """
    r = _factor_check("pixel_shuffle", input, "upscale_factor", upscale_factor)
    *lead, channels, height, width = input.shape
    if channels % (r * r):
        raise RuntimeError(
            f"pixel_shuffle: the channel dim ({channels}, input shape {tuple(input.shape)}) must be divisible "
            f"by upscale_factor^2 = {r * r}."
        )
    n = len(lead)
    x = input.reshape(*lead, channels // (r * r), r, r, height, width)
    x = x.permute(*range(n), n, n + 3, n + 1, n + 4, n + 2)
    return x.reshape(*lead, channels // (r * r), height * r, width * r)


def pixel_unshuffle(input, downscale_factor):
    """(*, C, H r, W r) -> (*, C r^2, H, W), the inverse of ``pixel_shuffle``.

    >>> import minitorch
    >>> minitorch.nn.functional.pixel_unshuffle(minitorch.arange(4.0).reshape(1, 2, 2), 2).flatten()
    tensor([0., 1., 2., 3.])
    """
    r = _factor_check("pixel_unshuffle", input, "downscale_factor", downscale_factor)
    *lead, channels, height, width = input.shape
    if height % r or width % r:
        raise RuntimeError(
            f"pixel_unshuffle: height and width (input shape {tuple(input.shape)}) must be divisible by "
            f"downscale_factor = {r}."
        )
    n = len(lead)
    x = input.reshape(*lead, channels, height // r, r, width // r, r)
    x = x.permute(*range(n), n, n + 2, n + 4, n + 1, n + 3)
    return x.reshape(*lead, channels * r * r, height // r, width // r)


def _align(op, align_corners):
    if align_corners is None:
        warnings.warn(f"{op}: the default align_corners is False (PyTorch's since 1.3.0); pass it "
                      f"explicitly to silence this warning.", stacklevel=3)
        return False
    return bool(align_corners)


def _positions(size, align_corners, like):
    """The normalised coordinates in [-1, 1] of ``size`` pixel centres (or corners with align_corners)."""
    if size == 1:
        return linspace(0.0, 0.0, 1, dtype=like.dtype, device=like.device)
    points = linspace(-1.0, 1.0, size, dtype=like.dtype, device=like.device)
    return points if align_corners else points * ((size - 1) / size)


def affine_grid(theta, size, align_corners=None):
    """The sampling grid of an affine map: grid[n, h, w] = theta[n] @ (x_w, y_h, 1) for 2-D
    (theta (N, 2, 3), size (N, C, H, W) -> grid (N, H, W, 2)), and likewise in 3-D
    (theta (N, 3, 4), size (N, C, D, H, W) -> grid (N, D, H, W, 3)); coordinates in [-1, 1].

    >>> import minitorch
    >>> theta = minitorch.tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]])
    >>> minitorch.nn.functional.affine_grid(theta, (1, 1, 1, 2), align_corners=True)
    tensor([[[[-1.,  0.],
              [ 1.,  0.]]]])
    """
    op = "affine_grid"
    check_tensors(op, theta=theta)
    align = _align(op, align_corners)
    size = checks.sizes(op, (size,))
    spatial = len(size) - 2
    if spatial not in (2, 3) or tuple(theta.shape) != (size[0], spatial, spatial + 1):
        raise ValueError(
            f"{op}: expected size (N, C, H, W) with theta (N, 2, 3), or size (N, C, D, H, W) with theta "
            f"(N, 3, 4); got size {size} and theta of shape {tuple(theta.shape)}."
        )
    checks.floating(op, theta, "theta")
    axes = [_positions(s, align, theta) for s in reversed(size[2:])]  # x (width) first
    mesh = [a.reshape(*(-1 if k == spatial - 1 - i else 1 for k in range(spatial))).expand(*size[2:])
            for i, a in enumerate(axes)]
    base = stack(mesh + [ones(*size[2:], dtype=theta.dtype, device=theta.device)], dim=-1)
    grid = base.reshape(1, -1, spatial + 1) @ theta.transpose(1, 2)
    return grid.reshape(size[0], *size[2:], spatial)


def _pixel(coordinate, size, align_corners, padding_mode):
    """Normalised coordinates [-1, 1] -> pixel positions (clipped to the image for 'border')."""
    if align_corners:
        position = (coordinate + 1) * ((size - 1) / 2)
    else:
        position = ((coordinate + 1) * size - 1) / 2
    return position.clamp(0, size - 1) if padding_mode == "border" else position


def _gather(flat, row, column, height, width):
    """flat (N, C, H W) at integer positions (N, P): values (N, C, P), 0 outside the image."""
    inside = ((row >= 0) & (row < height) & (column >= 0) & (column < width)).to(flat.dtype)
    index = row.clamp(0, height - 1) * width + column.clamp(0, width - 1)
    values = flat.gather(2, index.unsqueeze(1).expand(flat.shape[0], flat.shape[1], index.shape[1]))
    return values * inside.unsqueeze(1)


def grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=None):
    """y[n, :, h, w] = input[n] sampled at grid[n, h, w] = (x, y) in [-1, 1] (x along the width):
    ``"bilinear"`` mixes the four neighbours, ``"nearest"`` takes the closest pixel (ties to even).
    Points outside read 0 (``padding_mode="zeros"``) or the nearest edge pixel (``"border"``).
    Input (N, C, H, W), grid (N, H_out, W_out, 2) -> (N, C, H_out, W_out).

    >>> import minitorch
    >>> x = minitorch.tensor([[[[0.0, 10.0]]]])
    >>> grid = minitorch.tensor([[[[0.0, 0.0]]]])
    >>> minitorch.nn.functional.grid_sample(x, grid, align_corners=True)
    tensor([[[[5.]]]])
    """
    op = "grid_sample"
    check_tensors(op, input=input, grid=grid)
    checks.choice(op, "mode", mode, ("bilinear", "nearest"))
    checks.choice(op, "padding_mode", padding_mode, ("zeros", "border"), otherwise="('reflection' is not "
                                                                                   "supported yet)")
    align = _align(op, align_corners)
    if input.ndim != 4 or grid.ndim != 4 or grid.shape[3] != 2 or grid.shape[0] != input.shape[0]:
        raise ShapeError(
            f"{op}: expected input (N, C, H, W) and grid (N, H_out, W_out, 2) with the same N, got input of "
            f"shape {tuple(input.shape)} and grid of shape {tuple(grid.shape)}."
        )
    checks.floating(op, input)
    if grid.dtype != input.dtype:
        raise TypeError(f"{op}: grid is {grid.dtype!r} but the input is {input.dtype!r}; convert one with .to().")
    batch, channels, height, width = input.shape
    flat = input.reshape(batch, channels, height * width)
    points = grid.reshape(batch, -1, 2)
    x = _pixel(points[..., 0], width, align, padding_mode)
    y = _pixel(points[..., 1], height, align, padding_mode)
    if mode == "nearest":
        out = _gather(flat, y.detach().round().long(), x.detach().round().long(), height, width)
    else:
        left, top = x.detach().floor(), y.detach().floor()
        right_w, bottom_w = x - left, y - top  # the weights of the right and lower neighbours
        left, top = left.long(), top.long()
        out = 0
        for dy, wy in ((0, 1 - bottom_w), (1, bottom_w)):
            for dx, wx in ((0, 1 - right_w), (1, right_w)):
                out = out + _gather(flat, top + dy, left + dx, height, width) * (wy * wx).unsqueeze(1)
    return out.reshape(batch, channels, *grid.shape[1:3])
