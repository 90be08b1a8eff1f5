# SFKD on detection, heterogeneous pair: RetinaNet with a Swin-T backbone (mmdet's stock
# config) -> RetinaNet R18, both with a 5-level, 256-channel FPN; the SFKD block on every level,
# on mmdet's COCO 1x recipe. mmdet publishes no weights for this teacher: train it first
# (`tools/train.py mmdet::swin/retinanet_swin-t-p4-w7_fpn_1x_coco.py`) and point teacher_ckpt
# at its last checkpoint.
_base_ = [
    'mmdet::_base_/datasets/coco_detection.py', 'mmdet::_base_/schedules/schedule_1x.py',
    '../_base_/det_runtime.py', '../_base_/algorithms/sfkd_fpn.py'
]
default_hooks = dict(
    logger=dict(log_metric_by_epoch=True), checkpoint=dict(by_epoch=True, interval=1))
log_processor = dict(by_epoch=True)
teacher_ckpt = 'work_dirs/retinanet_swin-t-p4-w7_fpn_1x_coco/epoch_12.pth'
model = dict(
    architecture=dict(cfg_path='mmdet::retinanet/retinanet_r18_fpn_1x_coco.py'),
    teacher=dict(cfg_path='mmdet::swin/retinanet_swin-t-p4-w7_fpn_1x_coco.py'),
    teacher_ckpt=teacher_ckpt)
# the student's own mmdet recipe (retinanet_r18_fpn_1x_coco.py: SGD at lr 0.01)
optim_wrapper = dict(optimizer=dict(lr=0.01))
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
