# Rotated FCOS (le90) R101-FPN on DOTA-v1.0 (OBB): DS2D2's rotated FCOS teacher.
_base_ = './rotated-fcos-le90_r18_fpn_1x_dota.py'
model = dict(
    backbone=dict(
        depth=101, init_cfg=dict(type='Pretrained', checkpoint='torchvision://resnet101')),
    neck=dict(in_channels=[256, 512, 1024, 2048]))
