"""The identity row of a restoration suite: each degraded input scored as its own restoration.

It is the floor every restoration model must clear (a student that learned nothing useful
scores about as much), computed with the config's own data loader and evaluator on a split,
without a model or training.
"""
from typing import Dict

from .experiment import load_config

__all__ = ['identity_scores']


def identity_scores(config: str, split: str = 'test') -> Dict[str, float]:
    """The metrics of ``config``'s ``<split>_evaluator`` (``split``: ``val`` or ``test``) when
    every image of its ``<split>_dataloader`` is "restored" to the degraded input itself
    (``pred_img = inputs``; the data samples carry ``gt_img``, as
    :class:`~mmfreqkd.datasets.PackImagePair` packs them)."""
    from mmengine.evaluator import Evaluator
    from mmengine.registry import DATASETS, init_default_scope

    cfg = load_config(config)
    init_default_scope(cfg.get('default_scope', 'mmfreqkd'))
    dataset = DATASETS.build(cfg[f'{split}_dataloader'].dataset)
    evaluator = Evaluator(cfg[f'{split}_evaluator'])
    for index in range(len(dataset)):
        packed = dataset[index]
        sample = packed['data_samples']
        sample.pred_img = packed['inputs']
        evaluator.process([sample])
    return evaluator.evaluate(len(dataset))
