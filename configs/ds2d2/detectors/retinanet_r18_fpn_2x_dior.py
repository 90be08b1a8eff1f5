# RetinaNet R18-FPN on DIOR, 2x (DS2D2's student and its no-KD baseline; docs/methods/ds2d2.md,
# Configs): mmdet's stock RetinaNet R18 with 20 classes, lr 0.005 as DS2D2's RetinaNet configs (the
# official R18 baseline keeps 0.01: set optim_wrapper.optimizer.lr=0.01 to reproduce that
# discrepancy). The official runs use 4 GPUs x 2 images with --auto-scale-lr (base batch 16).
_base_ = [
    '../../_base_/models/retinanet_r18_fpn.py', '../../_base_/datasets/dior_hbb.py',
    'mmdet::_base_/schedules/schedule_2x.py', 'mmdet::_base_/default_runtime.py',
    '../../_base_/mmfreqkd_runtime.py'
]
model = dict(bbox_head=dict(num_classes=20))
optim_wrapper = dict(optimizer=dict(lr=0.005))
