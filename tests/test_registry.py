"""Every class registered in mmfreqkd's registries is reachable from mmrazor's scope and builds.

Parametrised over the registries (like timm's tests over its model registry): a class added by a
later module joins automatically, and fails until it gets an entry in ``EXAMPLES``.
"""
import pytest
from mmengine.registry import DATASETS as ROOT_DATASETS
from mmengine.registry import HOOKS as ROOT_HOOKS
from mmengine.registry import METRICS as ROOT_METRICS
from mmengine.registry import MODELS as ROOT_MODELS
from mmengine.registry import OPTIM_WRAPPER_CONSTRUCTORS as ROOT_CONSTRUCTORS
from mmengine.registry import TRANSFORMS as ROOT_TRANSFORMS
from mmengine.registry import DefaultScope
from mmrazor.registry import MODELS as RAZOR_MODELS
from mmrazor.registry import TASK_UTILS as RAZOR_TASK_UTILS

import mmfreqkd.datasets  # noqa: F401  (registers every class)
import mmfreqkd.engine  # noqa: F401
import mmfreqkd.evaluation  # noqa: F401
import mmfreqkd.models  # noqa: F401
from mmfreqkd.registry import (DATASETS, HOOKS, METRICS, MODELS, OPTIM_WRAPPER_CONSTRUCTORS,
                               TASK_UTILS, TRANSFORMS)

_TEXSEG = 'configs/embedded/pspnet_r18w{}-d8_1xb8-1k_texseg-64x64.py'
_DENSEDET = 'configs/embedded/retinanet_r18w{}_fpn_1xb4-1k_densedet-128x128.py'
_FPN = dict(type='ModuleOutputs', source='neck')
_LOGITS = dict(type='ModuleOutputs', source='decode_head.conv_seg')
_DISTILLER = dict(
    student_recorders=dict(logits=_LOGITS),
    teacher_recorders=dict(logits=_LOGITS),
    distill_losses=dict(loss_kd=dict(type='mmfreqkd.PixelWiseKLLoss')),
    loss_forward_mappings=dict(loss_kd=dict(
        preds_S=dict(from_student=True, recorder='logits'),
        preds_T=dict(from_student=False, recorder='logits'))))
_PAIR = dict(architecture=dict(cfg_path=_TEXSEG.format(4)),
             teacher=dict(cfg_path=_TEXSEG.format(32)))

#: A minimal config for each registered class.
EXAMPLES = {
    'SingleTeacherKD': dict(
        architecture=dict(cfg_path=_TEXSEG.format(4)),
        teacher=dict(cfg_path=_TEXSEG.format(32)),
        distiller=dict(
            type='ConfigurableDistiller',
            student_recorders=dict(logits=_LOGITS),
            teacher_recorders=dict(logits=_LOGITS),
            distill_losses=dict(loss_cwd=dict(type='ChannelWiseDivergence', tau=1)),
            loss_forward_mappings=dict(loss_cwd=dict(
                preds_S=dict(from_student=True, recorder='logits'),
                preds_T=dict(from_student=False, recorder='logits')))),
        allow_random_teacher=True),
    'SSTKD': dict(
        **_PAIR, allow_random_teacher=True,
        distiller=dict(type='mmfreqkd.FreqKDDistiller', **_DISTILLER),
        adversarial=dict(discriminator=dict(type='mmfreqkd.SelfAttentionDiscriminator',
                                            in_channels=5, num_layers=3))),
    'FreqKDDistiller': _DISTILLER,
    'DS2D2': dict(
        architecture=dict(cfg_path=_DENSEDET.format(8)),
        teacher=dict(cfg_path=_DENSEDET.format(32)),
        distiller=dict(type='mmfreqkd.FreqKDDistiller', student_recorders=dict(fpn=_FPN),
                       teacher_recorders=dict(fpn=_FPN)),
        full_amplifier=dict(loss=dict(type='mmfreqkd.DenseAmplifierLoss')),
        allow_random_teacher=True),
    'DISWFeatureLoss': dict(band='high', disw_dtype='float16'),
    'DenseAmplifierLoss': dict(beta=1.0),
    'RoIAmplifierLoss': dict(official_avg_factor=False),
    'SharedLevelAdapter': dict(in_channels=8, out_channels=8),
    'WaveletBandsConnector': dict(wavelet='db2'),
    'HighFrequencyFPN': dict(in_channels=[8, 16], out_channels=8, num_outs=2),
    'ContourletConnector': dict(levels=3, n_dirs=8),
    'DTIEMConnector': dict(in_channels=32),
    'StructuralTextureLoss': dict(),
    'StatisticalTextureLoss': dict(),
    'PixelWiseKLLoss': dict(tau=1, loss_weight=10),
    'WGANGeneratorLoss': dict(),
    'WGANGPDiscriminatorLoss': dict(),
    'SelfAttentionDiscriminator': dict(in_channels=19),
    'SubModelOptimWrapperConstructor': dict(optim_wrapper_cfg=dict(
        architecture=dict(optimizer=dict(type='SGD', lr=0.01)))),
    'FeatureTruncationHead': dict(head=dict(type='FCNHead', in_channels=8, channels=8,
                                            num_classes=3), ratio=0.5),
    'SpectralMonitorHook': dict(interval=10),
    'NonFiniteGuardHook': dict(max_skips=2),
    'RandomStateHook': dict(),
    'AtomicCheckpointHook': dict(interval=2, max_keep_ckpts=1),
    'LossBalanceHook': dict(interval=10),
    'LossCalibrationHook': dict(),
    'BlockwiseLabel': dict(block_size=8),
    'SkipUnreadable': dict(transforms=[dict(type='LoadImageFromFile')]),
    'GaussianFrequencyLoss': dict(mode='amplitude'),
    'WaveletBandLoss': dict(level=1),
    'InfoNCEFeatureLoss': dict(tau=0.2),
    'IntensityKLLoss': dict(loss_weight=0.1),
    'OFALoss': dict(eps=1.5),
    'OFAProjector': dict(in_channels=8, out_channels=96, num_classes=15, downsamples=2),
    'TokensToMap': dict(grid=(14, 14)),
    'ProjectResize': dict(in_channels=8, out_channels=16, size=(7, 7)),
    'DS2SRefiner': dict(channels=8, light=True),
    'PSNR': dict(crop_border=4, y_channel=True),
    'SSIM': dict(crop_border=4),
    'PairedImageDataset': dict(layout='gopro', data_root='data/GoPro/test', lazy_init=True),
    'LoadImagePair': dict(),
    'PackImagePair': dict(),
    'PairedRandomCrop': dict(crop_size=128),
    'PairedRandomFlip': dict(vertical_prob=0.5),
    'MultiTeacherKD': dict(
        architecture=dict(cfg_path=_TEXSEG.format(4)),
        teachers=dict(wide=dict(model=dict(cfg_path=_TEXSEG.format(32)))),
        distiller=dict(_DISTILLER, type='ConfigurableDistiller', teacher_recorders=dict(
            logits=dict(_LOGITS, source='wide.decode_head.conv_seg'))),
        allow_random_teacher=True),
    'ScaleConversionModule': dict(in_channels=16),
    'NaturalSceneStatisticsLoss': dict(mode='maps'),
    'PerceptionCueLoss': dict(cues=('activity', 'edges')),
    'NAFNet': dict(width=8, enc_blocks=(1, ), dec_blocks=(1, )),
    'Restormer': dict(width=8, enc_blocks=(1, ), latent_blocks=1, dec_blocks=(1, ),
                      heads=(1, 1), refinement_blocks=0),
    'PrunedRBboxOverlaps2D': dict(),
}

REGISTERED = sorted(
    [('MODELS', name) for name in MODELS.module_dict] +
    [('TASK_UTILS', name) for name in TASK_UTILS.module_dict] +
    [('OPTIM_WRAPPER_CONSTRUCTORS', name) for name in OPTIM_WRAPPER_CONSTRUCTORS.module_dict] +
    [('HOOKS', name) for name in HOOKS.module_dict] +
    [('TRANSFORMS', name) for name in TRANSFORMS.module_dict] +
    [('METRICS', name) for name in METRICS.module_dict] +
    [('DATASETS', name) for name in DATASETS.module_dict])


def test_registries_are_children_of_mmrazor():
    assert MODELS.parent is RAZOR_MODELS and MODELS.scope == 'mmfreqkd'
    assert TASK_UTILS.scope == 'mmfreqkd'
    assert MODELS._locations == ['mmfreqkd.models', 'mmfreqkd.analysis']


def test_registry_is_not_empty():
    assert REGISTERED


@pytest.mark.parametrize('registry,name', REGISTERED)
def test_registered_class_builds_from_mmrazor_scope(registry, name):
    assert name in EXAMPLES, f'add an example config for {name} to tests/test_registry.py'
    cfg = dict(EXAMPLES[name], type=f'mmfreqkd.{name}', _scope_='mmrazor')
    parent = dict(MODELS=RAZOR_MODELS, TASK_UTILS=RAZOR_TASK_UTILS,
                  OPTIM_WRAPPER_CONSTRUCTORS=ROOT_CONSTRUCTORS, HOOKS=ROOT_HOOKS,
                  TRANSFORMS=ROOT_TRANSFORMS, METRICS=ROOT_METRICS,
                  DATASETS=ROOT_DATASETS)[registry]
    with DefaultScope.overwrite_default_scope('mmrazor'):
        obj = parent.build(cfg)
    assert type(obj).__name__ == name


@pytest.mark.parametrize('scope', ['mmseg', 'mmdet'])
def test_models_are_reachable_from_a_stock_codebase_scope(scope):
    """A stock mmseg/mmdet model may name ``type='mmfreqkd.X'`` (e.g. a decode head) without
    the mmrazor scope: the root registry resolves our scope."""
    import importlib
    registry = importlib.import_module(f'{scope}.registry').MODELS
    assert registry.get('mmfreqkd.FeatureTruncationHead').__name__ == 'FeatureTruncationHead'
    assert registry.get('mmfreqkd.PixelWiseKLLoss').__name__ == 'PixelWiseKLLoss'
    assert ROOT_MODELS.get('mmfreqkd.SSTKD').__name__ == 'SSTKD'


@pytest.mark.parametrize('config, key, typo, meant', [
    ('sstkd/sstkd_pspnet_r18w32_pspnet_r18w4_1xb8-1k_texseg-64x64.py',
     'model.distiller.distill_losses.loss_str', 'mmfreqkd.StructuralTextureLos',
     'mmfreqkd.StructuralTextureLoss'),
    ('sstkd/sstkd_pspnet_r18w32_pspnet_r18w4_1xb8-1k_texseg-64x64.py',
     'model.adversarial.discriminator', 'mmfreqkd.SelfAttentionDiscriminatr',
     'mmfreqkd.SelfAttentionDiscriminator'),
    ('ds2d2/ds2d2_retinanet_r18w32_retinanet_r18w8_1xb4-1k_densedet-128x128.py',
     'model.full_amplifier.loss', 'DenseAmplifierLos', 'mmfreqkd.DenseAmplifierLoss'),
    ('ds2d2/ds2d2_retinanet_r18w32_retinanet_r18w8_1xb4-1k_densedet-128x128.py',
     'model.distiller.connectors.dwt', 'mmfreqkd.WaveletBandConnector',
     'mmfreqkd.WaveletBandsConnector'),
])
def test_a_mistyped_type_names_its_config_key_and_the_closest_names(config, key, typo, meant):
    import copy

    from conftest import config_path
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    cfg = Config.fromfile(config_path(*config.split('/')))
    cfg.model.teacher_ckpt = None
    cfg.model.allow_random_teacher = True
    if cfg.model.get('high_amplifier'):
        cfg.model.high_amplifier.checkpoint = None
    cfg.merge_from_dict({f'{key}.type': typo})
    init_default_scope(cfg.default_scope)
    with pytest.raises(KeyError, match=rf"{key}\.type='{typo}' is not registered; did you "
                       rf"mean '{meant}'"):
        ROOT_MODELS.build(copy.deepcopy(cfg.model))
