"""The quick start: distillation on the embedded texture-segmentation set, on a CPU, in minutes.

1. generate the embedded set (data/mmfreqkd/texseg);
2. train the teacher (PSPNet R18, width 32) and export its weights as a plain checkpoint;
3. train the student (PSPNet R18, width 16) without distillation, and with mmrazor's CWD;
4. print a side-by-side table of validation mIoU and training step time.

Every run is ``tools/train.py`` on a config in configs/, so each row can be reproduced alone.

Usage:
    python tools/quickstart.py [--iters N] [--work-dir-root work_dirs]
"""
import argparse
import glob
import json
import os
import os.path as osp
import statistics
import subprocess
import sys
import time

from mmfreqkd.cli import default_work_dir

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
TEACHER = 'configs/embedded/pspnet_r18w32-d8_1xb8-1k_texseg-64x64.py'
RUNS = [  # (row label, config, whether it distils from the teacher)
    ('student, no KD', 'configs/embedded/pspnet_r18w16-d8_1xb8-1k_texseg-64x64.py', False),
    ('student, mmrazor CWD', 'configs/baselines/cwd_logits_pspnet_r18w32_pspnet_r18w16_texseg.py',
     True),
]


def run(cmd):
    print('$', ' '.join(cmd), flush=True)
    subprocess.run(cmd, cwd=ROOT, check=True)


def train(config, root, iters, extra=()):
    """Train ``config``; returns (validation metrics, median step time in s)."""
    wdir = default_work_dir(config, root)
    opts = [f'train_cfg.max_iters={iters}', f'train_cfg.val_interval={iters}',
            f'default_hooks.checkpoint.interval={iters}', f'param_scheduler.0.end={iters}',
            *extra]
    start = time.perf_counter()
    run([sys.executable, 'tools/train.py', config, '--work-dir', wdir, '--cfg-options', *opts])
    wall = time.perf_counter() - start
    scalars = sorted(glob.glob(osp.join(wdir, '*', 'vis_data', 'scalars.json')))[-1]
    with open(scalars) as f:
        records = [json.loads(line) for line in f]
    steps = [r['time'] for r in records if 'loss' in r and 'time' in r]
    val = [r for r in records if 'mIoU' in r][-1]
    return val, statistics.median(steps), wall


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--iters', type=int, default=1000, help='iterations of every run')
    parser.add_argument('--work-dir-root', default='work_dirs', help='parent of the work dirs')
    args = parser.parse_args()

    run([sys.executable, 'tools/generate_data.py', 'texseg'])
    rows = [('teacher', *train(TEACHER, args.work_dir_root, args.iters))]
    teacher_dir = default_work_dir(TEACHER, args.work_dir_root)
    teacher_ckpt = osp.join(teacher_dir, 'exported.pth')
    run([sys.executable, 'tools/export_student.py', TEACHER,
         osp.join(teacher_dir, f'iter_{args.iters}.pth'), teacher_ckpt])
    for label, config, distils in RUNS:
        extra = [f'model.teacher_ckpt={teacher_ckpt}'] if distils else []
        rows.append((label, *train(config, args.work_dir_root, args.iters, extra)))

    no_kd_step = rows[1][2]
    lines = ['| run | mIoU | mAcc | aAcc | step time (s) | step vs no-KD | wall (s) |',
             '|---|---|---|---|---|---|---|']
    for label, val, step, wall in rows:
        lines.append(f'| {label} | {val["mIoU"]:.2f} | {val["mAcc"]:.2f} | {val["aAcc"]:.2f} | '
                     f'{step:.3f} | {step / no_kd_step:.2f}x | {wall:.0f} |')
    table = '\n'.join(lines)
    print(f'\nEmbedded texture segmentation, {args.iters} iterations each, '
          f'{os.cpu_count()} CPU cores:\n{table}')
    with open(osp.join(args.work_dir_root, 'quickstart_table.md'), 'w') as f:
        f.write(table + '\n')


if __name__ == '__main__':
    main()
