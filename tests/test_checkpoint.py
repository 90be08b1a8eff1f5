"""mmfreqkd.checkpoint: weights-only loading of external files, explicit trust, key checks."""
from collections import OrderedDict

import numpy as np
import pytest
import torch
from conftest import TouchOnLoad
from torch import nn

from mmfreqkd.checkpoint import (CheckpointMismatchError, UnsafeCheckpointError,
                                 load_state_dict_checked, torch_load, trusted_checkpoints)


def test_plain_checkpoint_with_numpy_meta_loads_weights_only(tmp_path):
    path = str(tmp_path / 'plain.pth')
    ckpt = dict(state_dict=OrderedDict(w=torch.randn(3, 4)),
                meta=dict(classes=('a', 'b'), mean=np.arange(3.0), iou=np.float64(0.5),
                          count=np.int64(7), epoch=3))
    torch.save(ckpt, path)
    loaded = torch_load(path, map_location='cpu')
    assert torch.equal(loaded['state_dict']['w'], ckpt['state_dict']['w'])
    np.testing.assert_array_equal(loaded['meta']['mean'], np.arange(3.0))
    assert loaded['meta']['iou'] == 0.5 and loaded['meta']['count'] == 7


def test_code_running_pickle_is_refused_naming_the_global(tmp_path):
    marker = tmp_path / 'ran'
    path = str(tmp_path / 'evil.pth')
    torch.save(dict(state_dict={}, payload=TouchOnLoad(str(marker))), path)
    with pytest.raises(UnsafeCheckpointError) as err:
        torch_load(path)
    assert 'mkdir' in str(err.value)
    assert 'trust' in str(err.value)
    assert not marker.exists(), 'the refused pickle must not have run'


def test_trusted_context_opts_in_for_that_file_only(tmp_path):
    marker = tmp_path / 'ran'
    evil = str(tmp_path / 'evil.pth')
    other = str(tmp_path / 'other.pth')
    for path in (evil, other):
        torch.save(dict(payload=TouchOnLoad(str(marker))), path)
    with trusted_checkpoints([evil]):
        torch_load(evil)
        assert marker.exists()
        with pytest.raises(UnsafeCheckpointError):
            torch_load(other)
    marker.rmdir()
    with pytest.raises(UnsafeCheckpointError):
        torch_load(evil)  # the trust ended with the context
    assert not marker.exists()


def test_refusal_message_names_the_config_hint(tmp_path):
    path = str(tmp_path / 'evil.pth')
    torch.save(dict(payload=TouchOnLoad(str(tmp_path / 'x'))), path)
    with trusted_checkpoints([], hint='set `model.trust_checkpoints=True`'):
        with pytest.raises(UnsafeCheckpointError, match='model.trust_checkpoints=True'):
            torch_load(path)


def test_mmengine_loader_follows_the_policy(tmp_path):
    """mmengine's load path (used for teacher_ckpt, load_from, init_cfg) is the safe one."""
    from mmengine.runner.checkpoint import _load_checkpoint
    path = str(tmp_path / 'evil.pth')
    torch.save(dict(payload=TouchOnLoad(str(tmp_path / 'x'))), path)
    with pytest.raises(UnsafeCheckpointError):
        _load_checkpoint(path)
    with pytest.raises(FileNotFoundError):
        _load_checkpoint(str(tmp_path / 'missing.pth'))


def _net():
    return nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4))


def test_checked_load_loads_and_strips_ddp_prefix():
    src, dst = _net(), _net()
    state = {f'module.{k}': v for k, v in src.state_dict().items()}
    report = load_state_dict_checked(dst, dict(state_dict=state), what='teacher_ckpt')
    assert report == dict(loaded=sorted(src.state_dict()), missing=[], unexpected=[],
                          shape_mismatch=[])
    for k, v in src.state_dict().items():
        assert torch.equal(dst.state_dict()[k], v)


def test_checked_load_lists_missing_unexpected_and_shape_mismatch():
    state = _net().state_dict()
    state.pop('1.running_mean')
    state['2.extra'] = torch.zeros(1)
    state['0.weight'] = torch.zeros(4, 3, 5, 5)
    with pytest.raises(CheckpointMismatchError) as err:
        load_state_dict_checked(_net(), state, what="teacher_ckpt='t.pth'")
    msg = str(err.value)
    assert "teacher_ckpt='t.pth'" in msg
    assert '1.running_mean' in msg and '2.extra' in msg
    assert '0.weight: checkpoint (4, 3, 5, 5) vs model (4, 3, 3, 3)' in msg


def test_extra_state_of_another_length_loads():
    """A module's extra state (calibrated loss multipliers) is not a parameter: its tensor
    form's length is the module's business, not a mismatch."""
    from mmfreqkd.models.algorithms.loss_scales import LossScales
    calibrated, fresh = nn.Sequential(LossScales()), nn.Sequential(LossScales())
    calibrated[0].set({'distill.loss_low': 2870.4})
    state = calibrated.state_dict()
    assert state['0._extra_state'].shape != fresh.state_dict()['0._extra_state'].shape
    load_state_dict_checked(fresh, state, what='resume')
    assert fresh[0].calibrated and fresh[0].scales == {'distill.loss_low': 2870.4}


def test_non_strict_load_keeps_what_fits():
    src, dst = _net(), _net()
    state = src.state_dict()
    state['0.weight'] = torch.zeros(4, 3, 5, 5)
    before = dst.state_dict()['0.weight'].clone()
    report = load_state_dict_checked(dst, state, what='x', strict=False)
    assert report['shape_mismatch'] and torch.equal(dst.state_dict()['0.weight'], before)
    assert torch.equal(dst.state_dict()['1.weight'], src.state_dict()['1.weight'])


def test_wrapper_named_keys_match_the_model_keys_only_where_needed():
    from mmfreqkd.checkpoint import match_wrapped_keys
    own = ['architecture.conv.weight', 'distiller.module.x', 'teacher.w']
    state = {'architecture.module.conv.weight': 1, 'distiller.module.x': 2, 'teacher.w': 3,
             'other.module.y': 4}
    assert match_wrapped_keys(state, own) == {
        'architecture.conv.weight': 1, 'distiller.module.x': 2, 'teacher.w': 3,
        'other.module.y': 4}


def test_empty_truncated_and_foreign_files_name_the_file(tmp_path):
    from mmfreqkd.checkpoint import CorruptCheckpointError
    empty = tmp_path / 'empty.pth'
    empty.write_bytes(b'')
    with pytest.raises(CorruptCheckpointError, match=f"checkpoint '{empty}': the file is empty"):
        torch_load(str(empty))
    foreign = tmp_path / 'image.pth'
    foreign.write_bytes(b'\x89PNG\r\n\x1a\n' + bytes(100))
    with pytest.raises(CorruptCheckpointError, match=f"checkpoint '{foreign}' cannot be read"):
        torch_load(str(foreign))
