"""Command-line plumbing shared by tools/train.py, tools/test.py and friends (the experiment
harness lives in :mod:`mmfreqkd.benchmark`)."""
import argparse
import gc
import logging
import os

from mmengine.config import Config, DictAction
from mmengine.logging import print_log

from .paths import default_work_dir, resolve_embedded_data

__all__ = [
    'add_runner_args', 'load_runner_config', 'build_runner', 'setup_cpu_distributed',
    'enable_amp', 'finish_distributed'
]


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
    ``./work_dirs/<config name>``. Embedded-set paths resolve wherever the tool runs
    (:func:`~mmfreqkd.paths.resolve_embedded_data`). Without a GPU, distributed runs go through
    :func:`setup_cpu_distributed`.
    """
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    resolve_embedded_data(cfg)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = default_work_dir(args.config)
    if args.launcher != 'none':
        import torch
        if not torch.cuda.is_available():
            setup_cpu_distributed(cfg)
    return cfg


def build_runner(cfg: Config):
    """The config's runner: ``runner_type`` when it names one (as OpenMMLab's train tools
    build it), else :class:`~mmfreqkd.engine.SafeRunner`."""
    from mmengine.registry import RUNNERS

    from .engine import SafeRunner
    if 'runner_type' in cfg:
        return RUNNERS.build(cfg)
    return SafeRunner.from_cfg(cfg)


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


def finish_distributed() -> None:
    """End a run while the interpreter is fully alive: collect the reference cycles that
    keep a finished runner (and with it the DDP wrapper, whose reducer holds the backend's
    work objects and their tensors), then, in a distributed run, wait for every rank and
    destroy the process group. Left to interpreter exit, as mmengine leaves it, freeing those
    objects can abort a rank ("terminate called without an active exception", SIGABRT; see
    pytorch/pytorch#179291) after a run that otherwise finished. Callers drop their own
    references to the runner first."""
    import torch.distributed as dist
    gc.collect()
    if dist.is_available() and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()
