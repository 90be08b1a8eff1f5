"""Train a model or a distillation algorithm from a config (single process or distributed).

Usage:
    python tools/train.py CONFIG [--work-dir DIR] [--resume [CKPT]] [--trust-checkpoint]
                                 [--amp] [--cfg-options k=v ...] [--launcher pytorch|slurm|mpi]

``--resume`` continues from the latest intact checkpoint in the work dir (and says so plainly
when there is none); ``--resume CKPT`` from a file, which unpickles fully only when a run of the
work dir saved it (its run record lists its hash) or with ``--trust-checkpoint``. A config
that names no ``runner_type`` runs on ``mmfreqkd.SafeRunner``: one run per work dir, atomic
checkpoints.

Distributed launchers pass ``--local-rank`` (torch >= 2) or ``--local_rank`` (older): both are
accepted. Without a GPU, distributed runs use the gloo backend.
"""
import argparse

from mmengine.config import Config

from mmfreqkd.checkpoint import trusted_checkpoints
from mmfreqkd.cli import (add_runner_args, build_runner, enable_amp, finish_distributed,
                          load_runner_config)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Train a model or distillation algorithm')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--amp', action='store_true',
                        help='enable automatic-mixed-precision training')
    parser.add_argument('--auto-scale-lr', action='store_true',
                        help='scale the learning rate with the total batch size')
    parser.add_argument(
        '--resume', nargs='?', type=str, const='auto',
        help='resume from CKPT, or from the latest checkpoint in the work_dir if no CKPT')
    parser.add_argument('--trust-checkpoint', action='store_true',
                        help='unpickle --resume/load_from files outside the work dir fully '
                        '(only for files you trust)')
    return add_runner_args(parser).parse_args(argv)


def build_config(args) -> Config:
    cfg = load_runner_config(args)
    if args.amp:
        enable_amp(cfg)
    if args.auto_scale_lr:
        if 'base_batch_size' not in cfg.get('auto_scale_lr', {}):
            raise RuntimeError('--auto-scale-lr needs `auto_scale_lr.base_batch_size` in the '
                               'config')
        cfg.auto_scale_lr.enable = True
    if args.resume == 'auto':
        cfg.resume, cfg.load_from = True, None
    elif args.resume is not None:
        cfg.resume, cfg.load_from = True, args.resume
    if args.trust_checkpoint:
        cfg.trust_load_from = True
    return cfg


def train(args) -> None:
    runner = build_runner(build_config(args))
    with trusted_checkpoints([], hint='pass --trust-checkpoint to tools/train.py'):
        runner.train()


def main(argv=None):
    train(parse_args(argv))
    finish_distributed()  # the runner is out of scope: freed before the process group


if __name__ == '__main__':
    main()
