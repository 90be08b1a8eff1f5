# DS2D2's amplifier stage (docs/methods/ds2d2.md, Recipe step 2) for the RTMDet teacher on the
# embedded dense small-object set: backbone and FPN frozen, the head trained on high-frequency
# maps of the FPN levels (mmfreqkd.HighFrequencyFPN).
_base_ = '../embedded/rtmdet_r18w32_fpn_1xb4-1k_densedet-128x128.py'
load_from = 'work_dirs/rtmdet_r18w32_fpn_1xb4-1k_densedet-128x128/exported.pth'
model = dict(
    backbone=dict(frozen_stages=4, norm_eval=True),
    neck=dict(type='mmfreqkd.HighFrequencyFPN', wavelet='haar', mode='zero', frozen=True))
