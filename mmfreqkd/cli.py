"""Command-line plumbing shared by tools/train.py, tools/test.py and friends."""
import argparse
import os
import os.path as osp

from mmengine.config import Config, DictAction

__all__ = ['add_runner_args', 'load_runner_config']


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
    ``./work_dirs/<config name>``. Without a GPU, distributed runs use the gloo backend.
    """
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs', osp.splitext(osp.basename(args.config))[0])
    if args.launcher != 'none':
        import torch
        if not torch.cuda.is_available():
            cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})['backend'] = 'gloo'
    return cfg
