# RTMDet's head on R101-FPN on DIOR, 2x: DS2D2's RTMDet teacher.
_base_ = './rtmdet_r18_fpn_2x_dior.py'
model = dict(
    backbone=dict(
        depth=101, init_cfg=dict(type='Pretrained', checkpoint='torchvision://resnet101')),
    neck=dict(in_channels=[256, 512, 1024, 2048]))
