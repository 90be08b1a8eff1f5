"""Train a model or a distillation algorithm from a config (single process or distributed).

Usage:
    python tools/train.py CONFIG [--work-dir DIR] [--resume [CKPT]] [--amp]
                                 [--cfg-options k=v ...] [--launcher pytorch|slurm|mpi]

Distributed launchers pass ``--local-rank`` (torch >= 2) or ``--local_rank`` (older): both are
accepted. Without a GPU, distributed runs use the gloo backend.
"""
import argparse

from mmengine.config import Config
from mmengine.runner import Runner

from mmfreqkd.cli import add_runner_args, enable_amp, load_runner_config


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
    return cfg


def main(argv=None):
    args = parse_args(argv)
    runner = Runner.from_cfg(build_config(args))
    runner.train()


if __name__ == '__main__':
    main()
