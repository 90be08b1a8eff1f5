# DS2D2's amplifier stage for the Cascade R-CNN teacher on the embedded dense small-object set:
# backbone and FPN frozen, RPN and the three-stage RoI head trained on high-frequency FPN maps
# (the RoI head serves as the amplifier later).
_base_ = '../embedded/cascade-rcnn_r18w32_fpn_1xb4-1k_densedet-128x128.py'
load_from = 'work_dirs/cascade-rcnn_r18w32_fpn_1xb4-1k_densedet-128x128/exported.pth'
model = dict(
    backbone=dict(frozen_stages=4, norm_eval=True),
    neck=dict(type='mmfreqkd.HighFrequencyFPN', wavelet='haar', mode='zero', frozen=True))
