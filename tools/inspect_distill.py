"""Dry-run a distillation config on one training batch before a long job.

Builds the config's algorithm, runs one training forward pass and prints every recorder's
tensor shapes, every connector's output shape and every loss value. A recorder whose
``source`` names no module fails at build time with the closest module names.

Usage:
    python tools/inspect_distill.py CONFIG [--batch-size N] [--cfg-options k=v ...]
"""
import argparse
import sys

import mmfreqkd  # noqa: F401  isort: skip  (the compatibility layer before configs are read)
import torch
from mmengine.config import Config, DictAction
from mmengine.model import revert_sync_batchnorm
from mmengine.registry import MODELS, init_default_scope
from mmengine.runner import Runner

from mmfreqkd.models.algorithms.records import describe, recorded_shapes


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Dry-run a distillation config on one batch')
    parser.add_argument('config', help='distillation config file')
    parser.add_argument('--batch-size', type=int, default=2, help='images in the batch')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override settings of the config, key=value (see mmengine)')
    return parser.parse_args(argv)


def connector_outputs(distiller):
    """``[(loss name, input name, connector name, description)]`` for connector inputs."""
    rows = []
    for loss_name, mapping in distiller.loss_forward_mappings.items():
        for key, record in mapping.items():
            if record.get('connector'):
                rows.append((loss_name, key, record['connector'],
                             describe(distiller.get_record(**record))))
    return rows


def inspect(cfg: Config, batch_size: int, out=sys.stdout) -> dict:
    """Build, run one batch and print the report; returns the losses."""
    init_default_scope(cfg.get('default_scope', 'mmengine'))
    model = revert_sync_batchnorm(MODELS.build(cfg.model))
    if not hasattr(model, 'distiller'):
        raise TypeError(f'{type(model).__name__} is not a distillation algorithm (no distiller)')
    loader_cfg = cfg.train_dataloader.copy()
    loader_cfg.update(batch_size=batch_size, num_workers=0, persistent_workers=False)
    batch = next(iter(Runner.build_dataloader(loader_cfg)))
    model.train()
    data = model.data_preprocessor(batch, True)
    losses = model(**data, mode='loss')

    def section(title):
        print(f'\n== {title}', file=out)

    section(f'algorithm {type(model).__name__}, inputs {describe(data["inputs"])}')
    section('recorders')
    sources = {('student', k): r.source for k, r in model.distiller.student_recorders.recorders
               .items()}
    sources.update({('teacher', k): r.source
                    for k, r in model.distiller.teacher_recorders.recorders.items()})
    for (side, name), shapes in recorded_shapes(model.distiller).items():
        print(f'  {side:7s} {name:20s} {sources[(side, name)]:40s} {"; ".join(shapes)}',
              file=out)
    section('connectors')
    rows = connector_outputs(model.distiller)
    for loss_name, key, connector, shape in rows:
        print(f'  {connector:20s} -> {loss_name}.{key:10s} {shape}', file=out)
    if not rows:
        print('  (none)', file=out)
    section('losses')
    for name, value in losses.items():
        value = sum(v.sum() for v in value) if isinstance(value, (list, tuple)) else value
        print(f'  {name:40s} {float(torch.as_tensor(value).detach()):.6f}', file=out)
    return losses


def main(argv=None):
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    inspect(cfg, args.batch_size)


if __name__ == '__main__':
    main()
