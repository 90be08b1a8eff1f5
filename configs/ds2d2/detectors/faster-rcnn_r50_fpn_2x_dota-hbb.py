# Faster R-CNN R50-FPN on DOTA-v1.0 horizontal boxes, 2x: DS2D2's R50 student.
_base_ = './faster-rcnn_r18_fpn_2x_dota-hbb.py'
model = dict(
    backbone=dict(
        depth=50, init_cfg=dict(type='Pretrained', checkpoint='torchvision://resnet50')),
    neck=dict(in_channels=[256, 512, 1024, 2048]))
