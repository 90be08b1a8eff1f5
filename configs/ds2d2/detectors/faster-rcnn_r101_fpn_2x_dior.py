# Faster R-CNN R101-FPN on DIOR, 2x: DS2D2's teacher (recipe step 1; METHODS.md 2.1).
_base_ = './faster-rcnn_r50_fpn_2x_dior.py'
model = dict(backbone=dict(depth=101, init_cfg=dict(checkpoint='torchvision://resnet101')))
