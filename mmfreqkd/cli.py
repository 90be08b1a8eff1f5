"""Command-line plumbing shared by tools/train.py, tools/test.py and friends."""
import argparse
import glob
import json
import logging
import os
import os.path as osp
import statistics
import subprocess
import sys
import time
from typing import List, Sequence, Tuple

from mmengine.config import Config, DictAction
from mmengine.logging import print_log

__all__ = [
    'add_runner_args', 'default_work_dir', 'load_runner_config', 'setup_cpu_distributed',
    'enable_amp', 'run_command', 'schedule_options', 'train_and_validate', 'mean_spread',
    'results_table', 'train_and_export', 'publish_table'
]

#: The repository (or installed package) root: tools/ and configs/ lie below it.
ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def default_work_dir(config: str, root: str = './work_dirs') -> str:
    """``<root>/<config name>``: where a run of ``config`` writes when nothing says otherwise."""
    return osp.join(root, osp.splitext(osp.basename(config))[0])


def add_runner_args(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add ``--work-dir``, ``--cfg-options``, ``--launcher`` and ``--local[-_]rank``."""
    parser.add_argument('--work-dir', help='the dir to save logs, models and results')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override settings of the config, key=value (see mmengine)')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'],
                        default='none', help='job launcher')
    # torch >= 2 launchers pass --local-rank, older ones --local_rank.
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    return parser


def load_runner_config(args: argparse.Namespace) -> Config:
    """Read ``args.config`` and apply the common arguments.

    The work dir is, by priority: ``--work-dir``, the config's ``work_dir``, or
    ``./work_dirs/<config name>``. Without a GPU, distributed runs go through
    :func:`setup_cpu_distributed`.
    """
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = default_work_dir(args.config)
    if args.launcher != 'none':
        import torch
        if not torch.cuda.is_available():
            setup_cpu_distributed(cfg)
    return cfg


def setup_cpu_distributed(cfg: Config) -> None:
    """Distributed training without GPUs: gloo process group and CPU-side DDP.

    mmengine's ``init_dist`` calls ``torch.cuda.set_device`` for every launcher and wraps the
    model with ``device_ids=[LOCAL_RANK]``; both fail on CPU. The process group is therefore
    initialised here (mmengine then skips its own), and DDP wrappers get ``device_ids=None``.
    Only the ``pytorch`` launcher (torchrun) is supported on CPU.
    """
    import torch.distributed as dist
    from mmengine.registry import MODEL_WRAPPERS
    from torch.nn.parallel import DistributedDataParallel

    if cfg.launcher != 'pytorch':
        raise ValueError(f'--launcher {cfg.launcher} needs GPUs; on CPUs use --launcher pytorch '
                         '(tools/dist_train.sh)')
    cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})['backend'] = 'gloo'
    if not dist.is_initialized():
        dist.init_process_group(backend='gloo')
    wrapper = cfg.get('model_wrapper_cfg') or dict(
        type='MMDistributedDataParallel', broadcast_buffers=False,
        find_unused_parameters=cfg.get('find_unused_parameters', False))
    if issubclass(MODEL_WRAPPERS.get(wrapper['type']), DistributedDataParallel):
        wrapper['device_ids'] = None
    cfg.model_wrapper_cfg = wrapper


def enable_amp(cfg: Config) -> None:
    """Switch every plain ``OptimWrapper`` of the config to ``AmpOptimWrapper``."""
    # the wrapper itself, or (OptimWrapperDict constructors) a default and one per sub-model
    top = cfg.optim_wrapper
    wrappers = [top] if 'optimizer' in top or not top.get('constructor') else []
    wrappers += [w for w in top.values() if isinstance(w, dict) and 'optimizer' in w]
    for wrapper in wrappers:
        wtype = wrapper.get('type', 'OptimWrapper')
        if wtype == 'AmpOptimWrapper':
            print_log('AMP training is already enabled in your config.', logger='current',
                      level=logging.WARNING)
        elif wtype == 'OptimWrapper':
            wrapper.type = 'AmpOptimWrapper'
            wrapper.loss_scale = 'dynamic'
        else:
            raise ValueError(f'--amp supports optim_wrapper type OptimWrapper, got {wtype!r}')


def run_command(cmd: Sequence[str]) -> None:
    """Echo and run ``cmd`` from the repository root; raise if it fails."""
    print('$', ' '.join(cmd), flush=True)
    subprocess.run(list(cmd), cwd=ROOT, check=True)


def schedule_options(config: str, iters: int) -> List[str]:
    """``--cfg-options`` that fit the config's parameter schedulers to ``iters`` iterations:
    a scheduler spanning the whole schedule (``end`` = ``train_cfg.max_iters``) ends at
    ``iters``, milestones scale with it, and a warm-up (ending earlier) is left as it is.
    Handles one list, or one list per optimizer of an ``OptimWrapperDict``."""
    cfg = Config.fromfile(osp.join(ROOT, config))
    schedulers, total = cfg.param_scheduler, cfg.train_cfg.max_iters
    groups = schedulers.items() if isinstance(schedulers, dict) and 'type' not in schedulers \
        else [(None, schedulers)]
    options = []
    for name, group in groups:
        for i, scheduler in enumerate(group):
            key = f'param_scheduler.{i}' if name is None else f'param_scheduler.{name}.{i}'
            if scheduler.get('end') == total:
                options.append(f'{key}.end={iters}')
            if 'milestones' in scheduler:
                scaled = [round(m * iters / total) for m in scheduler.milestones]
                options.append(f'{key}.milestones=[{",".join(map(str, scaled))}]')
    return options


def train_and_validate(config: str, root: str, iters: int, extra: Sequence[str] = (),
                       seed: int = 0, suffix: str = '', metric: str = 'mIoU',
                       skip_finished: bool = False) -> Tuple[dict, float, float]:
    """Train ``config`` with ``tools/train.py`` for ``iters`` iterations (validated at the end)
    in ``<root>/<config name><suffix>``; return (the last validation record holding
    ``metric``, median step time in s, wall time in s; the wall time is 0 for a run skipped
    because ``skip_finished`` and its last checkpoint and validation are there already)."""
    wdir = default_work_dir(config, root) + suffix
    opts = [f'train_cfg.max_iters={iters}', f'train_cfg.val_interval={iters}',
            f'default_hooks.checkpoint.interval={iters}', f'randomness.seed={seed}',
            *schedule_options(config, iters), *extra]
    start = time.perf_counter()
    finished = skip_finished and osp.exists(osp.join(wdir, f'iter_{iters}.pth')) and any(
        metric in line for path in glob.glob(osp.join(wdir, '*', 'vis_data', 'scalars.json'))
        for line in open(path))
    if not finished:
        run_command([sys.executable, 'tools/train.py', config, '--work-dir', wdir,
                     '--cfg-options', *opts])
    wall = time.perf_counter() - start
    scalars = sorted(glob.glob(osp.join(wdir, '*', 'vis_data', 'scalars.json')))[-1]
    with open(scalars) as f:
        records = [json.loads(line) for line in f]
    steps = [r['time'] for r in records if 'loss' in r and 'time' in r]
    val = [r for r in records if metric in r][-1]
    return val, statistics.median(steps), wall


def train_and_export(config: str, root: str, iters: int, extra: Sequence[str] = (),
                     metric: str = 'mIoU', skip_finished: bool = False) -> Tuple[tuple, str]:
    """Train ``config`` once (:func:`train_and_validate`, seed 0) and export its last
    checkpoint as plain weights (``tools/export_student.py``, loadable with
    ``weights_only=True``); return (the run's results, the exported checkpoint's path)."""
    results = train_and_validate(config, root, iters, extra, metric=metric,
                                 skip_finished=skip_finished)
    work_dir = default_work_dir(config, root)
    exported = osp.join(work_dir, 'exported.pth')
    run_command([sys.executable, 'tools/export_student.py', config,  # the checkpoint just written
                 osp.join(work_dir, f'iter_{iters}.pth'), exported, '--trust-checkpoint'])
    return results, exported


def mean_spread(values: Sequence[float]) -> str:
    """``mean`` for one value, ``mean ± std`` (sample standard deviation) for several."""
    if len(values) == 1:
        return f'{values[0]:.2f}'
    return f'{statistics.mean(values):.2f} ± {statistics.stdev(values):.2f}'


def results_table(rows: Sequence[Tuple[str, Sequence[tuple]]],
                  metrics: Sequence[tuple]) -> str:
    """A markdown table of :func:`train_and_validate` results: one row per run label (its
    results over seeds), the ``metrics`` as (column title, record key[, scale]) with mean ±
    spread of ``scale * value`` (e.g. 100 for COCO's fractions), then the median step time,
    its ratio to the second row (the undistilled student) and the mean wall time."""
    baseline = statistics.median(step for _, step, _ in rows[1][1])
    titles = ' | '.join(metric[0] for metric in metrics)
    lines = [f'| run | {titles} | step time (s) | step vs no-KD | wall (s) | seeds |',
             '|---' * (len(metrics) + 5) + '|']
    for label, results in rows:
        step = statistics.median(r[1] for r in results)
        wall = statistics.mean(r[2] for r in results)
        cells = ' | '.join(
            mean_spread([r[0][metric[1]] * (metric[2] if len(metric) > 2 else 1)
                         for r in results]) for metric in metrics)
        lines.append(f'| {label} | {cells} | {step:.3f} | {step / baseline:.2f}x | '
                     f'{wall:.0f} | {len(results)} |')
    return '\n'.join(lines)


def publish_table(title: str, table: str, path: str) -> None:
    """Print ``title`` and the markdown ``table``, and write the table to ``path``."""
    print(f'\n{title}:\n{table}')
    os.makedirs(osp.dirname(path) or '.', exist_ok=True)
    with open(path, 'w') as f:
        f.write(table + '\n')
