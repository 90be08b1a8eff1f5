"""Row 'strict_checkpoints=False with a teacher file whose keys all mismatch': the load is
refused instead of distilling from a random teacher; a partial load logs what it loaded."""
import copy
from unittest import mock

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import MODELS, init_default_scope
from runs import SSTKD

from mmfreqkd.checkpoint import CheckpointMismatchError


def _build(**model_options):
    cfg = Config.fromfile(SSTKD)
    cfg.model.teacher_ckpt = None
    cfg.model.allow_random_teacher = True
    cfg.model.update(model_options)
    init_default_scope(cfg.default_scope)
    return MODELS.build(copy.deepcopy(cfg.model))


@pytest.fixture(scope='module')
def teacher_state():
    return _build().teacher.state_dict()


def test_file_from_which_nothing_loads_is_refused(teacher_state, tmp_path):
    path = tmp_path / 'other.pth'
    torch.save({f'other_model.{k}': v for k, v in teacher_state.items()}, path)
    with pytest.raises(CheckpointMismatchError,
                       match=rf"teacher_ckpt='{path}': only 0 of the {len(teacher_state)}"):
        _build(teacher_ckpt=str(path), strict_checkpoints=False)


def test_partial_load_is_logged_and_fraction_enforced(teacher_state, tmp_path):
    path = tmp_path / 'backbone_only.pth'
    backbone = {k: v for k, v in teacher_state.items() if k.startswith('backbone.')}
    torch.save(backbone, path)
    with mock.patch('mmengine.logging.print_log') as log:
        model = _build(teacher_ckpt=str(path), strict_checkpoints=False)
    logged = ' '.join(str(call.args[0]) for call in log.call_args_list)
    assert f'loaded {len(backbone)} of {len(teacher_state)} tensors' in logged
    assert 'missing (' in logged and 'decode_head.' in logged
    for key, value in backbone.items():
        assert torch.equal(model.teacher.state_dict()[key], value)
    with pytest.raises(CheckpointMismatchError, match='fewer than the required 90%'):
        _build(teacher_ckpt=str(path), strict_checkpoints=False, min_loaded_fraction=0.9)
