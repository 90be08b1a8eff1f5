"""SingleTeacherKD: model forms, safe checkpoint loading, and errors that name their cause."""
import copy
import os

import pytest
import torch
from conftest import config_path
from mmengine.registry import DefaultScope
from mmrazor.registry import MODELS

from mmfreqkd.checkpoint import CheckpointMismatchError, UnsafeCheckpointError
from mmfreqkd.models.algorithms import DistillLossError, SingleTeacherKD

TEXSEG = config_path('embedded', 'pspnet_r18w{}-d8_1xb8-1k_texseg-64x64.py')


def _recorder(source):
    return dict(type='ModuleOutputs', source=source)


def _mapping(loss, s='logits', t='logits', **extra):
    return {loss: dict(preds_S=dict(from_student=True, recorder=s, **extra),
                       preds_T=dict(from_student=False, recorder=t))}


def algo_cfg(**overrides):
    cfg = dict(
        _scope_='mmrazor',
        type='mmfreqkd.SingleTeacherKD',
        architecture=dict(cfg_path=TEXSEG.format(4)),
        teacher=dict(cfg_path=TEXSEG.format(32)),
        distiller=dict(
            type='ConfigurableDistiller',
            student_recorders=dict(logits=_recorder('decode_head.conv_seg')),
            teacher_recorders=dict(logits=_recorder('decode_head.conv_seg')),
            distill_losses=dict(loss_cwd=dict(type='ChannelWiseDivergence', tau=1)),
            loss_forward_mappings=_mapping('loss_cwd')),
        allow_random_teacher=True)  # the tests' teachers are untrained
    cfg.update(overrides)
    return cfg


def build(cfg):
    with DefaultScope.overwrite_default_scope('mmrazor'):
        return MODELS.build(copy.deepcopy(cfg))


def batch(algo, n=2, size=64):
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample
    samples = []
    for _ in range(n):
        s = SegDataSample(metainfo=dict(img_shape=(size, size), ori_shape=(size, size),
                                        pad_shape=(size, size)))
        s.gt_sem_seg = PixelData(data=torch.randint(0, 5, (1, size, size)))
        samples.append(s)
    inputs = [torch.randint(0, 255, (3, size, size), dtype=torch.uint8) for _ in range(n)]
    return algo.data_preprocessor(dict(inputs=inputs, data_samples=samples), True)


@pytest.fixture(scope='module')
def teacher_file(tmp_path_factory):
    """A teacher checkpoint as a release would ship it (state_dict + plain meta)."""
    algo = build(algo_cfg())
    path = str(tmp_path_factory.mktemp('ckpt') / 'teacher.pth')
    torch.save(dict(state_dict=algo.teacher.state_dict(), meta=dict(iter=10)), path)
    return path, algo.teacher.state_dict()


def test_trains_one_step_and_keeps_the_teacher_frozen():
    algo = build(algo_cfg())
    assert isinstance(algo, SingleTeacherKD)
    algo.train()  # as the runner does: the teacher's BN layers stay in eval mode
    before = {k: v.clone() for k, v in algo.teacher.state_dict().items()}
    losses = algo(**batch(algo), mode='loss')
    assert {'student.decode.loss_ce', 'distill.loss_cwd'} <= set(losses)
    total = sum(v for k, v in losses.items() if 'loss' in k)
    total.backward()
    assert all(p.grad is None for p in algo.teacher.parameters())
    assert algo.student.backbone.stem[0].weight.grad.abs().sum() > 0
    for k, v in algo.teacher.state_dict().items():
        assert torch.equal(v, before[k]), k


def test_teacher_ckpt_loads_through_the_safe_loader(teacher_file):
    path, state = teacher_file
    algo = build(algo_cfg(teacher_ckpt=path))
    for k, v in state.items():
        assert torch.equal(algo.teacher.state_dict()[k], v), k
    assert algo.teacher._is_init


def test_student_ckpt_takes_the_student_part_of_a_distillation_checkpoint(tmp_path):
    src = build(algo_cfg())
    path = str(tmp_path / 'distilled.pth')
    torch.save(dict(state_dict=src.state_dict()), path)  # architecture.*, teacher.*, ...
    algo = build(algo_cfg(student_ckpt=path))
    for k, v in src.student.state_dict().items():
        assert torch.equal(algo.student.state_dict()[k], v), k


def test_checkpoint_that_does_not_fit_lists_the_keys(tmp_path):
    student_state = build(algo_cfg()).student.state_dict()
    path = str(tmp_path / 'student_as_teacher.pth')
    torch.save(student_state, path)
    with pytest.raises(CheckpointMismatchError) as err:
        build(algo_cfg(teacher_ckpt=path))
    assert 'teacher_ckpt=' in str(err.value)
    assert 'backbone.layer1.0.conv1.weight: checkpoint (4, 4, 3, 3) vs model (32, 32, 3, 3)' \
        in str(err.value)


def test_missing_teacher_checkpoint_names_the_key(tmp_path):
    with pytest.raises(FileNotFoundError, match='teacher_ckpt=.*no such checkpoint'):
        build(algo_cfg(teacher_ckpt=str(tmp_path / 'missing.pth')))


class _Payload:

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (self.marker, ))


def test_code_pickle_teacher_is_refused_unless_trusted(tmp_path, teacher_file):
    _, state = teacher_file
    marker = str(tmp_path / 'ran')
    path = str(tmp_path / 'evil.pth')
    torch.save(dict(state_dict=state, meta=dict(x=_Payload(marker))), path)
    with pytest.raises(UnsafeCheckpointError, match=r'mkdir.*model.trust_checkpoints=True'):
        build(algo_cfg(teacher_ckpt=path))
    assert not os.path.exists(marker)
    build(algo_cfg(teacher_ckpt=path, trust_checkpoints=True))
    assert os.path.exists(marker)  # the user opted in; the pickle ran


def test_wrong_recorder_source_lists_closest_module_names():
    cfg = algo_cfg()
    cfg['distiller']['student_recorders']['logits'] = _recorder('decode_head.conv_sge')
    with pytest.raises(ValueError) as err:
        build(cfg)
    msg = str(err.value)
    assert "distiller.student_recorders['logits']" in msg and "'decode_head.conv_sge'" in msg
    assert "'decode_head.conv_seg'" in msg


def feature_distill_cfg(connectors=None, **mapping_extra):
    """CWD between the layer1 features: 16 student vs 32 teacher channels."""
    cfg = algo_cfg()
    cfg['distiller'].update(
        student_recorders=dict(feat=_recorder('backbone.layer1')),
        teacher_recorders=dict(feat=_recorder('backbone.layer1')),
        connectors=connectors or {},
        distill_losses=dict(loss_feat=dict(type='ChannelWiseDivergence', tau=1)),
        loss_forward_mappings=_mapping('loss_feat', 'feat', 'feat', **mapping_extra))
    return cfg


def test_channel_mismatch_without_connector_names_loss_recorders_and_shapes():
    algo = build(feature_distill_cfg())
    with pytest.raises(DistillLossError) as err:
        algo(**batch(algo), mode='loss')
    msg = str(err.value)
    assert "distill_losses['loss_feat'] (ChannelWiseDivergence)" in msg
    assert "student recorder 'feat': (2, 4, 16, 16)" in msg
    assert "teacher recorder 'feat': (2, 32, 16, 16)" in msg
    assert 'connector' in msg


def test_connector_fixes_the_channel_mismatch():
    algo = build(feature_distill_cfg(
        connectors=dict(s_feat=dict(type='ConvModuleConnector', in_channel=4, out_channel=32,
                                    kernel_size=1)),
        connector='s_feat'))
    losses = algo(**batch(algo), mode='loss')
    assert torch.isfinite(losses['distill.loss_feat'])


def test_a_frozen_teacher_without_weights_is_an_error_naming_its_key():
    """Issue row '`teacher_ckpt=None` in an SSTKD config': distilling from a random teacher
    is refused unless asked for (tests, cost measurements); a trainable teacher needs none."""
    with pytest.raises(ValueError, match=r"model\.teacher_ckpt=None: the teacher has no "
                       r"weights.*allow_random_teacher=True"):
        build(algo_cfg(allow_random_teacher=False))
    with pytest.raises(ValueError, match=r"model\.teacher_ckpt=''"):
        build(algo_cfg(teacher_ckpt='', allow_random_teacher=False))
    assert build(algo_cfg(allow_random_teacher=True))
    assert build(algo_cfg(teacher_trainable=True, allow_random_teacher=False))


@pytest.mark.usefixtures('embedded_data')
def test_sstkd_config_without_teacher_weights_is_refused():
    from mmengine.config import Config
    cfg = Config.fromfile(config_path(
        'sstkd', 'sstkd_pspnet_r18w32_pspnet_r18w4_1xb8-1k_texseg-64x64.py'))
    cfg.model.teacher_ckpt = None
    with pytest.raises(ValueError, match=r'model\.teacher_ckpt=None'):
        build(cfg.model)
