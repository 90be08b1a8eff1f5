"""DS2D2 on the embedded dense small-object set: no-KD vs mmrazor PKD vs DS2D2, on a CPU.

1. generate the embedded set (data/mmfreqkd/densedet);
2. train the teacher (RetinaNet R18 width 32) and export its weights;
3. the amplifier stage: the teacher's head trained on high-frequency FPN maps, backbone and
   FPN frozen (configs/ds2d2/amplifier_*; its mmfreqkd neck has no stock export, so DS2D2
   loads this run's own checkpoint, trusted);
4. the student (width 16) without distillation, with PKD and with DS2D2, once per seed;
5. a table of COCO mAP / AP50 in % (mean ± spread over the seeds) and step time, written to
   ``<work-dir-root>/ds2d2_table.md``.

Every run is ``tools/train.py`` on a config in configs/, so each row can be reproduced alone.

Usage:
    python tools/analysis/ds2d2_experiments.py [--iters 1000] [--seeds 0 1 2]
        [--work-dir-root work_dirs] [--skip-finished]
"""
import argparse
import os
import os.path as osp
import sys

from mmfreqkd.cli import (default_work_dir, publish_table, results_table, run_command,
                          train_and_export, train_and_validate)

TEACHER = 'configs/embedded/retinanet_r18w32_fpn_1xb4-1k_densedet-128x128.py'
AMPLIFIER = 'configs/ds2d2/amplifier_retinanet_r18w32_fpn_1xb4-1k_densedet-128x128.py'
METRIC = 'coco/bbox_mAP'
RUNS = [  # (row label, config, its distillation options given the teacher and amplifier)
    ('student, no KD', 'configs/embedded/retinanet_r18w16_fpn_1xb4-1k_densedet-128x128.py',
     lambda teacher, amplifier: []),
    ('student, mmrazor PKD', 'configs/baselines/pkd_fpn_retinanet_r18w32_retinanet_r18w16_'
     'densedet.py', lambda teacher, amplifier: [f'model.teacher_ckpt={teacher}']),
    ('student, DS2D2', 'configs/ds2d2/ds2d2_retinanet_r18w32_retinanet_r18w16_1xb4-1k_'
     'densedet-128x128.py', lambda teacher, amplifier: [
         f'model.teacher_ckpt={teacher}', f'model.high_amplifier.checkpoint={amplifier}',
         'model.trust_checkpoints=True']),  # the amplifier checkpoint this script wrote
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--iters', type=int, default=1000, help='iterations of every run')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--work-dir-root', default='work_dirs', help='parent of the work dirs')
    parser.add_argument('--skip-finished', action='store_true',
                        help='reuse runs whose last checkpoint and validation exist')
    args = parser.parse_args()

    run_command([sys.executable, 'tools/generate_data.py', 'densedet'])
    skip = dict(metric=METRIC, skip_finished=args.skip_finished)
    teacher, teacher_ckpt = train_and_export(TEACHER, args.work_dir_root, args.iters, **skip)
    train_and_validate(AMPLIFIER, args.work_dir_root, args.iters, [f'load_from={teacher_ckpt}'],
                       **skip)
    amplifier_ckpt = osp.join(default_work_dir(AMPLIFIER, args.work_dir_root),
                              f'iter_{args.iters}.pth')
    rows = [('teacher', [teacher])]
    for label, config, options in RUNS:
        rows.append((label, [
            train_and_validate(config, args.work_dir_root, args.iters,
                               options(teacher_ckpt, amplifier_ckpt), seed, f'_seed{seed}',
                               **skip) for seed in args.seeds]))
    table = results_table(rows, [('mAP', METRIC, 100), ('AP50', 'coco/bbox_mAP_50', 100)])
    publish_table(f'Embedded dense small-object detection, {args.iters} iterations each, '
                  f'{os.cpu_count()} CPU cores', table,
                  osp.join(args.work_dir_root, 'ds2d2_table.md'))


if __name__ == '__main__':
    main()
