# DS2D2 on oriented R-CNN (beyond the official code): R101-FPN -> R18-FPN on DOTA-v1.0 OBB,
# mmrotate's 1x protocol, the official Faster R-CNN/DOTA coefficients ([our default] for the
# oriented variant: a_L = 0.12, a_H = 1.2, b_F = 1.5e-3, b_H = 3e-3); DISW over the cells each
# rotated box covers, RoI amplifiers on the student's rotated RoIs with 5-number deltas.
_base_ = [
    'mmrotate::_base_/datasets/dota.py', 'mmrotate::_base_/schedules/schedule_1x.py',
    'mmrotate::_base_/default_runtime.py', '../_base_/mmfreqkd_runtime.py',
    '../_base_/algorithms/ds2d2_two_stage.py'
]
model = dict(
    architecture=dict(
        cfg_path='{{fileDirname}}/detectors/oriented-rcnn-le90_r18_fpn_1x_dota.py'),
    teacher=dict(cfg_path='{{fileDirname}}/detectors/oriented-rcnn-le90_r101_fpn_1x_dota.py'),
    teacher_ckpt='work_dirs/oriented-rcnn-le90_r101_fpn_1x_dota/epoch_12.pth',
    trust_checkpoints=True,  # your own mmengine checkpoints (not weights-only files)
    distiller=dict(distill_losses=dict(loss_low=dict(loss_weight=0.12),
                                       loss_high=dict(loss_weight=1.2))),
    full_amplifier=dict(loss=dict(loss_weight=1.5e-3)),
    high_amplifier=dict(
        loss=dict(loss_weight=3e-3),
        checkpoint='work_dirs/amplifier_oriented-rcnn-le90_r101_fpn_1x_dota/epoch_12.pth'))
find_unused_parameters = True
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
