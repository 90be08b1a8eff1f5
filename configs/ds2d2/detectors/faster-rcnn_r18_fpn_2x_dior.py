# Faster R-CNN R18-FPN on DIOR, 2x (DS2D2's student and its no-KD baseline; docs/methods/ds2d2.md,
# Configs): mmdet's stock Faster R-CNN with a ResNet-18 and 20 classes, the base lr 0.02 (0.01 with
# the official 4 GPUs x 2 images and --auto-scale-lr).
_base_ = [
    '../../_base_/models/faster-rcnn_r18_fpn.py', '../../_base_/datasets/dior_hbb.py',
    'mmdet::_base_/schedules/schedule_2x.py', 'mmdet::_base_/default_runtime.py',
    '../../_base_/mmfreqkd_runtime.py'
]
model = dict(roi_head=dict(bbox_head=dict(num_classes=20)))
