"""Shared fixtures: the repo root as working directory, and the embedded data sets."""
import os
import os.path as osp

import pytest

import mmfreqkd  # noqa: F401  isort: skip  (compatibility layer first, as in every config)

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = osp.join(REPO_ROOT, 'configs')


@pytest.fixture(autouse=True, scope='session')
def _repo_root_cwd():
    """Configs name data and work dirs relative to the repo root, as for users."""
    old = os.getcwd()
    os.chdir(REPO_ROOT)
    yield
    os.chdir(old)


@pytest.fixture(scope='session')
def embedded_data():
    """Generate (once, idempotently) every embedded set where the configs expect it."""
    from mmfreqkd.datasets import EMBEDDED_SETS, prepare
    from mmfreqkd.paths import embedded_data_root
    return {name: prepare(name, embedded_data_root()) for name in EMBEDDED_SETS}


def config_path(*parts):
    return osp.join(CONFIGS, *parts)


def build_for_training(cfg):
    """(model in train mode, its optim wrapper) of a config, in the config's default scope, on
    CPU (SyncBN reverted)."""
    import copy

    from mmengine.model import revert_sync_batchnorm
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import MODELS, init_default_scope
    init_default_scope(cfg.default_scope)
    model = revert_sync_batchnorm(MODELS.build(copy.deepcopy(cfg.model)))
    model.train()
    return model, build_optim_wrapper(model, copy.deepcopy(cfg.optim_wrapper))


def training_batch(cfg, n=2):
    """The first ``n`` samples of a config's training set through its stock pipeline, as a
    ``train_step`` batch (built in the config's default scope)."""
    import copy

    from mmengine.registry import DATASETS, init_default_scope
    init_default_scope(cfg.default_scope)
    dataset = DATASETS.build(copy.deepcopy(cfg.train_dataloader.dataset))
    items = [dataset[i] for i in range(n)]
    return dict(inputs=[i['inputs'] for i in items],
                data_samples=[i['data_samples'] for i in items])


def distill_losses(model, cfg, n=4):
    """The ``distill.*`` losses of a distillation model on the first ``n`` training samples of
    its config."""
    data = model.data_preprocessor(training_batch(cfg, n=n), True)
    losses = model.loss(data['inputs'], data['data_samples'])
    return {k: v for k, v in losses.items() if k.startswith('distill.')}


class TouchOnLoad:
    """Unpickling this object creates a folder: a stand-in for a pickle that runs code."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (self.marker, ))
