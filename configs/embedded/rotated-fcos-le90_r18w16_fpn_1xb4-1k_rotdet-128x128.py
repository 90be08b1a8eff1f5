# rotated FCOS (le90) R18 at half the width on the embedded oriented-object set: the student of
# DS2D2's rotated FCOS pair; its FPN and head keep the teacher's 32 channels.
_base_ = './rotated-fcos-le90_r18w32_fpn_1xb4-1k_rotdet-128x128.py'
width = 16
model = dict(
    backbone=dict(base_channels=width),
    neck=dict(in_channels=[width, 2 * width, 4 * width, 8 * width]))
