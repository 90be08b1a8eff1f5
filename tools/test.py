"""Evaluate a checkpoint with a config's test loop and metric.

Usage:
    python tools/test.py CONFIG CHECKPOINT [--work-dir DIR] [--cfg-options k=v ...]
                         [--trust-checkpoint] [--launcher pytorch|slurm|mpi]

A checkpoint that a run of the work dir saved (listed in its run record) loads as trusted; any
other file loads weights-only unless --trust-checkpoint is given. The checkpoint must fit the
model exactly (every parameter and buffer loaded, no foreign keys): scoring a partly random
model is refused.
"""
import argparse

from mmfreqkd.checkpoint import trusted_checkpoints
from mmfreqkd.cli import add_runner_args, build_runner, finish_distributed, load_runner_config


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Test a checkpoint')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--trust-checkpoint', action='store_true',
                        help='unpickle the checkpoint fully (only for files you trust)')
    return add_runner_args(parser).parse_args(argv)


def evaluate(args) -> dict:
    cfg = load_runner_config(args)
    cfg.load_from = args.checkpoint
    cfg.trust_load_from = args.trust_checkpoint or cfg.get('trust_load_from', False)
    cfg.strict_load_from = True
    runner = build_runner(cfg)
    with trusted_checkpoints([], hint='pass --trust-checkpoint to tools/test.py'):
        return runner.test()


def main(argv=None):
    metrics = evaluate(parse_args(argv))
    finish_distributed()  # the runner is out of scope: freed before the process group
    return metrics


if __name__ == '__main__':
    print(main())
