"""Benchmark our methods against mmrazor's baselines and the undistilled student, side by side.

Usage:
    python tools/benchmark.py SUITE [--quick] [--seeds 0 1 2] [--iters N] [--jobs N] [--gpus N]
                                    [--work-dir-root work_dirs/benchmark] [--readme README.md]

SUITE: seg (texture segmentation: no KD, mmrazor CWD, SSTKD), det (dense small objects: no KD,
mmrazor PKD, CWD on FPN and MGD, DS2D2), rotated (oriented objects: no KD, mmrazor PKD, DS2D2),
spectral (DeepLabV3+ with full labels vs truncated decoder features and block-wise labels,
and the frequency cut-offs of its cross-entropy and labels) or all. ``--quick`` runs the
suites on the embedded data sets on a CPU. Without it, the full-size suites run the papers'
protocols on the real data sets (seg: PSPNet R101-d8 -> R18-d8 on Cityscapes, the teacher
tested on its published weights; det: RetinaNet R101 -> R18 on DIOR, the teacher trained
first), each config's own schedule, on ``--gpus N`` processes per run.

The teacher (if the suite has one) is trained first (and reused while its config and data are
unchanged), then every row once per seed; finished runs are reused and interrupted ones resume
from their last checkpoint, so the command can be repeated after a crash. The report
(``report.md``, ``results.json``, ``metric.png``, ``step_time.png``, ``metric_vs_time.png``)
is written to ``<work-dir-root>/<suite>/`` (``<suite>-full/`` for a full-size suite) and
printed; ``--readme FILE`` also puts its tables into FILE between the suite's markers
(``<!-- benchmark:SUITE -->`` ... ``<!-- /benchmark:SUITE -->``). ``--jobs N`` trains N student
runs at a time (on a 2-core CPU, 2 small runs on one thread each finish sooner than one after
the other).
"""
import argparse
import os.path as osp
import sys

from mmfreqkd.benchmark import FULL_SUITES, SUITES, run_suite, update_section


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('suite', choices=sorted(SUITES) + ['all'])
    parser.add_argument('--quick', action='store_true',
                        help='the embedded data sets on a CPU; without it, the full-size '
                        f'suites ({", ".join(sorted(FULL_SUITES))}) on the real data sets')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--iters', type=int, help="iterations of every run (the suite's "
                        'schedule by default)')
    parser.add_argument('--jobs', type=int, default=1,
                        help='student runs trained at the same time (default 1)')
    parser.add_argument('--gpus', type=int, default=1,
                        help='processes of every run, one per GPU (torch.distributed.run); '
                        'default 1')
    parser.add_argument('--work-dir-root', default='work_dirs/benchmark')
    parser.add_argument('--readme', metavar='FILE',
                        help="put each suite's tables into FILE between its markers")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    suites = SUITES if args.quick else FULL_SUITES
    names = sorted(suites) if args.suite == 'all' else [args.suite]
    if args.suite not in suites and args.suite != 'all':
        sys.exit(f'tools/benchmark.py: suite {args.suite!r} exists on the embedded data only '
                 f'(--quick); full-size suites: {", ".join(sorted(FULL_SUITES))}')
    for option in ('jobs', 'gpus'):
        if getattr(args, option) < 1:
            sys.exit(f'tools/benchmark.py: --{option} must be at least 1, got '
                     f'{getattr(args, option)}')
    for name in names:
        suite = suites[name]
        run_suite(suite, args.work_dir_root, args.seeds, args.iters,
                  progress=lambda line: print(line, flush=True), jobs=args.jobs,
                  gpus=args.gpus)
        out_dir = osp.join(args.work_dir_root, suite.name)
        with open(osp.join(out_dir, 'report.md')) as f:
            print('\n' + f.read(), flush=True)
        if args.readme:
            with open(osp.join(out_dir, 'summary.md')) as f:
                summary = f.read()
            command = ' '.join(['python tools/benchmark.py', name, *(['--quick'] * args.quick),
                                '--seeds', *map(str, args.seeds),
                                *(['--jobs', str(args.jobs)] * (args.jobs > 1))])
            update_section(args.readme, suite.name, f'`{command}`:\n\n{summary}')
            print(f'{args.readme}: tables of suite {suite.name} updated', flush=True)


if __name__ == '__main__':
    main()
