"""Dry-run a distillation config on one training batch before a long job.

Builds the config's algorithm, runs one training forward pass and prints every recorder's
tensor shapes, every connector's output shape and every loss value. A recorder whose
``source`` names no module fails at build time with the closest module names.

``--gradients`` adds each loss term's gradient on the student next to the task loss's
(:mod:`mmfreqkd.engine.loss_balance`): its norm, its ratio to the task gradient's norm, their
cosine and the norm per parameter group, averaged over ``--batches`` batches, with a warning
for a term that is "off" (below 1 % of the task gradient) or "dominates" (above 10x). With
``--cfg-options model.calibration.target=SHARE`` the terms are calibrated first
(:mod:`mmfreqkd.engine.loss_calibration`, on the batches that follow) and the multipliers
printed, so the table shows the shares a calibrated run starts with.

Usage:
    python tools/inspect_distill.py CONFIG [--batch-size N] [--gradients [--batches N]]
                                    [--cfg-options k=v ...]
"""
import argparse
import statistics
import sys

import mmfreqkd  # noqa: F401  isort: skip  (the compatibility layer before configs are read)
import torch
from mmengine.config import Config, DictAction
from mmengine.model import revert_sync_batchnorm
from mmengine.registry import MODELS, init_default_scope
from mmengine.runner import Runner, set_random_seed

from mmfreqkd.engine.loss_balance import (DOMINATES, OFF, student_parameters, term_shares,
                                          training_losses, verdict)
from mmfreqkd.engine.loss_calibration import calibrate
from mmfreqkd.models.algorithms.records import describe, recorded_shapes


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Dry-run a distillation config on one batch')
    parser.add_argument('config', help='distillation config file')
    parser.add_argument('--batch-size', type=int, default=2, help='images in the batch')
    parser.add_argument('--gradients', action='store_true',
                        help="each loss term's gradient on the student, next to the task's")
    parser.add_argument('--batches', type=int, default=1,
                        help='training batches the gradient shares are averaged over')
    parser.add_argument('--seed', type=int, default=0,
                        help='seed of the models, the data order and the augmentations, so '
                        'that a report can be reproduced (default 0)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override settings of the config, key=value (see mmengine)')
    return parser.parse_args(argv)


def connector_outputs(distiller):
    """``[(loss name, input name, connector name, description)]`` for connector inputs."""
    rows = []
    for loss_name, mapping in distiller.loss_forward_mappings.items():
        for key, record in mapping.items():
            connector = record.get('connector')
            if connector:  # a name, or a chain of names (FreqKDDistiller)
                name = connector if isinstance(connector, str) else ' > '.join(connector)
                rows.append((loss_name, key, name, describe(distiller.get_record(**record))))
    return rows


def build(cfg: Config, batch_size: int, seed: int = 0):
    """(the algorithm in train mode, an iterator over training batches of ``batch_size``),
    both seeded with ``seed``."""
    init_default_scope(cfg.get('default_scope', 'mmengine'))
    set_random_seed(seed)
    model = revert_sync_batchnorm(MODELS.build(cfg.model))
    model.init_weights()  # as the runner does before training
    if not hasattr(model, 'distiller'):
        raise TypeError(f'{type(model).__name__} is not a distillation algorithm (no distiller)')
    loader_cfg = cfg.train_dataloader.copy()
    loader_cfg.update(batch_size=batch_size, num_workers=0, persistent_workers=False)
    model.train()
    return model, iter(Runner.build_dataloader(loader_cfg, seed=seed))


def inspect(cfg: Config, batch_size: int, out=sys.stdout, seed: int = 0) -> dict:
    """Build, run one batch and print the report; returns the losses."""
    model, batches = build(cfg, batch_size, seed)
    batch = next(batches)
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


def gradient_shares(cfg: Config, batch_size: int, batches: int, out=sys.stdout,
                    seed: int = 0) -> list:
    """Print each loss term's gradient share, averaged over ``batches`` training batches;
    returns the :class:`~mmfreqkd.engine.loss_balance.TermShare` rows of every batch."""
    model, loader = build(cfg, batch_size, seed)
    if getattr(model, 'loss_scales', None) is not None:
        print(f'\n== calibration on {model.loss_scales.batches} batch(es) of {batch_size}',
              file=out)
        for term in calibrate(model, loader):
            print(f'  {term.name:32s} share {term.share:10.4g} -> {term.target:g}: '
                  f'x {term.scale:.4g}', file=out)
    params = student_parameters(model)
    per_batch = [term_shares(training_losses(model, next(loader)), params)
                 for _ in range(batches)]
    names = [s.name for s in per_batch[0]]

    def mean(name, attr):
        return statistics.fmean(getattr(next(s for s in shares if s.name == name), attr)
                                for shares in per_batch)

    print(f'\n== gradients on the student ({sum(p.numel() for _, p in params)} trainable '
          f'parameters), mean of {batches} batch(es) of {batch_size}', file=out)
    print(f'  {"term":32s} {"value":>10s} {"grad norm":>10s} {"/ task":>8s} {"cos task":>8s}',
          file=out)
    for name in names:
        ratio = mean(name, 'ratio')
        flag = verdict(ratio) if name != 'task' else ''
        print(f'  {name:32s} {mean(name, "value"):10.4g} {mean(name, "grad_norm"):10.4g} '
              f'{ratio:8.3g} {mean(name, "cosine"):8.3f} {flag}', file=out)
    groups = list(per_batch[0][0].groups)
    print('\n== gradient norm per parameter group (first batch)', file=out)
    short = [n.replace('distill.', '', 1) for n in names]
    print(f'  {"group":24s} ' + ' '.join(f'{n[-14:]:>14s}' for n in short), file=out)
    for group in groups:
        print(f'  {group:24s} ' + ' '.join(f'{s.groups[group]:14.4g}' for s in per_batch[0]),
              file=out)
    for name in names[1:]:
        ratio = mean(name, 'ratio')
        if verdict(ratio):
            print(f'WARNING: {name} is {verdict(ratio)!r}: its gradient is {ratio:.3g} of the '
                  f'task gradient (off below {OFF:g}, dominates above {DOMINATES:g})',
                  file=out)
    return per_batch


def main(argv=None):
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    inspect(cfg, args.batch_size, seed=args.seed)
    if args.gradients:
        gradient_shares(cfg, args.batch_size, args.batches, seed=args.seed)


if __name__ == '__main__':
    main()
