"""The cost of ``mmfreqkd.LossBalanceHook``: a distillation run with and without it, side by
side in one process.

Each case trains ``--iters`` iterations of a config (validated once at the end, the
teacher's weights random: they do not change the cost) with ``mmfreqkd.SafeRunner``; the two
cases alternate ``--repeats`` times so that drift in machine load hits both alike. Printed:
each case's median wall time of ``runner.train()`` and the ratio with / without.

Usage:
    python benchmarks/bench_loss_balance.py [--config CFG] [--iters 200] [--interval 50]
                                            [--repeats 3]
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
from mmfreqkd.paths import resolve_embedded_data

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEFAULT = 'configs/sstkd/sstkd_pspnet_r18w32_pspnet_r18w4_1xb8-1k_texseg-64x64.py'


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--config', default=DEFAULT, help='a distillation config')
    parser.add_argument('--iters', type=int, default=200, help='iterations per run')
    parser.add_argument('--interval', type=int, default=50, help="the hook's interval")
    parser.add_argument('--repeats', type=int, default=3, help='runs per case')
    return parser.parse_args(argv)


def run_time(config: str, iters: int, interval: int, work_dir: str) -> float:
    """Seconds of ``runner.train()`` of ``config`` for ``iters`` iterations; with the hook at
    ``interval`` when it is not 0."""
    cfg = Config.fromfile(osp.join(ROOT, config))
    cfg.merge_from_dict({
        'train_cfg.max_iters': iters, 'train_cfg.val_interval': iters + 1,
        'default_hooks.checkpoint.interval': iters + 1,
        'default_hooks.checkpoint.save_last': False, 'default_hooks.logger.interval': 50,
        'model.teacher_ckpt': None, 'model.allow_random_teacher': True, 'work_dir': work_dir,
        'log_level': 'WARNING'})
    if interval:
        cfg.custom_hooks = [*cfg.custom_hooks,
                            dict(type='mmfreqkd.LossBalanceHook', interval=interval)]
    resolve_embedded_data(cfg)
    runner = build_runner(cfg)
    start = time.perf_counter()
    runner.train()
    return time.perf_counter() - start


def main(argv=None):
    args = parse_args(argv)
    times = {'without': [], 'with': []}
    with tempfile.TemporaryDirectory() as tmp:
        for repeat in range(args.repeats):
            for case, interval in (('without', 0), ('with', args.interval)):
                seconds = run_time(args.config, args.iters, interval,
                                   osp.join(tmp, f'{case}{repeat}'))
                times[case].append(seconds)
                print(f'{case:8s} hook, run {repeat + 1}: {seconds:.2f} s', file=sys.stderr)
    without, with_hook = (statistics.median(times[c]) for c in ('without', 'with'))
    print(f'{args.config}: {args.iters} iterations, LossBalanceHook(interval={args.interval})')
    print(f'  without the hook  {without:8.2f} s (median of {args.repeats})')
    print(f'  with the hook     {with_hook:8.2f} s (median of {args.repeats})')
    print(f'  ratio             {with_hook / without:8.3f}')


if __name__ == '__main__':
    main()
