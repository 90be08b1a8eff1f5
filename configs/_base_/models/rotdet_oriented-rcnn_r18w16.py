# The oriented R-CNN student of the embedded oriented-object set: rotdet_oriented-rcnn_r18w32.py
# with a half-width backbone; FPN and heads keep the teacher's width.
_base_ = './rotdet_oriented-rcnn_r18w32.py'
width = 16
model = dict(
    backbone=dict(base_channels=width),
    neck=dict(in_channels=[width, 2 * width, 4 * width, 8 * width]))
