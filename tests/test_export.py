"""mmfreqkd.export: the student's config and weights out of a distillation run."""
import pytest
import torch
from conftest import config_path
from mmengine.config import Config

from mmfreqkd.export import student_config, student_state_dict

CWD = config_path('baselines', 'cwd_logits_pspnet_r18w32_pspnet_r18w4_texseg.py')
STUDENT = config_path('embedded', 'pspnet_r18w4-d8_1xb8-1k_texseg-64x64.py')


def test_student_config_of_a_distillation_config_is_the_plain_student():
    cfg = student_config(Config.fromfile(CWD))
    ref = Config.fromfile(STUDENT)
    assert 'custom_imports' not in cfg
    assert cfg.model.to_dict() == ref.model.to_dict()
    assert cfg.default_scope == 'mmseg'


def test_student_config_with_a_full_model_dict_and_mmrazor_loops():
    cfg = Config.fromfile(CWD)
    cfg.model.architecture = dict(Config.fromfile(STUDENT).model, _scope_='mmseg')
    out = student_config(cfg)
    assert out.model.type == 'EncoderDecoder' and out.val_cfg == dict(type='ValLoop')


def test_student_using_plugin_components_cannot_be_exported():
    cfg = Config.fromfile(STUDENT)
    cfg.model.decode_head.type = 'mmfreqkd.SomeHead'
    with pytest.raises(ValueError, match='mmfreqkd components'):
        student_config(cfg)


def test_student_state_dict_keeps_only_the_student():
    w = torch.zeros(1)
    state = {'architecture.a': w, 'teacher.a': w, 'distiller.connectors.c.w': w}
    assert student_state_dict(dict(state_dict=state)) == {'a': w}
    assert student_state_dict({'module.b': w}) == {'b': w}
