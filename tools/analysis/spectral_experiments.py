"""The spectral-analysis experiments on the embedded texture set, end to end, on a CPU.

1. generate the embedded set (data/mmfreqkd/texseg);
2. train DeepLabV3+ (ResNetV1c-18, width 16) with full labels and feature truncation ratio 1,
   1/2, 1/4, and with block-wise labels b = 4, 8, 16, 32 (configs/spectral/), once per seed;
3. measure the decoder FLOPs at each truncation ratio (mmengine's FlopAnalyzer);
4. run tools/analysis/spectral_ce.py on the full-label model: the cut-off frequencies of its
   cross-entropy and of the label maps;
5. print the tables (mIoU vs ratio and FLOPs, mIoU vs block size, the cut-offs and the largest
   block size whose grid still resolves them, b <= 1 / (2 f_c)).

Usage:
    python tools/analysis/spectral_experiments.py [--iters N] [--seeds 0 1 2]
        [--work-dir-root work_dirs/spectral]
"""
import argparse
import json
import os.path as osp
import statistics
import subprocess
import sys

import mmfreqkd  # noqa: F401
import torch
from mmengine.config import Config
from mmengine.registry import MODELS, init_default_scope

from mmfreqkd.benchmark import mean_spread, train
from mmfreqkd.cli import default_work_dir
from mmfreqkd.datasets import DEFAULT_ROOT, prepare

CONFIG = 'configs/spectral/deeplabv3plus_r18w16-d8_{}1xb8-1k_texseg-64x64.py'
TRUNCATION = [(1, CONFIG.format('')), (0.5, CONFIG.format('trunc-0.5_')),
              (0.25, CONFIG.format('trunc-0.25_'))]
BLOCKS = [(1, CONFIG.format('')), *((b, CONFIG.format(f'block-{b}_')) for b in (4, 8, 16, 32))]


def decoder_flops(config: str, size: int = 64) -> float:
    """Multiply-accumulates of the decode head of ``config`` on one ``size`` x ``size`` image
    (a truncation head reports its truncated count)."""
    init_default_scope('mmseg')
    model = MODELS.build(Config.fromfile(config).model).eval()
    with torch.no_grad():
        feats = model.extract_feat(torch.zeros(1, 3, size, size))
    head = model.decode_head
    if hasattr(head, 'flops'):
        return head.flops(feats)['truncated']
    from mmengine.analysis import FlopAnalyzer
    analyzer = FlopAnalyzer(head, (list(feats), ))
    analyzer.unsupported_ops_warnings(False).uncalled_modules_warnings(False)
    return float(analyzer.total())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--iters', type=int, default=1000)
    parser.add_argument('--seeds', type=int, nargs='+', default=[0])
    parser.add_argument('--work-dir-root', default='work_dirs/spectral')
    args = parser.parse_args()
    prepare('texseg', DEFAULT_ROOT)

    def work_dir(config, seed):
        suffix = f'_seed{seed}' if len(args.seeds) > 1 else ''
        return default_work_dir(config, args.work_dir_root) + suffix

    results = {}
    for _, config in dict.fromkeys(TRUNCATION + BLOCKS):
        results[config] = [train(config, work_dir(config, seed), args.iters, 'mIoU', seed=seed,
                                 label=osp.basename(config)).metrics['mIoU']
                           for seed in args.seeds]

    full_flops = decoder_flops(TRUNCATION[0][1])
    lines = ['| truncation ratio | decoder GMACs (64x64) | FLOPs saved | mIoU |',
             '|---|---|---|---|']
    for ratio, config in TRUNCATION:
        flops = decoder_flops(config)
        lines.append(f'| {ratio} | {flops / 1e9:.4f} | {1 - flops / full_flops:.0%} | '
                     f'{mean_spread(results[config])} |')
    lines += ['', '| block size b | mIoU | vs full labels |', '|---|---|---|']
    base = statistics.mean(results[BLOCKS[0][1]])
    for block, config in BLOCKS:
        lines.append(f'| {block if block > 1 else "1 (full labels)"} | '
                     f'{mean_spread(results[config])} | '
                     f'{statistics.mean(results[config]) - base:+.2f} |')

    full_dir = work_dir(TRUNCATION[0][1], args.seeds[0])
    report_dir = osp.join(full_dir, 'spectral_ce')
    subprocess.run([sys.executable, 'tools/analysis/spectral_ce.py', TRUNCATION[0][1],
                    osp.join(full_dir, f'iter_{args.iters}.pth'), '--out-dir', report_dir,
                    '--trust-checkpoint', '--bin-width', str(1 / 64)], check=True)
    with open(osp.join(report_dir, 'spectral_report.json')) as f:
        report = json.load(f)
    lines += ['', '| cut-off (cycles/pixel) | 90% | 95% | 99% |', '|---|---|---|---|']
    for name, cutoffs in (('CE of the trained model', report['ce']['cutoffs']),
                          ('label energy (without DC)',
                           report['labels']['cutoffs_without_dc'])):
        cells = ' | '.join(f'{cutoffs[k]:.3f}' for k in ('90%', '95%', '99%'))
        lines.append(f'| {name} | {cells} |')
    label_cutoffs = report['labels']['cutoffs_without_dc']
    lines.append('| largest block resolving the label cut-off, 1 / (2 f_c) | ' + ' | '.join(
        f'{1 / (2 * label_cutoffs[k]):.1f}' if label_cutoffs[k] > 0 else 'inf'
        for k in ('90%', '95%', '99%')) + ' |')
    table = '\n'.join(lines)
    print(f'\nSpectral analysis on the embedded texture set, {args.iters} iterations, seeds '
          f'{args.seeds}:\n{table}')
    with open(osp.join(args.work_dir_root, 'spectral_table.md'), 'w') as f:
        f.write(table + '\n')


if __name__ == '__main__':
    main()
