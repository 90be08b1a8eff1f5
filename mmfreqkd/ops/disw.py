"""Density-Independent Scale Weights (DISW) of DS2D2 (Gao et al., TGRS 2025, Sec. III-B; the
official ``transform_bboxes``; docs/methods/ds2d2.md).

Every ground-truth box is mapped outward onto the cells of a feature map of size (h, w) that
covers the padded batch input (H_in, W_in)::

    x1' = max(0, floor(x1 * w / W_in))      x2' = min(w - 1, ceil(x2 * w / W_in))
    y1' = max(0, floor(y1 * h / H_in))      y2' = min(h - 1, ceil(y2 * h / H_in))

and the weight of a cell is ``1 + sum over the boxes covering it of 1 / area'`` with
``area' = (x2' - x1' + 1) (y2' - y1' + 1)``: each object adds a total mass of exactly 1, spread
over its footprint, whatever its size and however densely objects are packed.

**Rotated boxes** (beyond the official code, [our default] for mmrotate detectors): the outward
mapping above selects exactly the cells (i, j) whose corner point lies strictly inside the box
(in map units) grown by one cell on every side, ``x1 s - 1 < i < x2 s + 1`` (and the same in
y). A rotated box ``(cx, cy, w, h, angle)`` covers the cells whose corner point lies strictly
inside the box grown the same way (its Minkowski sum with the open square of half-width 1),
tested by separating axes; for a box at angle 0 this is the official footprint exactly, and
each rotated box again adds mass 1 over its footprint.

Both modes are vectorised (no Python loop over boxes):

* ``float32`` (our default): horizontal boxes add their masses with a 2-D difference array
  (four corner updates per box, then two cumulative sums), O(boxes + cells); rotated boxes
  with one scatter-add over their (box, cell) pairs.
* ``float16`` (the official behaviour): the official code adds box by box into a float16 map,
  rounding after every addition, so near 1.0 (spacing 2^-10) a box covering more than about
  2000 cells adds nothing. Reproduced exactly: the (box, cell) pairs are ordered by cell, then
  by box, and added in rounds, round d adding each cell's d-th covering box (a zero where a
  cell has fewer: adding 0 is exact), so every cell sees the same sequence of float16 roundings
  as in the loop. The loop runs over the overlap depth, not over the boxes; memory is
  (covered cells) x (overlap depth).
"""
from typing import Sequence, Tuple

import torch

__all__ = ['box_footprints', 'rotated_box_cells', 'disw_weights', 'DISW_DTYPES']

#: Accumulation modes of :func:`disw_weights`.
DISW_DTYPES = ('float32', 'float16')

#: |cos| or |sin| of a rotated box's angle below this counts as 0: boxes within 1e-6 rad of a
#: multiple of 90 degrees are axis-aligned, so they get the official footprint exactly (a
#: float32 angle of -pi/2, le90's bound, has cos = -4e-8; left as it is, that tilt moves cells
#: that lie exactly on the box's grown edge in or out).
_AXIS_EPS = 1e-6


def box_footprints(boxes: torch.Tensor, input_shape: Tuple[int, int],
                   map_shape: Tuple[int, int]) -> torch.Tensor:
    """Inclusive integer cell ranges ``(x1', y1', x2', y2')`` of boxes on a (h, w) map.

    Args:
        boxes: (N, 4) ``x1, y1, x2, y2`` in input pixels.
        input_shape: (H_in, W_in), the padded batch input the boxes live in.
        map_shape: (h, w) of the map the weights are for.

    Returns:
        (N, 4) int64. A box entirely outside the map gets ``x2' < x1'`` or ``y2' < y1'`` (an
        empty footprint).
    """
    if boxes.dim() != 2 or boxes.shape[-1] != 4:
        raise ValueError(f'boxes must be (N, 4) x1, y1, x2, y2; got {tuple(boxes.shape)}')
    (in_h, in_w), (h, w) = input_shape, map_shape
    scale = boxes.new_tensor([w / in_w, h / in_h, w / in_w, h / in_h], dtype=torch.float64)
    scaled = boxes.double() * scale
    low, high = scaled[:, :2].floor().clamp_min(0), scaled[:, 2:].ceil()
    high = torch.minimum(high, high.new_tensor([w - 1, h - 1]))
    return torch.cat([low, high], 1).long()


def rotated_box_cells(boxes: torch.Tensor, input_shape: Tuple[int, int],
                      map_shape: Tuple[int, int]) -> Tuple[torch.Tensor, ...]:
    """The cells of rotated boxes on a (h, w) map (see the module docstring).

    Args:
        boxes: (N, 5) ``cx, cy, w, h, angle`` (radians, mmrotate's ``rbox``) in input pixels.
        input_shape: (H_in, W_in), the padded batch input the boxes live in.
        map_shape: (h, w) of the map.

    Returns:
        ``(box, y, x)``: int64 index vectors, one entry per (box, covered cell) pair, ordered
        by box.
    """
    if boxes.dim() != 2 or boxes.shape[-1] != 5:
        raise ValueError(f'rotated boxes must be (N, 5) cx, cy, w, h, angle; got '
                         f'{tuple(boxes.shape)}')
    (in_h, in_w), (h, w) = input_shape, map_shape
    scale = boxes.new_tensor([w / in_w, h / in_h], dtype=torch.float64)
    boxes = boxes.double()
    cos, sin = boxes[:, 4].cos(), boxes[:, 4].sin()
    cos, sin = (torch.where(t.abs() < _AXIS_EPS, 0., t) for t in (cos, sin))
    # the parallelogram in map units: centre c, edge vectors u (width) and v (height)
    centre = boxes[:, :2] * scale
    u = torch.stack([cos, sin], 1) * boxes[:, 2:3] * scale
    v = torch.stack([-sin, cos], 1) * boxes[:, 3:4] * scale
    extent = (u.abs() + v.abs()) / 2
    candidates = box_footprints(torch.cat([centre - extent, centre + extent], 1),
                                map_shape, map_shape)  # the hull's footprint, already in cells
    box, y, x = _range_cells(*candidates.unbind(1))
    offset = torch.stack([x, y], 1).double() - centre[box]
    inside = (offset.abs() < 1 + extent[box]).all(1)  # the map's axes
    for edge, other in ((u, v), (v, u)):  # the normals of the box's edges
        normal = torch.stack([-edge[:, 1], edge[:, 0]], 1)[box]
        tilted = (normal != 0).all(1)  # an axis-parallel normal repeats a map-axis test
        reach = (normal * other[box]).sum(1).abs() / 2 + normal.abs().sum(1)
        inside &= ~tilted | ((normal * offset).sum(1).abs() < reach)
    return box[inside], y[inside], x[inside]


def disw_weights(boxes: Sequence[torch.Tensor],
                 input_shape: Tuple[int, int],
                 map_shape: Tuple[int, int],
                 dtype: str = 'float32') -> torch.Tensor:
    """DISW map of a batch (see the module docstring).

    Args:
        boxes: one tensor per image (N_i may be 0): (N_i, 4) ``x1, y1, x2, y2`` boxes, or
            (N_i, 5) rotated ``cx, cy, w, h, angle`` boxes (the same kind for all images).
        input_shape: (H_in, W_in) of the padded batch input.
        map_shape: (h, w) of the weight map.
        dtype: ``'float32'`` (exact sums, [our default]) or ``'float16'`` (the official code's
            box-by-box float16 accumulation, where large boxes vanish in rounding).

    Returns:
        (B, h, w) weights in ``dtype``, >= 1, on the boxes' device.

    Examples:
        >>> w = disw_weights([torch.tensor([[0., 0., 8., 8.]])], (32, 32), (4, 4))
        >>> w[0]  # the box covers cells 0..1 x 0..1 (ceil(8 / 8) = 1): 1 + 1/4 each
        tensor([[1.2500, 1.2500, 1.0000, 1.0000],
                [1.2500, 1.2500, 1.0000, 1.0000],
                [1.0000, 1.0000, 1.0000, 1.0000],
                [1.0000, 1.0000, 1.0000, 1.0000]])
    """
    if dtype not in DISW_DTYPES:
        raise ValueError(f'DISW dtype must be one of {DISW_DTYPES}, got {dtype!r}')
    if len(boxes) == 0:
        raise ValueError('disw_weights needs one box tensor per image, got none')
    dims = {b.shape[-1] for b in boxes if b.numel()} or {4}
    if len(dims) > 1 or not dims <= {4, 5}:
        raise ValueError(f'disw_weights: boxes must be all (N, 4) or all (N, 5); got shapes '
                         f'{[tuple(b.shape) for b in boxes]}')
    dim = dims.pop()
    h, w = map_shape
    counts = torch.tensor([len(b) for b in boxes], device=boxes[0].device)
    image = torch.repeat_interleave(torch.arange(len(boxes), device=counts.device), counts)
    flat = torch.cat([b.reshape(-1, dim) for b in boxes])
    if dim == 4:
        x1, y1, x2, y2 = box_footprints(flat, input_shape, map_shape).unbind(1)
        present = (x2 >= x1) & (y2 >= y1)
        image, x1, y1, x2, y2 = (t[present] for t in (image, x1, y1, x2, y2))
        mass = (1.0 / ((x2 - x1 + 1) * (y2 - y1 + 1)).double()).float()
        if dtype == 'float32':
            return 1 + _difference_sum(len(boxes), h, w, image, x1, y1, x2, y2, mass)
        box, y, x = _range_cells(x1, y1, x2, y2)
    else:
        box, y, x = rotated_box_cells(flat, input_shape, map_shape)
        mass = (1.0 / torch.bincount(box, minlength=len(flat)).clamp_min(1).double()).float()
    cell = (image[box] * h + y) * w + x
    if dtype == 'float32':
        weights = torch.ones(len(boxes) * h * w, device=mass.device)
        return weights.index_add_(0, cell, mass[box]).view(len(boxes), h, w)
    return _sequential_half_sum(len(boxes), h, w, cell, box, mass)


def _range_cells(x1, y1, x2, y2) -> Tuple[torch.Tensor, ...]:
    """``(box, y, x)`` of every cell of inclusive ranges (empty ranges give none), by box."""
    widths, heights = (x2 - x1 + 1).clamp_min(0), (y2 - y1 + 1).clamp_min(0)
    sizes = widths * heights
    box = torch.repeat_interleave(torch.arange(len(sizes), device=sizes.device), sizes)
    offset = torch.arange(len(box), device=sizes.device) - \
        torch.repeat_interleave(sizes.cumsum(0) - sizes, sizes)
    return box, y1[box] + offset // widths[box], x1[box] + offset % widths[box]


def _difference_sum(batch, h, w, image, x1, y1, x2, y2, mass) -> torch.Tensor:
    """sum_k mass_k [cell in box k], by corner updates of a 2-D difference array."""
    diff = mass.new_zeros(batch, h + 1, w + 1)
    for ys, xs, sign in ((y1, x1, 1), (y1, x2 + 1, -1), (y2 + 1, x1, -1), (y2 + 1, x2 + 1, 1)):
        diff.index_put_((image, ys, xs), sign * mass, accumulate=True)
    return diff.cumsum(1).cumsum(2)[:, :h, :w]


def _sequential_half_sum(batch, h, w, cell, box, mass) -> torch.Tensor:
    """``W = 1; for each box: W[footprint] += mass`` in float16, cell by cell in box order;
    ``cell``/``box``: the flat cell index and box index of every (box, cell) pair."""
    order = torch.argsort(cell * max(len(mass), 1) + box)  # by cell, then by box
    cell, box = cell[order], box[order]
    first = torch.ones_like(cell, dtype=torch.bool)
    first[1:] = cell[1:] != cell[:-1]
    start = torch.cummax(torch.where(first, torch.arange(len(cell), device=cell.device), 0),
                         0).values
    depth = torch.arange(len(cell), device=cell.device) - start
    slot = first.cumsum(0) - 1  # index of the pair's cell among the covered cells
    rounds = mass.new_zeros(int(depth.max()) + 1 if len(depth) else 0, int(first.sum()))
    rounds[depth, slot] = mass[box]  # row d: each cell's d-th covering box (or 0: exact no-op)
    covered = torch.ones(rounds.shape[1], dtype=torch.float16, device=mass.device)
    for row in rounds:  # float16 + float32 is summed in float32, then rounded to float16
        covered = torch.add(covered, row).half()
    weights = torch.ones(batch * h * w, dtype=torch.float16, device=mass.device)
    weights[cell[first]] = covered
    return weights.view(batch, h, w)
