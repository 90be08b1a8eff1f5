# RetinaNet R101-FPN on DOTA-v1.0 horizontal boxes, 2x: DS2D2's teacher (recipe step 1;
# docs/methods/ds2d2.md, Recipe).
_base_ = './retinanet_r50_fpn_2x_dota-hbb.py'
model = dict(backbone=dict(depth=101, init_cfg=dict(checkpoint='torchvision://resnet101')))
