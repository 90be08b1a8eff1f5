"""Every class registered in mmfreqkd's registries is reachable from mmrazor's scope and builds.

Parametrised over the registries (like timm's tests over its model registry): a class added by a
later module joins automatically, and fails until it gets an entry in ``EXAMPLES``.
"""
import pytest
from mmrazor.registry import MODELS as RAZOR_MODELS
from mmrazor.registry import TASK_UTILS as RAZOR_TASK_UTILS
from mmengine.registry import DefaultScope

import mmfreqkd.models  # noqa: F401  (registers every class)
from mmfreqkd.registry import MODELS, TASK_UTILS

_TEXSEG = 'configs/embedded/pspnet_r18w{}-d8_1xb8-1k_texseg-64x64.py'
_LOGITS = dict(type='ModuleOutputs', source='decode_head.conv_seg')

#: A minimal config for each registered class.
EXAMPLES = {
    'SingleTeacherKD': dict(
        architecture=dict(cfg_path=_TEXSEG.format(16)),
        teacher=dict(cfg_path=_TEXSEG.format(32)),
        distiller=dict(
            type='ConfigurableDistiller',
            student_recorders=dict(logits=_LOGITS),
            teacher_recorders=dict(logits=_LOGITS),
            distill_losses=dict(loss_cwd=dict(type='ChannelWiseDivergence', tau=1)),
            loss_forward_mappings=dict(loss_cwd=dict(
                preds_S=dict(from_student=True, recorder='logits'),
                preds_T=dict(from_student=False, recorder='logits'))))),
}

REGISTERED = sorted(
    [('MODELS', name) for name in MODELS.module_dict] +
    [('TASK_UTILS', name) for name in TASK_UTILS.module_dict])


def test_registries_are_children_of_mmrazor():
    assert MODELS.parent is RAZOR_MODELS and MODELS.scope == 'mmfreqkd'
    assert TASK_UTILS.scope == 'mmfreqkd'
    assert MODELS._locations == ['mmfreqkd.models']


def test_registry_is_not_empty():
    assert REGISTERED


@pytest.mark.parametrize('registry,name', REGISTERED)
def test_registered_class_builds_from_mmrazor_scope(registry, name):
    assert name in EXAMPLES, f'add an example config for {name} to tests/test_registry.py'
    cfg = dict(EXAMPLES[name], type=f'mmfreqkd.{name}', _scope_='mmrazor')
    parent = dict(MODELS=RAZOR_MODELS, TASK_UTILS=RAZOR_TASK_UTILS)[registry]
    with DefaultScope.overwrite_default_scope('mmrazor'):
        obj = parent.build(cfg)
    assert type(obj).__name__ == name
