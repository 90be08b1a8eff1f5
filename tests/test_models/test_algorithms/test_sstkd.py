"""SSTKD on the small texture-segmentation config: every term trains the student's low-level
stage, the student and critic steps touch only their own parameters, resume restores the critic
and all optimizers, and bad inputs give clear errors or finite losses."""
import itertools

import pytest
import torch
from conftest import build_for_training as build
from conftest import config_path
from mmengine.config import Config
from mmengine.optim import AmpOptimWrapper, OptimWrapper, build_optim_wrapper

from mmfreqkd.cli import build_runner
from mmfreqkd.engine.loss_calibration import calibrate
from mmfreqkd.models.algorithms import SSTKD, DistillLossError
from mmfreqkd.models.algorithms.sstkd import _step_together

CONFIG = config_path('sstkd', 'sstkd_pspnet_r18w32_pspnet_r18w4_1xb8-1k_texseg-64x64.py')


def load_cfg(**options):
    """The embedded SSTKD config with a random teacher, at the terms' own weights: its stored
    calibration is left out (a test that calibrates asks for it)."""
    cfg = Config.fromfile(CONFIG)
    cfg.model.teacher_ckpt = None
    cfg.model.allow_random_teacher = True
    cfg.model.pop('calibration')
    cfg.merge_from_dict(options)
    return cfg


def raw_batch(n=2, size=64, labels=None):
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample
    gen = torch.Generator().manual_seed(0)
    samples = []
    for _ in range(n):
        s = SegDataSample(metainfo=dict(img_shape=(size, size), ori_shape=(size, size)))
        gt = torch.randint(0, 5, (1, size, size), generator=gen) if labels is None else \
            torch.full((1, size, size), labels)
        s.gt_sem_seg = PixelData(data=gt)
        samples.append(s)
    inputs = [torch.randint(0, 255, (3, size, size), dtype=torch.uint8, generator=gen)
              for _ in range(n)]
    return dict(inputs=inputs, data_samples=samples)


def student_step_losses(model, batch):
    data = model.data_preprocessor(batch, True)
    losses = model.loss(data['inputs'], data['data_samples'])
    losses.update(model.generator_losses())
    return losses


TERMS = ['distill.loss_kd', 'distill.loss_str', 'distill.loss_sta', 'adv.loss_g']


def test_every_term_is_nonzero_and_reaches_the_students_low_level_stage():
    torch.manual_seed(0)
    model, _ = build(load_cfg())
    assert isinstance(model, SSTKD)
    losses = student_step_losses(model, raw_batch())
    stage = list(model.student.backbone.layer1.parameters())
    for term in TERMS:
        assert torch.isfinite(losses[term]) and losses[term] != 0, (term, losses[term])
        grads = torch.autograd.grad(losses[term], stage, retain_graph=True, allow_unused=True)
        assert any(g is not None and g.abs().sum() > 0 for g in grads), term


def _params(module):
    return torch.cat([p.detach().flatten().clone() for p in module.parameters()])


def test_student_and_critic_change_only_in_their_own_steps():
    torch.manual_seed(0)
    model, optim_wrapper = build(load_cfg())
    events = []

    def spy(key, optimizer):
        step = optimizer.step

        def wrapped(*args, **kwargs):
            events.append((key, 'before', _params(model.student), _params(model.discriminator)))
            out = step(*args, **kwargs)
            events.append((key, 'after', _params(model.student), _params(model.discriminator)))
            return out
        optimizer.step = wrapped

    for key in ('architecture', 'distiller', 'discriminator'):
        spy(key, optim_wrapper[key].optimizer)
    student0, critic0 = _params(model.student), _params(model.discriminator)
    log_vars = model.train_step(raw_batch(), optim_wrapper)
    assert {'adv.loss_d', 'adv.loss_gp', 'adv.loss_critic', 'adv.loss_g'} <= set(log_vars)
    assert [(k, w) for k, w, _, _ in events] == [
        ('distiller', 'before'), ('distiller', 'after'), ('architecture', 'before'),
        ('architecture', 'after'), ('discriminator', 'before'), ('discriminator', 'after')]
    (_, _, s_start, c_start), (_, _, s_arch, c_arch) = events[0], events[3]
    (_, _, s_dis0, c_dis0), (_, _, s_end, c_end) = events[4], events[5]
    assert torch.equal(s_start, student0) and torch.equal(c_start, critic0)
    assert not torch.equal(s_arch, student0) and torch.equal(c_arch, critic0)
    assert torch.equal(s_dis0, s_arch) and torch.equal(c_dis0, critic0)
    assert torch.equal(s_end, s_arch) and not torch.equal(c_end, critic0)


def test_wrong_optimizer_config_is_explained():
    model, _ = build(load_cfg())
    plain = build_optim_wrapper(model, dict(optimizer=dict(type='SGD', lr=0.01)))
    with pytest.raises(ValueError, match="SubModelOptimWrapperConstructor.*'discriminator'"):
        model.train_step(raw_batch(), plain)


def test_channel_mismatch_without_alignment_names_both_shapes():
    cfg = load_cfg()
    cfg.model.distiller.loss_forward_mappings.loss_str.preds_S.connector = 'cdm'
    model, _ = build(cfg)
    align = model.distiller.connectors['align']  # its channels found on the built models
    shapes = (rf'\(2, {align.conv_module.in_channels}, 8, 16, 16\).*'
              rf'\(2, {align.conv_module.out_channels}, 8, 16, 16\)')
    with pytest.raises(DistillLossError, match=shapes):
        student_step_losses(model, raw_batch())


def test_odd_feature_sizes_and_all_ignored_labels_give_finite_losses():
    model, optim_wrapper = build(load_cfg())
    model.data_preprocessor.size = (76, 76)  # stage-1 features of 19x19: odd at every level
    log_vars = model.train_step(raw_batch(size=76, labels=255), optim_wrapper)
    assert all(torch.isfinite(torch.as_tensor(v)) for v in log_vars.values()), log_vars


def test_switching_terms_off_from_the_config():
    cfg = load_cfg(model=dict(adversarial=None))
    cfg.model.distiller.distill_losses.loss_sta = None
    model, optim_wrapper = build(cfg)
    assert not hasattr(model, 'discriminator')
    assert not {'dtiem', 'dtiem_target'} & set(model.distiller.connectors)
    log_vars = model.train_step(raw_batch(), optim_wrapper)
    assert not any(k.startswith('adv.') or 'loss_sta' in k for k in log_vars)


@pytest.mark.usefixtures('embedded_data')
def test_resume_restores_critic_and_every_optimizer_exactly(tmp_path):
    options = {'train_cfg.max_iters': 2, 'train_cfg.val_interval': 100,
               'default_hooks.checkpoint.interval': 2, 'train_dataloader.batch_size': 2,
               'train_dataloader.num_workers': 0, 'work_dir': str(tmp_path)}
    first = build_runner(load_cfg(**options))
    first.train()
    ckpt = torch.load(tmp_path / 'iter_2.pth', map_location='cpu', weights_only=False)
    assert set(ckpt['optimizer']) == {'architecture', 'distiller', 'discriminator'}
    assert any(k.startswith('discriminator.') for k in ckpt['state_dict'])

    resumed = build_runner(load_cfg(**options, resume=True))
    resumed.train()  # resumes at iteration 2 of 2: loads everything, trains nothing
    assert resumed.iter == 2
    state = resumed.model.state_dict()
    for key, value in ckpt['state_dict'].items():
        assert torch.equal(state[key], value), key
    optim_state = resumed.optim_wrapper.state_dict()
    for key in ckpt['optimizer']:
        _assert_same_state(optim_state[key], ckpt['optimizer'][key])
    assert optim_state['discriminator']['state'], 'Adam moments were saved and restored'


def _assert_same_state(a, b):
    if torch.is_tensor(a):
        assert torch.equal(a, b)
    elif isinstance(a, dict):
        assert a.keys() == b.keys()
        for k in a:
            _assert_same_state(a[k], b[k])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _assert_same_state(x, y)
    else:
        assert a == b


def test_a_segformer_student_by_pointing_the_recorders_at_its_stage():
    """A MiT backbone returns its stages from forward(): record that method and pick stage 1
    (``data_idx=0``); the texture branches then work as for ResNet."""
    from mmfreqkd.models import load_model_config
    cfg = load_cfg(model=dict(adversarial=None))
    cfg.model.architecture = dict(
        type='mmseg.EncoderDecoder',
        data_preprocessor=load_model_config(cfg.model.teacher.cfg_path).model.data_preprocessor,
        backbone=dict(type='MixVisionTransformer', embed_dims=16, num_layers=[1, 1, 1, 1],
                      num_heads=[1, 2, 4, 8]),
        decode_head=dict(type='SegformerHead', in_channels=[16, 32, 64, 128],
                         in_index=[0, 1, 2, 3], channels=32, num_classes=5,
                         loss_decode=dict(type='CrossEntropyLoss')))
    distiller = cfg.model.distiller
    distiller.distill_losses.loss_kd = None  # logits at 1/4 (student) and 1/8 (teacher)
    distiller.student_recorders.low_level = dict(
        type='MethodOutputs', source='mmseg.models.backbones.MixVisionTransformer.forward')
    for loss in ('loss_str', 'loss_sta'):
        distiller.loss_forward_mappings[loss].preds_S.data_idx = 0
    distiller.connectors.align.in_channel = 16
    model, optim_wrapper = build(cfg)
    log_vars = model.train_step(raw_batch(), optim_wrapper)
    assert log_vars['distill.loss_str'] > 0 and log_vars['distill.loss_sta'] > 0


class _CPUAmpOptimWrapper(AmpOptimWrapper):
    """mmengine's AmpOptimWrapper (its backward, step and scaler logic) with a CPU GradScaler:
    the stock class refuses to build without a GPU."""

    def __init__(self, optimizer, init_scale):
        OptimWrapper.__init__(self, optimizer)
        self._scale_update_param = None
        self.loss_scaler = torch.amp.GradScaler('cpu', init_scale=init_scale)


def test_student_step_under_amp_unscales_every_optimizer_with_one_scaler():
    """The student step backpropagates once with the leading wrapper's loss scale; the other
    wrappers step through the same scaler (unscaled gradients), which updates once."""
    a, b = torch.nn.Parameter(torch.ones(3)), torch.nn.Parameter(torch.ones(2))
    lead = _CPUAmpOptimWrapper(torch.optim.SGD([a], lr=1.0), init_scale=1024.0)
    other = OptimWrapper(torch.optim.SGD([b], lr=1.0))
    _step_together([lead, other], (2 * a).sum() + (3 * b).sum())
    torch.testing.assert_close(a.detach(), torch.full((3, ), -1.0))  # 1 - lr * 2
    torch.testing.assert_close(b.detach(), torch.full((2, ), -2.0))  # 1 - lr * 3
    assert a.grad is None or not a.grad.any()
    assert lead.loss_scaler.get_scale() == 1024.0  # finite gradients: one update, scale kept


def test_calibration_leaves_the_adversarial_term_as_configured():
    """Its critic is untrained before training: its share then says nothing of later."""
    model, _ = build(load_cfg(model=dict(calibration=dict(target=1.0))))
    calibrated = calibrate(model, itertools.repeat(raw_batch()))
    assert {t.name for t in calibrated} == {'distill.loss_kd', 'distill.loss_str',
                                            'distill.loss_sta'}
    model, _ = build(load_cfg(model=dict(calibration=dict(targets={'adv.loss_g': 0.1}))))
    assert 'adv.loss_g' in {t.name for t in calibrate(model, itertools.repeat(raw_batch()))}
