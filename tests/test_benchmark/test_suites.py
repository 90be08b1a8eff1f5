"""The suites' ablation rows: each one's options build its method without the term it names,
and the terms it keeps are the method's others (checked on a training batch)."""
import argparse
import copy
import os.path as osp

import pytest
from conftest import REPO_ROOT
from mmengine.config import Config, DictAction
from mmengine.registry import DefaultScope
from mmengine.runner import Runner, set_random_seed
from test_configs import build_model, no_teacher_ckpt

from mmfreqkd.benchmark import SUITES
from mmfreqkd.engine.loss_balance import loss_terms, training_losses

ARTIFACTS = dict(teacher='teacher.pth', amplifier='amplifier.pth', teacher_b='teacher_b.pth')
#: the rows that ablate a method by options (not a config of their own)
ABLATIONS = [(suite, entry) for suite in SUITES.values() for entry in suite.entries
             if entry.ablation and any(e.config == entry.config and not e.ablation
                                       for e in suite.entries)]


def _losses(config, options):
    """The loss terms of ``config`` with ``--cfg-options options`` on a training batch."""
    parser = argparse.ArgumentParser()
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    cfg = Config.fromfile(osp.join(REPO_ROOT, config))
    cfg.merge_from_dict(parser.parse_args(['--cfg-options', *options]).cfg_options)
    cfg = no_teacher_ckpt(cfg)
    set_random_seed(0)
    model = build_model(cfg)
    model.init_weights()
    model.train()
    loader = copy.deepcopy(cfg.train_dataloader)
    loader.update(batch_size=2, num_workers=0, persistent_workers=False)
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        batch = next(iter(Runner.build_dataloader(loader)))
    return {name: float(value) for name, value in
            loss_terms(training_losses(model, batch, scaled=False)).items()}


@pytest.mark.usefixtures('embedded_data')
@pytest.mark.parametrize('suite, entry', ABLATIONS, ids=[e.label for _, e in ABLATIONS])
def test_an_ablation_row_trains_its_method_without_the_term_it_names(suite, entry):
    method = next(e for e in suite.entries if e.config == entry.config and not e.ablation)
    full = _losses(method.config, method.options(ARTIFACTS))
    ablated = _losses(entry.config, entry.options(ARTIFACTS))
    gone = sorted(set(full) - {n for n, v in ablated.items() if v != 0})
    assert gone and not any(n.startswith('student.') for n in gone), (full, ablated)
    assert set(ablated) <= set(full)
