# DS2D2's amplifier stage for the oriented R-CNN teacher on the embedded oriented-object set:
# backbone and FPN frozen, RPN and RoI head trained on high-frequency FPN maps (only the RoI
# head serves as the amplifier later; docs/methods/ds2d2.md, Recipe).
_base_ = '../embedded/oriented-rcnn-le90_r18w32_fpn_1xb4-1k_rotdet-128x128.py'
load_from = 'work_dirs/oriented-rcnn-le90_r18w32_fpn_1xb4-1k_rotdet-128x128/exported.pth'
model = dict(
    backbone=dict(frozen_stages=4, norm_eval=True),
    neck=dict(type='mmfreqkd.HighFrequencyFPN', wavelet='haar', mode='zero', frozen=True))
