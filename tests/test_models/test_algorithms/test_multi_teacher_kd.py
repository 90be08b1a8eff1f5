"""MultiTeacherKD: each teacher sees its configured input, teachers stay frozen, recorders of
different teachers never mix, save/load keeps every part; also with two segmentation
teachers; errors name the config key."""
import copy

import numpy as np
import pytest
import torch
from conftest import config_path
from mmengine.registry import DefaultScope
from mmengine.structures import BaseDataElement
from mmrazor.registry import MODELS
from skimage import data

from mmfreqkd.models.algorithms import MultiTeacherKD

TEXSEG = config_path('embedded', 'pspnet_r18w{}-d8_1xb8-1k_texseg-64x64.py')


def _naf(width):
    return dict(type='mmfreqkd.NAFNet', width=width, enc_blocks=(1, 1), middle_blocks=1,
                dec_blocks=(1, 1))


def _recorder(source):
    return dict(type='ModuleOutputs', source=source)


def _pair(student, teacher, keys=('s_feature', 't_feature')):
    """A loss mapping: mmrazor's L1Loss takes (s_feature, t_feature), CWD (preds_S, preds_T)."""
    return {keys[0]: dict(from_student=True, recorder=student),
            keys[1]: dict(from_student=False, recorder=teacher)}


def restoration_cfg(**overrides):
    cfg = dict(
        _scope_='mmrazor', type='mmfreqkd.MultiTeacherKD',
        architecture=_naf(8),
        teachers=dict(A=dict(model=_naf(16)), B=dict(model=_naf(16), input='gt_img')),
        distiller=dict(
            type='mmfreqkd.FreqKDDistiller',
            student_recorders=dict(out=_recorder('ending'), enc=_recorder('encoders.0')),
            teacher_recorders=dict(a_out=_recorder('A.ending'), b_out=_recorder('B.ending'),
                                   a_enc=_recorder('A.encoders.0'),
                                   b_enc=_recorder('B.encoders.0')),
            distill_losses=dict(loss_pix=dict(type='L1Loss', loss_weight=0.5),
                                loss_rec=dict(type='L1Loss', loss_weight=0.1)),
            loss_forward_mappings=dict(loss_pix=_pair('out', 'a_out'),
                                       loss_rec=_pair('out', 'b_out'))),
        allow_random_teacher=True)  # the tests' teachers are untrained
    cfg.update(overrides)
    return cfg


def build(cfg):
    with DefaultScope.overwrite_default_scope('mmrazor'):
        return MODELS.build(copy.deepcopy(cfg))


def pair_batch(algo, n=2, size=32, training=True):
    rng = np.random.default_rng(0)
    inputs, samples = [], []
    for i in range(n):
        clean = data.astronaut()[40 * i:40 * i + size, 100:100 + size]
        noisy = np.clip(clean + rng.normal(0, 20, clean.shape), 0, 255).astype(np.uint8)
        inputs.append(torch.from_numpy(noisy).permute(2, 0, 1).contiguous())
        samples.append(BaseDataElement(
            gt_img=torch.from_numpy(clean).permute(2, 0, 1).contiguous()))
    return algo.data_preprocessor(dict(inputs=inputs, data_samples=samples), training)


@pytest.fixture()
def algo():
    torch.manual_seed(0)
    return build(restoration_cfg())


def test_each_teacher_sees_its_input_and_records_stay_apart(algo):
    batch = pair_batch(algo)
    losses = algo(**batch, mode='loss')
    assert set(losses) == {'student.loss_img', 'distill.loss_pix', 'distill.loss_rec'}
    distiller = algo.distiller
    clean = torch.stack([s.gt_img for s in batch['data_samples']]).float() / 255
    with torch.no_grad():
        expected_a = algo.teachers['A'](batch['inputs'])
        expected_b = algo.teachers['B'](clean)
    torch.testing.assert_close(distiller.get_record('a_out', False), expected_a)
    torch.testing.assert_close(distiller.get_record('b_out', False), expected_b)
    # the same module path in both teachers: two records, each its own teacher's
    a_enc, b_enc = (distiller.get_record(k, False) for k in ('a_enc', 'b_enc'))
    with torch.no_grad():
        torch.testing.assert_close(
            a_enc, algo.teachers['A'].encoders[0](algo.teachers['A'].intro(batch['inputs'])))
        torch.testing.assert_close(
            b_enc, algo.teachers['B'].encoders[0](algo.teachers['B'].intro(clean)))
    assert not torch.allclose(a_enc, b_enc)


def test_teachers_stay_frozen_and_in_eval_mode(algo):
    before = {k: v.clone() for k, v in algo.teachers.state_dict().items()}
    optimizer = torch.optim.SGD([p for p in algo.parameters() if p.requires_grad], lr=0.1)
    algo.train()
    assert not any(m.training for m in algo.teachers.modules())
    assert algo.student.training
    losses = algo(**pair_batch(algo), mode='loss')
    sum(losses.values()).backward()
    assert all(p.grad is None for p in algo.teachers.parameters())
    assert all(p.grad is not None for p in algo.student.parameters())
    optimizer.step()
    after = algo.teachers.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)


def test_own_normalisation_of_a_teacher():
    algo = build(restoration_cfg(teachers=dict(
        A=dict(model=_naf(16)),
        B=dict(model=_naf(16), input='gt_img', mean=[100.0] * 3, std=[50.0] * 3))))
    batch = pair_batch(algo)
    clean = torch.stack([s.gt_img for s in batch['data_samples']]).float()
    torch.testing.assert_close(algo.teacher_inputs('B', batch['inputs'], batch['data_samples']),
                               (clean - 100) / 50)
    # teacher A's own normalisation of the student's input, brought back to [0, 255] first
    algo.teacher_specs['A'].update(mean=[0.0] * 3, std=[1.0] * 3)
    torch.testing.assert_close(algo.teacher_inputs('A', batch['inputs'], None),
                               batch['inputs'] * 255)


def test_save_and_load_keep_every_part(algo, tmp_path):
    batch = pair_batch(algo, training=False)
    algo(**pair_batch(algo), mode='loss')
    state = algo.state_dict()
    assert {k.split('.')[0] for k in state} == {'architecture', 'teachers'}  # no connectors
    assert any(k.startswith('teachers.A.') for k in state)
    assert any(k.startswith('teachers.B.') for k in state)
    torch.save(dict(state_dict=state), tmp_path / 'ckpt.pth')
    torch.manual_seed(1)
    other = build(restoration_cfg())
    other.load_state_dict(torch.load(tmp_path / 'ckpt.pth')['state_dict'])
    other.eval()
    algo.eval()
    for name in ('A', 'B'):
        torch.testing.assert_close(other.run_teacher(name, batch['inputs'], batch['data_samples']),
                                   algo.run_teacher(name, batch['inputs'], batch['data_samples']),
                                   rtol=0, atol=0)
    torch.testing.assert_close(other(batch['inputs']), algo(batch['inputs']), rtol=0, atol=0)


def test_teacher_checkpoints_load_through_the_safe_loader(tmp_path):
    teacher = build(restoration_cfg()).teachers['A']
    torch.save(teacher.state_dict(), tmp_path / 'a.pth')
    algo = build(restoration_cfg(teachers=dict(
        A=dict(model=_naf(16), ckpt=str(tmp_path / 'a.pth')),
        B=dict(model=_naf(16), input='gt_img'))))
    for key, value in teacher.state_dict().items():
        assert torch.equal(algo.teachers['A'].state_dict()[key], value)


def test_two_segmentation_teachers():
    """Nothing in the algorithm is restoration-specific: two PSPNet teachers (widths 32, 4)
    on the student's input, mmrazor's CWD from each to the student's logits."""
    seg = dict(_scope_='mmrazor', type='mmfreqkd.MultiTeacherKD',
               architecture=dict(cfg_path=TEXSEG.format(4)),
               teachers=dict(wide=dict(model=dict(cfg_path=TEXSEG.format(32))),
                             mid=dict(model=dict(cfg_path=TEXSEG.format(4)))),
               distiller=dict(
                   type='ConfigurableDistiller',
                   student_recorders=dict(logits=_recorder('decode_head.conv_seg')),
                   teacher_recorders=dict(
                       wide=_recorder('wide.decode_head.conv_seg'),
                       mid=_recorder('mid.decode_head.conv_seg')),
                   distill_losses=dict(loss_wide=dict(type='ChannelWiseDivergence', tau=1),
                                       loss_mid=dict(type='ChannelWiseDivergence', tau=1)),
                   loss_forward_mappings=dict(
                       loss_wide=_pair('logits', 'wide', ('preds_S', 'preds_T')),
                       loss_mid=_pair('logits', 'mid', ('preds_S', 'preds_T')))),
               allow_random_teacher=True)
    algo = build(seg)
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample
    samples = []
    for _ in range(2):
        s = SegDataSample(metainfo=dict(img_shape=(64, 64), ori_shape=(64, 64),
                                        pad_shape=(64, 64)))
        s.gt_sem_seg = PixelData(data=torch.randint(0, 5, (1, 64, 64)))
        samples.append(s)
    inputs = [torch.randint(0, 255, (3, 64, 64), dtype=torch.uint8) for _ in range(2)]
    batch = algo.data_preprocessor(dict(inputs=inputs, data_samples=samples), True)
    losses = algo(**batch, mode='loss')
    assert {'distill.loss_wide', 'distill.loss_mid'} <= set(losses)
    assert all(torch.isfinite(v) and v > 0 for k, v in losses.items() if 'distill' in k)
    wide, mid = (algo.distiller.get_record(k, False) for k in ('wide', 'mid'))
    with torch.no_grad():
        torch.testing.assert_close(wide, algo.teachers['wide'](batch['inputs'], mode='tensor'))
        torch.testing.assert_close(mid, algo.teachers['mid'](batch['inputs'], mode='tensor'))


@pytest.mark.parametrize('change, error, match', [
    (dict(teachers=dict()), ValueError, 'at least one teacher'),
    (dict(teachers=dict(A=dict(model=_naf(16), inputs='gt_img'))), KeyError,
     r"teachers\['A'\] has unknown keys \['inputs'\]"),
    (dict(teachers=dict(A=dict(model=_naf(16), mode='predict'))), ValueError,
     r"teachers\['A'\].mode"),
    (dict(teachers=dict(A=dict(model=_naf(16), mean=[0] * 3))), ValueError, 'mean and std'),
    (dict(evaluate_teachers=('C', )), KeyError, r"\['C'\], which are not teachers"),
])
def test_named_config_errors(change, error, match):
    with pytest.raises(error, match=match):
        build(restoration_cfg(**change))


def test_recorder_outside_every_teacher_is_named():
    cfg = restoration_cfg()
    cfg['distiller']['teacher_recorders']['a_out'] = _recorder('ending')
    with pytest.raises(ValueError, match='sources start with the teacher name'):
        build(cfg)


def test_missing_input_field_names_the_teacher(algo):
    batch = pair_batch(algo)
    with pytest.raises(ValueError, match=r"teachers\['B'\].input='gt_img': data_samples\[0\]"):
        algo.teacher_inputs('B', batch['inputs'], [BaseDataElement(), BaseDataElement()])


def test_is_registered_for_configs():
    assert MODELS.get('mmfreqkd.MultiTeacherKD') is MultiTeacherKD
