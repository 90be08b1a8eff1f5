"""The SSTKD probe: the low-level stage (last backbone stage at stride 4) and its channels of
mmseg's stock models, and a new pair (a MobileNetV2 student for the embedded ResNet teacher)
configured by its models alone."""
import pytest
import torch
from conftest import build_for_training as build
from conftest import config_path, training_batch
from mmengine.config import Config

from mmfreqkd.models import build_model
from mmfreqkd.models.algorithms.segmentor_probe import (fill_placeholders, has_placeholders,
                                                        low_level_stage)

SSTKD = config_path('sstkd', 'sstkd_pspnet_r18w32_pspnet_r18w4_1xb8-1k_texseg-64x64.py')
MOBILENET = 'mmseg::mobilenet_v2/mobilenet-v2-d8_pspnet_4xb2-80k_cityscapes-512x1024.py'


@pytest.mark.parametrize('cfg_path, stage, channels', [
    # mmseg's ResNetV1c: stem and max-pool at stride 4, then layer1 (64 x expansion channels)
    ('mmseg::pspnet/pspnet_r18-d8_4xb2-80k_cityscapes-512x1024.py', 'backbone.layer1', 64),
    ('mmseg::pspnet/pspnet_r101-d8_4xb2-80k_cityscapes-512x1024.py', 'backbone.layer1', 256),
    # MobileNetV2 (Sandler et al., Table 2): the 24-channel bottlenecks end the stride-4 stage
    (MOBILENET, 'backbone.layer2', 24),
])
def test_low_level_stage_of_stock_mmseg_models(cfg_path, stage, channels):
    model = build_model(dict(cfg_path=cfg_path), 'architecture')
    model.train()
    assert low_level_stage(model) == (stage, channels)
    assert model.training  # the probe restores the mode


def test_placeholders_are_filled_and_unknown_backbones_named():
    student = build_model(dict(cfg_path=MOBILENET), 'architecture')
    teacher = build_model(dict(cfg_path=config_path(
        'embedded', 'pspnet_r18w32-d8_1xb8-1k_texseg-64x64.py')), 'teacher')
    distiller = dict(student_recorders=dict(low=dict(type='ModuleOutputs', source='auto')),
                     teacher_recorders=dict(low=dict(type='ModuleOutputs', source='auto')),
                     connectors=dict(align=dict(in_channel='student.low_level',
                                                out_channel='teacher.low_level')))
    adversarial = dict(discriminator=dict(in_channels='teacher.num_classes'))
    assert has_placeholders(distiller) and has_placeholders(None, adversarial)
    distiller, adversarial = fill_placeholders(student, teacher, distiller, adversarial)
    assert distiller['student_recorders']['low']['source'] == 'backbone.layer2'
    assert distiller['teacher_recorders']['low']['source'] == 'backbone.layer1'
    assert distiller['connectors']['align'] == dict(in_channel=24, out_channel=32)
    assert adversarial['discriminator']['in_channels'] == 5
    assert not has_placeholders(distiller, adversarial)
    stemless = torch.nn.Module()
    stemless.backbone = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3, stride=8, padding=1))
    with pytest.raises(ValueError, match=r'no backbone stage outputs stride-4 maps \(children '
                       r'with map outputs: 0 \(stride 8\)\)'):
        low_level_stage(stemless)


def test_a_new_sstkd_pair_needs_only_its_models(embedded_data):
    """The embedded SSTKD config with mmseg's MobileNetV2 PSPNet as the student (its classes
    set to the embedded set's) and nothing else changed:
    every term finite and non-zero, the texture terms reaching the student's layer2."""
    cfg = Config.fromfile(SSTKD)
    cfg.model.teacher_ckpt = None
    cfg.model.allow_random_teacher = True
    cfg.model.architecture = dict(cfg_path=MOBILENET, decode_head=dict(num_classes=5),
                                  auxiliary_head=dict(num_classes=5))
    torch.manual_seed(0)
    model, _ = build(cfg)
    data = model.data_preprocessor(training_batch(cfg), True)
    losses = model.loss(data['inputs'], data['data_samples'])
    losses.update(model.generator_losses())
    stage = list(model.student.backbone.layer2.parameters())
    for term in ('distill.loss_kd', 'distill.loss_str', 'distill.loss_sta', 'adv.loss_g'):
        assert torch.isfinite(losses[term]) and losses[term] != 0, term
    for term in ('distill.loss_str', 'distill.loss_sta'):
        grads = torch.autograd.grad(losses[term], stage, retain_graph=True, allow_unused=True)
        assert any(g is not None and g.abs().sum() > 0 for g in grads), term
