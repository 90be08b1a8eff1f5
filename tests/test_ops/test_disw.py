"""DISW against a direct per-box computation (the loop of docs/methods/ds2d2.md, Explicit stream,
written out below); rotated boxes' cells against Shapely's polygon intersections."""
import math

import numpy as np
import pytest
import shapely
import torch

from mmfreqkd.ops import box_footprints, disw_weights, rotated_box_cells


def _loop_reference(boxes, input_shape, map_shape, dtype):
    """The official construction: a map of ones, one slice addition of 1/area per box."""
    (in_h, in_w), (h, w) = input_shape, map_shape
    out = []
    for image_boxes in boxes:
        weight = torch.ones(h, w, dtype=dtype)
        for x1, y1, x2, y2 in image_boxes.tolist():
            cx1, cy1 = max(0, math.floor(x1 * w / in_w)), max(0, math.floor(y1 * h / in_h))
            cx2, cy2 = min(w - 1, math.ceil(x2 * w / in_w)), min(h - 1, math.ceil(y2 * h / in_h))
            if cx2 < cx1 or cy2 < cy1:
                continue
            weight[cy1:cy2 + 1, cx1:cx2 + 1] += 1 / ((cx2 - cx1 + 1) * (cy2 - cy1 + 1))
        out.append(weight)
    return torch.stack(out)


def _random_boxes(gen, n, in_h, in_w, margin=0.0):
    xy = torch.rand(n, 2, generator=gen) * torch.tensor([in_w, in_h]) * (1 + 2 * margin) - \
        torch.tensor([in_w, in_h]) * margin
    wh = torch.rand(n, 2, generator=gen) ** 3 * torch.tensor([in_w, in_h])
    return torch.cat([xy, xy + wh], 1)


def _cases():
    gen = torch.Generator().manual_seed(0)
    special = torch.tensor([
        [0., 0., 0., 0.],          # zero box at the origin
        [37., 21., 37., 21.],      # zero box inside
        [0., 0., 100., 60.],       # covers the whole image
        [-30., -10., 20., 15.],    # partly outside, top left
        [90., 50., 140., 90.],     # partly outside, bottom right
        [120., 70., 150., 90.],    # entirely outside: no footprint
    ])
    return [
        ('special', [special, torch.zeros(0, 4)], (60, 100), (15, 25)),
        ('random', [_random_boxes(gen, 40, 60, 100, 0.1), _random_boxes(gen, 7, 60, 100)],
         (60, 100), (8, 13)),
        ('1000 boxes', [_random_boxes(gen, 1000, 128, 128, 0.05)], (128, 128), (32, 32)),
        ('odd map', [_random_boxes(gen, 25, 97, 75)], (97, 75), (7, 5)),
    ]


@pytest.mark.parametrize('name,boxes,input_shape,map_shape', _cases(),
                         ids=[c[0] for c in _cases()])
def test_disw_float32_matches_the_per_box_loop(name, boxes, input_shape, map_shape):
    expected = _loop_reference(boxes, input_shape, map_shape, torch.float64)
    got = disw_weights(boxes, input_shape, map_shape, dtype='float32')
    assert got.dtype == torch.float32 and got.shape == expected.shape
    torch.testing.assert_close(got.double(), expected, rtol=0, atol=1e-5)


@pytest.mark.parametrize('name,boxes,input_shape,map_shape', _cases(),
                         ids=[c[0] for c in _cases()])
def test_disw_float16_reproduces_the_official_rounding_exactly(name, boxes, input_shape,
                                                               map_shape):
    expected = _loop_reference(boxes, input_shape, map_shape, torch.float16)
    got = disw_weights(boxes, input_shape, map_shape, dtype='float16')
    assert got.dtype == torch.float16
    assert torch.equal(got, expected)


def test_each_box_adds_mass_one_in_float32():
    gen = torch.Generator().manual_seed(1)
    boxes = _random_boxes(gen, 300, 80, 120, margin=0.02)
    cells = box_footprints(boxes, (80, 120), (20, 30))
    inside = ((cells[:, 2] >= cells[:, 0]) & (cells[:, 3] >= cells[:, 1])).sum()
    weights = disw_weights([boxes], (80, 120), (20, 30))
    torch.testing.assert_close((weights - 1).sum().double(), inside.double(), rtol=1e-5, atol=0)
    assert weights.min() >= 1


def test_float16_large_boxes_vanish_in_rounding():
    """One box over 4096 cells adds 1/4096 < half the float16 spacing at 1 (2^-11)."""
    box = [torch.tensor([[0., 0., 63., 63.]])]
    assert torch.all(disw_weights(box, (64, 64), (64, 64), dtype='float16') == 1)
    assert torch.all(disw_weights(box, (64, 64), (64, 64), dtype='float32') > 1)


def test_footprint_mapping_is_outward():
    cells = box_footprints(torch.tensor([[3., 5., 9., 17.]]), (32, 32), (8, 8))
    assert cells.tolist() == [[0, 1, 3, 5]]  # floor(3/4), floor(5/4), ceil(9/4), ceil(17/4)


def test_bad_input_names_the_shape():
    with pytest.raises(ValueError, match=r'\(N, 4\).*\(3, 5\)'):
        box_footprints(torch.zeros(3, 5), (8, 8), (4, 4))
    with pytest.raises(ValueError, match='float64'):
        disw_weights([torch.zeros(0, 4)], (8, 8), (4, 4), dtype='float64')
    with pytest.raises(ValueError, match=r'all \(N, 4\) or all \(N, 5\).*\(2, 5\)'):
        disw_weights([torch.ones(1, 4), torch.ones(2, 5)], (8, 8), (4, 4))
    with pytest.raises(ValueError, match=r'\(N, 5\).*\(3, 4\)'):
        rotated_box_cells(torch.zeros(3, 4), (8, 8), (4, 4))


def _as_rotated(boxes, quarter_turn=False):
    """(N, 4) corner boxes as (N, 5) rotated ones at angle 0 (or -pi/2, width and height
    swapped: the same rectangle)."""
    centre, size = (boxes[:, :2] + boxes[:, 2:]) / 2, boxes[:, 2:] - boxes[:, :2]
    if quarter_turn:
        return torch.cat([centre, size.flip(1), torch.full((len(boxes), 1), -math.pi / 2)], 1)
    return torch.cat([centre, size, torch.zeros(len(boxes), 1)], 1)


@pytest.mark.parametrize('quarter_turn', [False, True])
@pytest.mark.parametrize('name,boxes,input_shape,map_shape', _cases(),
                         ids=[c[0] for c in _cases()])
def test_axis_aligned_rotated_boxes_get_the_official_weights(name, boxes, input_shape,
                                                             map_shape, quarter_turn):
    rotated = [_as_rotated(b.double(), quarter_turn) for b in boxes]
    for dtype in ('float32', 'float16'):
        expected = _loop_reference(boxes, input_shape, map_shape, getattr(torch, dtype))
        got = disw_weights(rotated, input_shape, map_shape, dtype=dtype)
        if dtype == 'float16':
            assert torch.equal(got, expected)
        else:
            torch.testing.assert_close(got, expected, rtol=0, atol=1e-5)


def _random_rotated(gen, n, in_h, in_w):
    centre = torch.rand(n, 2, generator=gen, dtype=torch.float64) * torch.tensor(
        [in_w * 1.1, in_h * 1.1], dtype=torch.float64) - torch.tensor([in_w, in_h]) * 0.05
    size = torch.rand(n, 2, generator=gen, dtype=torch.float64) ** 2 * min(in_h, in_w) / 2
    angle = (torch.rand(n, 1, generator=gen, dtype=torch.float64) - 0.5) * math.pi
    return torch.cat([centre, size, angle], 1)


@pytest.mark.parametrize('input_shape,map_shape', [((80, 120), (20, 30)), ((80, 120), (17, 25))])
def test_rotated_cells_are_those_whose_grown_cell_meets_the_box(input_shape, map_shape):
    """Cell (i, j) is covered iff the open square of half-width 1 around its corner point
    (i, j) meets the box (in map units; the reference: Shapely's intersection area > 0)."""
    gen = torch.Generator().manual_seed(2)
    boxes = _random_rotated(gen, 60, *input_shape)
    (in_h, in_w), (h, w) = input_shape, map_shape
    cx, cy, bw, bh, a = boxes.numpy().T
    signs = np.array([(-1, -1), (1, -1), (1, 1), (-1, 1)])  # the corners, in the box's frame
    lx, ly = signs[:, 0] * bw[:, None] / 2, signs[:, 1] * bh[:, None] / 2  # (N, 4)
    cos, sin = np.cos(a)[:, None], np.sin(a)[:, None]
    xs, ys = cx[:, None] + lx * cos - ly * sin, cy[:, None] + lx * sin + ly * cos
    polygons = shapely.polygons(np.stack([xs * w / in_w, ys * h / in_h], -1))
    j, i = np.meshgrid(np.arange(h), np.arange(w), indexing='ij')
    squares = shapely.box(i.ravel() - 1, j.ravel() - 1, i.ravel() + 1, j.ravel() + 1)
    area = shapely.area(shapely.intersection(polygons[:, None], squares[None]))
    box, y, x = rotated_box_cells(boxes, input_shape, map_shape)
    got = np.zeros((len(boxes), h * w), dtype=bool)
    got[box.numpy(), (y * w + x).numpy()] = True
    np.testing.assert_array_equal(got, area > 1e-9)


def test_each_rotated_box_adds_mass_one_in_float32():
    gen = torch.Generator().manual_seed(3)
    boxes = _random_rotated(gen, 200, 64, 96)
    box, _, _ = rotated_box_cells(boxes, (64, 96), (16, 24))
    weights = disw_weights([boxes[:120], boxes[120:]], (64, 96), (16, 24))
    torch.testing.assert_close((weights - 1).sum().double(),
                               torch.tensor(float(len(box.unique())), dtype=torch.float64),
                               rtol=1e-5, atol=0)
