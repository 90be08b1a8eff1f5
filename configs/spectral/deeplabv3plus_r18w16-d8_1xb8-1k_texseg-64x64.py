# DeepLabV3+ (ResNetV1c-18, width 16) on the embedded texture set: the full-resolution reference
# of the spectral-analysis experiments (feature truncation ratio 1, full labels), with the
# spectral monitor logging which frequencies the cross-entropy lives in during training.
_base_ = [
    '../_base_/models/texseg_deeplabv3plus_r18w16.py', '../_base_/datasets/texseg.py',
    '../_base_/schedules/texseg_1k.py', 'mmseg::_base_/default_runtime.py',
    '../_base_/mmfreqkd_runtime.py'
]
custom_hooks = [
    dict(type='mmfreqkd.SpectralMonitorHook', interval=50),
    dict(type='mmfreqkd.NonFiniteGuardHook'),
    dict(type='mmfreqkd.RandomStateHook'),
]
