"""DISW weights: ``mmfreqkd.ops.disw_weights`` (vectorised) vs a per-box Python loop like the
official DS2D2 code, side by side in one run, with the weights compared.

The loop maps each box with tensor floor/ceil and adds ``1 / area`` to its slice of a map of
ones, box by box (float16 as the official code, or float32). Default workload: ``--boxes 500``
boxes over a batch of ``--batch 2`` images of 800x800 (DIOR's input size), for the five DWT
band sizes of RetinaNet's P3-P7 (FPN strides 8-128, halved by the DWT: 50, 25, 13, 7, 4).

Usage:
    .venv/bin/python benchmarks/bench_disw.py [--boxes 500] [--batch 2] [--size 800]
        [--device cpu] [--repeat 5]
"""
import argparse
import math
import statistics
import time

import torch

from mmfreqkd.ops import disw_weights


def official_style_loop(boxes, input_shape, map_shape, dtype):
    """W = 1; for every image and box: W[footprint] += 1 / area (docs/methods/ds2d2.md,
    Explicit stream)."""
    (in_h, in_w), (h, w) = input_shape, map_shape
    weights = torch.ones(len(boxes), h, w, dtype=dtype, device=boxes[0].device)
    for i, image_boxes in enumerate(boxes):
        for box in image_boxes:
            x1 = int(torch.clamp(torch.floor(box[0] * w / in_w), min=0))
            y1 = int(torch.clamp(torch.floor(box[1] * h / in_h), min=0))
            x2 = int(torch.clamp(torch.ceil(box[2] * w / in_w), max=w - 1))
            y2 = int(torch.clamp(torch.ceil(box[3] * h / in_h), max=h - 1))
            if x2 >= x1 and y2 >= y1:
                weights[i, y1:y2 + 1, x1:x2 + 1] += 1 / ((x2 - x1 + 1) * (y2 - y1 + 1))
    return weights


def _median_seconds(fn, repeat, device):
    times = []
    for _ in range(repeat):
        if device == 'cuda':
            torch.cuda.synchronize()
        start = time.perf_counter()
        out = fn()
        if device == 'cuda':
            torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    return statistics.median(times), out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--boxes', type=int, default=500, help='boxes per batch')
    parser.add_argument('--batch', type=int, default=2)
    parser.add_argument('--size', type=int, default=800)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--repeat', type=int, default=5)
    args = parser.parse_args()

    gen = torch.Generator().manual_seed(0)
    size = args.size
    per_image = [args.boxes // args.batch + (i < args.boxes % args.batch)
                 for i in range(args.batch)]
    boxes = []
    for n in per_image:
        xy = torch.rand(n, 2, generator=gen) * size
        wh = 4 + torch.rand(n, 2, generator=gen) ** 2 * size / 4
        boxes.append(torch.cat([xy, (xy + wh).clamp(max=size)], 1).to(args.device))
    levels = [math.ceil(size / stride / 2) for stride in (8, 16, 32, 64, 128)]

    print(f'{args.boxes} boxes, batch {args.batch} at {size}x{size}, bands {levels}, '
          f'{args.device}, median of {args.repeat}')
    print(f'{"dtype":8s} {"loop ms":>9s} {"ours ms":>9s} {"speed-up":>9s} {"max |diff|":>11s}')
    for dtype in ('float16', 'float32'):
        torch_dtype = getattr(torch, dtype)
        loop_s, expected = _median_seconds(lambda: [official_style_loop(
            boxes, (size, size), (n, n), torch_dtype) for n in levels], args.repeat,
                                           args.device)
        ours_s, got = _median_seconds(lambda: [disw_weights(
            boxes, (size, size), (n, n), dtype=dtype) for n in levels], args.repeat,
                                      args.device)
        diff = max(float((a.double() - b.double()).abs().max()) for a, b in zip(got, expected))
        print(f'{dtype:8s} {loop_s * 1e3:9.1f} {ours_s * 1e3:9.2f} {loop_s / ours_s:8.0f}x '
              f'{diff:11.2e}')


if __name__ == '__main__':
    main()
