# The student of the embedded oriented-object set: the rotated teacher at the dense student's
# width (densedet_retinanet_r18w16.py).
_base_ = ['./rotdet_rotated_retinanet_r18w32.py']
width = 16
model = dict(
    backbone=dict(base_channels=width),
    neck=dict(in_channels=[width, 2 * width, 4 * width, 8 * width], out_channels=2 * width),
    bbox_head=dict(in_channels=2 * width, feat_channels=2 * width))
