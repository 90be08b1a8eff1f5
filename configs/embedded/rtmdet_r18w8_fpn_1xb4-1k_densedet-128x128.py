# RTMDet head on R18 at a quarter of the width (stage channels 8 to 64) on the embedded dense
# small-object set: the student of DS2D2's RTMDet pair; its FPN and head keep the teacher's 32
# channels.
_base_ = './rtmdet_r18w32_fpn_1xb4-1k_densedet-128x128.py'
width = 8
model = dict(
    backbone=dict(base_channels=width),
    neck=dict(in_channels=[width, 2 * width, 4 * width, 8 * width]))
