# RetinaNet R50-FPN on DIOR, 2x: DS2D2's R50 student.
_base_ = './retinanet_r18_fpn_2x_dior.py'
model = dict(
    backbone=dict(
        depth=50, init_cfg=dict(type='Pretrained', checkpoint='torchvision://resnet50')),
    neck=dict(in_channels=[256, 512, 1024, 2048]))
