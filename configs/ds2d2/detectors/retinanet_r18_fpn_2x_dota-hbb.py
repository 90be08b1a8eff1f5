# RetinaNet R18-FPN on DOTA-v1.0 horizontal boxes, 2x (DS2D2's student; docs/methods/ds2d2.md,
# Configs).
_base_ = [
    '../../_base_/models/retinanet_r18_fpn.py', '../../_base_/datasets/dota_hbb.py',
    'mmdet::_base_/schedules/schedule_2x.py', 'mmdet::_base_/default_runtime.py',
    '../../_base_/mmfreqkd_runtime.py'
]
model = dict(bbox_head=dict(num_classes=15))
optim_wrapper = dict(optimizer=dict(lr=0.005))
