"""The quick start: distillation on the embedded texture-segmentation set, on a CPU, in minutes.

1. generate the embedded set (data/mmfreqkd/texseg);
2. train the teacher (PSPNet R18, width 32) and export its weights as a plain checkpoint;
3. train the student (PSPNet R18, width 16) without distillation, with mmrazor's CWD and with
   SSTKD (contourlet + DTIEM texture, response and adversarial terms), once per seed;
4. print a side-by-side table of validation mIoU (mean and spread over the seeds) and training
   step time.

Every run is ``tools/train.py`` on a config in configs/, so each row can be reproduced alone.

Usage:
    python tools/quickstart.py [--iters N] [--seeds 0 1 2] [--work-dir-root work_dirs]
"""
import argparse
import os
import os.path as osp
import sys

from mmfreqkd.cli import (publish_table, results_table, run_command, train_and_export,
                          train_and_validate)
TEACHER = 'configs/embedded/pspnet_r18w32-d8_1xb8-1k_texseg-64x64.py'
RUNS = [  # (row label, config, whether it distils from the teacher)
    ('student, no KD', 'configs/embedded/pspnet_r18w16-d8_1xb8-1k_texseg-64x64.py', False),
    ('student, mmrazor CWD', 'configs/baselines/cwd_logits_pspnet_r18w32_pspnet_r18w16_texseg.py',
     True),
    ('student, SSTKD',
     'configs/sstkd/sstkd_pspnet_r18w32_pspnet_r18w16_1xb8-1k_texseg-64x64.py', True),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--iters', type=int, default=1000, help='iterations of every run')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0],
                        help='seeds of the student runs (the teacher is trained once, seed 0)')
    parser.add_argument('--work-dir-root', default='work_dirs', help='parent of the work dirs')
    args = parser.parse_args()

    run_command([sys.executable, 'tools/generate_data.py', 'texseg'])
    teacher, teacher_ckpt = train_and_export(TEACHER, args.work_dir_root, args.iters)
    rows = [('teacher', [teacher])]
    for label, config, distils in RUNS:
        extra = [f'model.teacher_ckpt={teacher_ckpt}'] if distils else []
        rows.append((label, [
            train_and_validate(config, args.work_dir_root, args.iters, extra, seed,
                               f'_seed{seed}' if len(args.seeds) > 1 else '')
            for seed in args.seeds]))

    table = results_table(rows, [('mIoU', 'mIoU'), ('mAcc', 'mAcc'), ('aAcc', 'aAcc')])
    publish_table(f'Embedded texture segmentation, {args.iters} iterations each, '
                  f'{os.cpu_count()} CPU cores', table,
                  osp.join(args.work_dir_root, 'quickstart_table.md'))


if __name__ == '__main__':
    main()
