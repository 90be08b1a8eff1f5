"""Benchmark our methods against mmrazor's baselines and the undistilled student, side by side.

Usage:
    python tools/benchmark.py SUITE [--quick] [--seeds 0 1 2] [--iters N] [--jobs N] [--gpus N]
                                    [--ablations] [--calibrate [SHARE] | --tune [SHARE ...]]
                                    [--work-dir-root work_dirs/benchmark]
                                    [--tables docs/benchmarks.md] [--summary README.md]
                                    [--scores README.md] [--check README.md]
                                    [--publish-only]

SUITE: seg (texture segmentation: no KD, mmrazor CWD, SSTKD), det (dense small objects: no KD,
mmrazor PKD, CWD on FPN and MGD, DS2D2), rotated (oriented objects: no KD, mmrazor PKD, DS2D2),
cls (MobileViT -> ResNet: no KD, mmrazor KD, DKD and FitNets, feature MSE, SFKD), restore
(deraining: no KD, output KD, mmrazor feature MSE, SLKD), spectral (DeepLabV3+ with full labels vs
truncated decoder features and block-wise labels, and the frequency cut-offs of its
cross-entropy and labels) or all. ``--quick`` runs the
suites on the embedded data sets on a CPU. Without it, the full-size suites run the papers'
protocols on the real data sets (seg: PSPNet R101-d8 -> R18-d8 on Cityscapes, the teacher
tested on its published weights; det: RetinaNet R101 -> R18 on DIOR, the teacher trained
first), each config's own schedule, on ``--gpus N`` processes per run.

The teacher (if the suite has one) is trained first (and reused while its config and data are
unchanged), then every row once per seed; finished runs are reused and interrupted ones resume
from their last checkpoint, so the command can be repeated after a crash. The report
(``report.md``, ``results.json``, ``metric.png``, ``step_time.png``, ``metric_vs_time.png``)
is written to ``<work-dir-root>/<suite>/`` (``<suite>-full/`` for a full-size suite) and
printed; ``--tables FILE`` also puts its tables into FILE between the suite's markers
(``<!-- benchmark:SUITE -->`` ... ``<!-- /benchmark:SUITE -->``) and ``--summary FILE`` its
line(s) into the summary table between ``<!-- benchmark:summary -->`` and its closing marker.
``--scores FILE`` puts its scores alone (without step times and memory, which vary from run to
run) into FILE between ``<!-- benchmark:SUITE-scores -->`` and its closing marker, and
``--check FILE`` fails unless this run's scores equal those, to the last digit (the quick
start checks the README's this way). ``--jobs N`` trains N student runs at a time (on a
2-core CPU, 2 small runs on one thread each finish sooner than one after the other).
``--ablations`` also trains the suites' ablation rows (our methods with a part removed or
replaced). ``--calibrate [SHARE]`` also trains every
baseline and method row with each distillation term calibrated to the gradient share SHARE
(default 1: each term pulls the student as strongly as the task loss; docs/usage.md), as a second
row beside the row at its configured weights. ``--tune [SHARE ...]`` gives every baseline and
method row the same grid instead: at the first seed, as configured and calibrated to each share
(default 0.1 0.3 1 3 10), chosen on the val split; the chosen setting is then trained at every
seed and reported on the test split, with each row's grid in the report (``tuning.png``); the
ablation rows of a method train at the setting chosen for it.
``--publish-only`` trains nothing and publishes
each suite's last report; it refuses one made by other code or from other data (every report
states the commit, the hashes of the code and data it was made from and the stack's versions).
"""
import argparse
import json
import os.path as osp
import sys

from mmfreqkd.benchmark import (FULL_SUITES, SUITES, report_dir, run_suite, stale_report,
                                summary_lines, update_section, update_summary)
from mmfreqkd.benchmark.publish import section_text
from mmfreqkd.benchmark.report import provenance_line

#: ``--tune``'s default grid of gradient shares (besides each row as configured).
TUNE_GRID = (0.1, 0.3, 1.0, 3.0, 10.0)
#: ``--convergence``'s default schedule factors (besides the suite's own schedule).
CONVERGENCE_FACTORS = (0.5, 2.0)


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
    parser.add_argument('--ablations', action='store_true',
                        help="also train the suites' ablation rows")
    parser.add_argument('--calibrate', type=float, nargs='?', const=1.0, metavar='SHARE',
                        help='also train every distillation row with its terms calibrated to '
                        'this gradient share (default 1)')
    parser.add_argument('--tune', type=float, nargs='*', metavar='SHARE',
                        help='give every distillation row the same grid at the first seed: as '
                        'configured and calibrated to each SHARE (default: '
                        f'{" ".join(map(str, TUNE_GRID))}); train the best on val at every seed')
    parser.add_argument('--convergence', type=float, nargs='*', metavar='FACTOR',
                        help="also train the no-KD student at the first seed for FACTOR times "
                        "the suite's schedule (default: "
                        f'{" ".join(map(str, CONVERGENCE_FACTORS))}) and say whether the '
                        'schedule has plateaued (--quick only)')
    parser.add_argument('--work-dir-root', default='work_dirs/benchmark')
    parser.add_argument('--tables', metavar='FILE',
                        help="put each suite's tables into FILE between its markers")
    parser.add_argument('--summary', metavar='FILE',
                        help="put each suite's line(s) into FILE's summary table")
    parser.add_argument('--scores', metavar='FILE',
                        help="put each suite's scores (no times) into FILE between the markers "
                        '<!-- benchmark:SUITE-scores -->')
    parser.add_argument('--check', metavar='FILE',
                        help="fail unless each suite's scores equal those published in FILE "
                        '(by --scores) to the last digit')
    parser.add_argument('--publish-only', action='store_true',
                        help="train nothing: print and publish each suite's last report "
                        '(written by a run with the same options)')
    return parser.parse_args(argv)


def _scores_section(suite: str) -> str:
    return f'{suite}-scores'


def publish_scores(path: str, suite: str, out_dir: str, command: str) -> None:
    """Put the suite's scores (``scores.md``: no times, which vary) into ``path`` between the
    markers of section ``<suite>-scores``, after the command that made them and followed by
    what they were made from."""
    with open(osp.join(out_dir, 'scores.md')) as f:
        scores = f.read().rstrip()
    with open(osp.join(out_dir, 'results.json')) as f:
        made_from = provenance_line(json.load(f)['provenance'])
    update_section(path, _scores_section(suite), f'`{command}`:\n\n{scores}\n\n{made_from}')
    print(f'{path}: scores of suite {suite} updated', flush=True)


def check_scores(path: str, suite: str, out_dir: str) -> None:
    """Exit non-zero, printing both, unless the suite's scores equal, to the last digit,
    those published in ``path`` (:func:`publish_scores`); say so when they do."""
    lines = section_text(path, _scores_section(suite)).strip().splitlines()
    published = [line for line in lines[1:]  # after the command, without the provenance
                 if not line.startswith('Made from')]
    with open(osp.join(out_dir, 'scores.md')) as f:
        ours = f.read().strip().splitlines()
    if '\n'.join(published).strip() != '\n'.join(ours).strip():
        with open(osp.join(out_dir, 'results.json')) as f:
            made_from = provenance_line(json.load(f)['provenance'])
        sys.exit(f'tools/benchmark.py: the scores of suite {suite!r} differ from those in '
                 f'{path}:\n\npublished:\n' + '\n'.join(published) + '\n\nthis run:\n'
                 + '\n'.join(ours) + '\n\nOther versions of torch, numpy or the mm* '
                 'codebases, or another CPU, change the last digits. Published: '
                 + ' '.join(line for line in lines if line.startswith('Made from'))
                 + f'\nThis run: {made_from}')
    print(f'{path}: the scores of suite {suite} are reproduced exactly', flush=True)


def command_line(suite: str, args: argparse.Namespace) -> str:
    """The command that runs ``suite`` as ``args`` ask, as published over its tables."""
    return ' '.join(['python tools/benchmark.py', suite, *(['--quick'] * args.quick),
                     '--seeds', *map(str, args.seeds),
                     *(['--iters', str(args.iters)] if args.iters else []),
                     *(['--jobs', str(args.jobs)] * (args.jobs > 1)),
                     *(['--ablations'] * args.ablations),
                     *(['--calibrate', f'{args.calibrate:g}']
                       if args.calibrate is not None else []),
                     *(['--tune', *(f'{t:g}' for t in args.tune)] if args.tune else []),
                     *(['--convergence', *(f'{f:g}' for f in args.convergence)]
                       if args.convergence else [])])


def main(argv=None):
    args = parse_args(argv)
    suites = SUITES if args.quick else FULL_SUITES
    names = sorted(suites) if args.suite == 'all' else [args.suite]
    if args.suite not in suites and args.suite != 'all':
        sys.exit(f'tools/benchmark.py: suite {args.suite!r} exists on the embedded data only '
                 f'(--quick); full-size suites: {", ".join(sorted(FULL_SUITES))}')
    if args.calibrate is not None and not args.calibrate > 0:
        sys.exit(f'tools/benchmark.py: --calibrate must be > 0, got {args.calibrate}')
    if args.tune is not None:
        args.tune = args.tune or list(TUNE_GRID)
        if args.calibrate is not None:
            sys.exit('tools/benchmark.py: --tune already trains every distillation row '
                     'calibrated to each share of its grid; drop --calibrate')
        if not all(share > 0 for share in args.tune):
            sys.exit(f'tools/benchmark.py: --tune shares must be > 0, got {args.tune}')
    if args.convergence is not None:
        args.convergence = args.convergence or list(CONVERGENCE_FACTORS)
        if not args.quick:
            sys.exit("tools/benchmark.py: --convergence scales a suite's schedule of "
                     "iterations; the full-size suites run their configs' own schedules "
                     '(use it with --quick)')
        if not all(factor > 0 for factor in args.convergence):
            sys.exit(f'tools/benchmark.py: --convergence factors must be > 0, got '
                     f'{args.convergence}')
    for option in ('jobs', 'gpus'):
        if getattr(args, option) < 1:
            sys.exit(f'tools/benchmark.py: --{option} must be at least 1, got '
                     f'{getattr(args, option)}')
    for name in names:
        suite = suites[name]
        out_dir = osp.join(args.work_dir_root, suite.name)
        if not args.publish_only:
            command = command_line(name, args)
            results = run_suite(suite, args.work_dir_root, args.seeds, args.iters,
                                progress=lambda line: print(line, flush=True), jobs=args.jobs,
                                gpus=args.gpus, ablations=args.ablations,
                                calibrate=args.calibrate, tune=args.tune or (),
                                converge=args.convergence or (), command=command)
            if results['failed']:
                failed = report_dir(args.work_dir_root, suite.name, True)
                with open(osp.join(failed, 'report.md')) as f:
                    print('\n' + f.read(), flush=True)
                sys.exit(f'tools/benchmark.py: suite {suite.name!r}: runs stopped (listed above; '
                         f'report in {failed}/). Nothing was published, and the last complete '
                         f'report in {out_dir}/ is kept; rerun to repeat the stopped runs.')
        elif not osp.exists(osp.join(out_dir, 'results.json')):
            sys.exit(f'tools/benchmark.py: --publish-only: suite {suite.name!r} has no report '
                     f'in {out_dir}/ yet; run it first')
        else:
            with open(osp.join(out_dir, 'results.json')) as f:
                results = json.load(f)
            stale = stale_report(suite, results)
            if stale:
                sys.exit(f'tools/benchmark.py: --publish-only: the report in {out_dir}/ is not '
                         f'what the current code writes: {stale}. Run the suite again (its '
                         'runs whose training code, config and data are unchanged are reused).')
            command = results.get('command')  # the command that made the report
            if not command:
                sys.exit(f'tools/benchmark.py: --publish-only: the report in {out_dir}/ does '
                         'not record the command that made it; run the suite again (its '
                         'finished runs are reused).')
        with open(osp.join(out_dir, 'report.md')) as f:
            print('\n' + f.read(), flush=True)
        if args.check:
            check_scores(args.check, suite.name, out_dir)
        if args.scores:
            publish_scores(args.scores, suite.name, out_dir, command)
        if args.tables:
            with open(osp.join(out_dir, 'summary.md')) as f:
                summary = f.read()
            update_section(args.tables, suite.name, f'`{command}`:\n\n{summary}')
            print(f'{args.tables}: tables of suite {suite.name} updated', flush=True)
        if args.summary:
            with open(osp.join(out_dir, 'results.json')) as f:
                results = json.load(f)
            update_summary(args.summary, suite.name, summary_lines(suite.name, results),
                           order=[s.name for s in suites.values()],
                           made_from=provenance_line(results['provenance']))
            print(f'{args.summary}: summary of suite {suite.name} updated', flush=True)


if __name__ == '__main__':
    main()
