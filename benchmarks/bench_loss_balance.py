"""The cost of the loss-balance diagnostic and of loss calibration: a distillation run
without either, with ``mmfreqkd.LossBalanceHook`` and with ``model.calibration``, side by side
in one process.

Each case trains ``--iters`` iterations of a config (validated once at the end, the
teacher's weights random: they do not change the cost) with ``mmfreqkd.SafeRunner``; the
cases alternate ``--repeats`` times so that drift in machine load hits all alike. Printed:
each case's median wall time of ``runner.train()``, the hook's ratio to the plain run, and the
calibration's time (a fixed cost before the first iteration, also timed alone, in-process) as
a fraction of a plain run of ``--run-iters`` iterations (the quick suites' 1000).

Usage:
    python benchmarks/bench_loss_balance.py [--config CFG] [--iters 200] [--interval 50]
                                            [--repeats 3] [--run-iters 1000]
"""
import argparse
import os.path as osp
import statistics
import sys
import tempfile
import time

import mmfreqkd  # noqa: F401  isort: skip  (the compatibility layer before configs are read)
from mmengine.config import Config

from mmfreqkd.cli import build_runner
from mmfreqkd.engine.loss_calibration import calibrate
from mmfreqkd.engine.loss_calibration_hook import calibration_loader
from mmfreqkd.paths import resolve_embedded_data

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEFAULT = 'configs/sstkd/sstkd_pspnet_r18w32_pspnet_r18w4_1xb8-1k_texseg-64x64.py'


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--config', default=DEFAULT, help='a distillation config')
    parser.add_argument('--iters', type=int, default=200, help='iterations per run')
    parser.add_argument('--interval', type=int, default=50, help="the hook's interval")
    parser.add_argument('--repeats', type=int, default=3, help='runs per case')
    parser.add_argument('--run-iters', type=int, default=1000,
                        help="the run length the calibration's cost is compared with")
    return parser.parse_args(argv)


def run_time(config: str, iters: int, interval: int, calibrate: bool, work_dir: str) -> float:
    """Seconds of ``runner.train()`` of ``config`` for ``iters`` iterations; with the hook at
    ``interval`` when it is not 0 (without it otherwise), with the terms calibrated to a
    gradient share of 1 when ``calibrate``."""
    cfg = Config.fromfile(osp.join(ROOT, config))
    cfg.merge_from_dict({
        'train_cfg.max_iters': iters, 'train_cfg.val_interval': iters + 1,
        'default_hooks.checkpoint.interval': iters + 1,
        'default_hooks.checkpoint.save_last': False, 'default_hooks.logger.interval': 50,
        'model.teacher_ckpt': None, 'model.allow_random_teacher': True, 'work_dir': work_dir,
        'log_level': 'WARNING'})
    # listed, the hook is not added again by SafeRunner; beyond the run it never measures
    cfg.custom_hooks = [*cfg.custom_hooks,
                        dict(type='mmfreqkd.LossBalanceHook', interval=interval or iters + 1)]
    if calibrate:
        cfg.model.calibration = dict(target=1.0)
    resolve_embedded_data(cfg)
    runner = build_runner(cfg)
    start = time.perf_counter()
    runner.train()
    return time.perf_counter() - start


def calibration_time(config: str, work_dir: str) -> float:
    """Seconds of the calibration alone (:func:`mmfreqkd.engine.loss_calibration.calibrate`
    on the run's first 4 batches, as LossCalibrationHook does before the first iteration)."""
    cfg = Config.fromfile(osp.join(ROOT, config))
    cfg.merge_from_dict({'model.teacher_ckpt': None, 'model.allow_random_teacher': True,
                         'model.calibration': dict(target=1.0), 'work_dir': work_dir,
                         'log_level': 'WARNING'})
    resolve_embedded_data(cfg)
    runner = build_runner(cfg)
    loader = calibration_loader(cfg, seed=0)
    start = time.perf_counter()
    calibrate(runner.model, loader)
    return time.perf_counter() - start


def main(argv=None):
    args = parse_args(argv)
    cases = {'plain': (0, False), 'hook': (args.interval, False), 'calibrated': (0, True)}
    times = {case: [] for case in cases}
    with tempfile.TemporaryDirectory() as tmp:
        for repeat in range(args.repeats):
            for case, (interval, calibrated) in cases.items():
                seconds = run_time(args.config, args.iters, interval, calibrated,
                                   osp.join(tmp, f'{case}{repeat}'))
                times[case].append(seconds)
                print(f'{case:10s} run {repeat + 1}: {seconds:.2f} s', file=sys.stderr)
        alone = statistics.median(calibration_time(args.config, osp.join(tmp, f'cal{i}'))
                                  for i in range(args.repeats))
    plain, hook, calibrated = (statistics.median(times[c]) for c in cases)
    run = plain * args.run_iters / args.iters
    print(f'{args.config}: {args.iters} iterations (median of {args.repeats} runs each)')
    print(f'  plain                                  {plain:8.2f} s')
    print(f'  LossBalanceHook(interval={args.interval:<3d})           {hook:8.2f} s   '
          f'ratio {hook / plain:.3f}')
    print(f'  calibrated (target 1, 4 batches)       {calibrated:8.2f} s   '
          f'difference {calibrated - plain:+.2f} s')
    print(f'  the calibration alone                  {alone:8.2f} s   '
          f'{alone / run:.2%} of a {args.run_iters}-iteration plain run ({run:.1f} s)')


if __name__ == '__main__':
    main()
