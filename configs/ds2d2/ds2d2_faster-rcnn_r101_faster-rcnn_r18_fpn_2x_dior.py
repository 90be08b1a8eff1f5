# DS2D2, Faster R-CNN R101-FPN -> R18-FPN on DIOR, 2x, with the official Faster R-CNN/DIOR
# coefficients (a_L = a_H = 0.5, b_F = b_H = 1e-5 with the RoI-count factor; docs/methods/ds2d2.md,
# Implicit stream and Coefficients). Recipe: the teacher
# (detectors/faster-rcnn_r101_fpn_2x_dior.py), the amplifier stage
# (amplifier_faster-rcnn_r101_fpn_2x_dior.py), then this config; no public DIOR checkpoints exist,
# so both are your own runs (or pass model.teacher_ckpt=...).
_base_ = [
    '../_base_/datasets/dior_hbb.py', 'mmdet::_base_/schedules/schedule_2x.py',
    'mmdet::_base_/default_runtime.py', '../_base_/mmfreqkd_runtime.py',
    '../_base_/algorithms/ds2d2_two_stage.py'
]
model = dict(
    architecture=dict(cfg_path='{{fileDirname}}/detectors/faster-rcnn_r18_fpn_2x_dior.py'),
    teacher=dict(cfg_path='{{fileDirname}}/detectors/faster-rcnn_r101_fpn_2x_dior.py'),
    teacher_ckpt='work_dirs/faster-rcnn_r101_fpn_2x_dior/epoch_24.pth',
    trust_checkpoints=True,  # your own mmengine checkpoints (not weights-only files)
    high_amplifier=dict(
        checkpoint='work_dirs/amplifier_faster-rcnn_r101_fpn_2x_dior/epoch_24.pth'))
find_unused_parameters = True
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
