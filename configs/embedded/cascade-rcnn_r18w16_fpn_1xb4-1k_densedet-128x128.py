# Cascade R-CNN R18 at half the width on the embedded dense small-object set: the student of
# DS2D2's Cascade R-CNN pair; its FPN and heads keep the teacher's width.
_base_ = './cascade-rcnn_r18w32_fpn_1xb4-1k_densedet-128x128.py'
width = 16
model = dict(
    backbone=dict(base_channels=width),
    neck=dict(in_channels=[width, 2 * width, 4 * width, 8 * width]))
