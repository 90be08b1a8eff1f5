# The student of the embedded oriented-object set: the rotated teacher with a half-width
# backbone; FPN and head keep the teacher's width (as in densedet_retinanet_r18w8.py).
_base_ = ['./rotdet_rotated_retinanet_r18w32.py']
width = 16
model = dict(
    backbone=dict(base_channels=width),
    neck=dict(in_channels=[width, 2 * width, 4 * width, 8 * width]))
