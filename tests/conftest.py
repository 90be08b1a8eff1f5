"""Shared fixtures: the repo root as working directory, and the embedded data sets."""
import os
import os.path as osp

import pytest

import mmfreqkd  # noqa: F401  (compatibility layer first, as in every config)

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
    from mmfreqkd.datasets import DEFAULT_ROOT, EMBEDDED_SETS, prepare
    return {name: prepare(name, osp.join(REPO_ROOT, DEFAULT_ROOT)) for name in EMBEDDED_SETS}


def config_path(*parts):
    return osp.join(CONFIGS, *parts)
