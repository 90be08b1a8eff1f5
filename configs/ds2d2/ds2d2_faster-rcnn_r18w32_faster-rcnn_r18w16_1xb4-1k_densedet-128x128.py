# DS2D2 for two-stage detectors on the embedded dense small-object set: Faster R-CNN R18 width
# 32 -> width 16 (FPN 64 channels on both sides), with the Faster R-CNN terms of
# ../_base_/algorithms/ds2d2_two_stage.py, each calibrated to the detection loss's gradient share
# before training (every_term_calibrated there). Recipe as for RetinaNet: teacher, amplifier stage
# (amplifier_faster-rcnn_r18w32_fpn_1xb4-1k_densedet-128x128.py), then this config.
_base_ = [
    '../_base_/datasets/densedet.py', '../_base_/schedules/det_1k.py',
    '../_base_/det_runtime.py', '../_base_/algorithms/ds2d2_two_stage.py'
]
teacher_cfg = '../embedded/faster-rcnn_r18w32_fpn_1xb4-1k_densedet-128x128.py'
student_cfg = '../embedded/faster-rcnn_r18w16_fpn_1xb4-1k_densedet-128x128.py'
teacher_ckpt = 'work_dirs/faster-rcnn_r18w32_fpn_1xb4-1k_densedet-128x128/exported.pth'
amplifier_ckpt = ('work_dirs/amplifier_faster-rcnn_r18w32_fpn_1xb4-1k_densedet-128x128/'
                  'exported.pth')
model = dict(
    architecture=dict(cfg_path='{{fileDirname}}/' + student_cfg),
    teacher=dict(cfg_path='{{fileDirname}}/' + teacher_cfg),
    teacher_ckpt=teacher_ckpt,
    distiller=dict(connectors=dict(adapter=dict(in_channels=64, out_channels=64))),
    high_amplifier=dict(checkpoint=amplifier_ckpt),
    calibration={{_base_.every_term_calibrated}})
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
