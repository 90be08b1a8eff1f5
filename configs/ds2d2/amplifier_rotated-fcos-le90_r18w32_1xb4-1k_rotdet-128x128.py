# DS2D2's amplifier stage for the rotated FCOS teacher on the embedded oriented-object set:
# backbone and FPN frozen, the head trained on high-frequency FPN maps (HighFrequencyFPN).
_base_ = '../embedded/rotated-fcos-le90_r18w32_fpn_1xb4-1k_rotdet-128x128.py'
load_from = 'work_dirs/rotated-fcos-le90_r18w32_fpn_1xb4-1k_rotdet-128x128/exported.pth'
model = dict(
    backbone=dict(frozen_stages=4, norm_eval=True),
    neck=dict(type='mmfreqkd.HighFrequencyFPN', wavelet='haar', mode='zero', frozen=True))
