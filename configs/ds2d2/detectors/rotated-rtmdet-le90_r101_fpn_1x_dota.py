# Rotated RTMDet's head (le90) on R101-FPN on DOTA-v1.0 (OBB): DS2D2's rotated RTMDet teacher.
_base_ = './rotated-rtmdet-le90_r18_fpn_1x_dota.py'
model = dict(
    backbone=dict(
        depth=101, init_cfg=dict(type='Pretrained', checkpoint='torchvision://resnet101')),
    neck=dict(in_channels=[256, 512, 1024, 2048]))
