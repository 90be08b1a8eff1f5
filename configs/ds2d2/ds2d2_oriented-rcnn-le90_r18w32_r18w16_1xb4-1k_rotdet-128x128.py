# DS2D2 on oriented R-CNN (beyond the official code): R18 width 32 -> width 16 on the embedded
# oriented-object set, in mmrotate's scope, with the two-stage terms of
# ../_base_/algorithms/ds2d2_two_stage.py: DISW over the cells each rotated box covers, the RoI
# amplifiers on the student's sampled rotated RoIs (rotated RoIAlign), L1 on the 5 rotated box
# deltas (x, y, w, h, angle); every term calibrated to the detection loss's gradient share before
# training (every_term_calibrated there). Recipe: teacher, amplifier stage
# (amplifier_oriented-rcnn-le90_r18w32_1xb4-1k_rotdet-128x128.py), then this config.
_base_ = [
    '../_base_/datasets/rotdet.py', '../_base_/schedules/det_1k.py',
    '../_base_/rotdet_runtime.py', '../_base_/algorithms/ds2d2_two_stage.py'
]
teacher_cfg = '../embedded/oriented-rcnn-le90_r18w32_fpn_1xb4-1k_rotdet-128x128.py'
student_cfg = '../embedded/oriented-rcnn-le90_r18w16_fpn_1xb4-1k_rotdet-128x128.py'
teacher_ckpt = 'work_dirs/oriented-rcnn-le90_r18w32_fpn_1xb4-1k_rotdet-128x128/exported.pth'
amplifier_ckpt = ('work_dirs/amplifier_oriented-rcnn-le90_r18w32_1xb4-1k_rotdet-128x128/'
                  'exported.pth')
model = dict(
    architecture=dict(cfg_path='{{fileDirname}}/' + student_cfg),
    teacher=dict(cfg_path='{{fileDirname}}/' + teacher_cfg),
    teacher_ckpt=teacher_ckpt,
    distiller=dict(connectors=dict(adapter=dict(in_channels=64, out_channels=64))),
    high_amplifier=dict(checkpoint=amplifier_ckpt),
    calibration={{_base_.every_term_calibrated}})
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
