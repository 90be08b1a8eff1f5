# DS2D2, RetinaNet R101-FPN -> R18-FPN on DIOR, 2x, with the official coefficients (a_L = a_H =
# 1e-5, b_F = b_H = 1; docs/methods/ds2d2.md, Coefficients). Recipe: train the teacher
# (detectors/retinanet_r101_fpn_2x_dior.py), then the amplifier stage
# (amplifier_retinanet_r101_fpn_2x_dior.py), then this config; no public DIOR checkpoints
# exist, so both are your own runs (or pass model.teacher_ckpt=... on the command line).
_base_ = [
    '../_base_/datasets/dior_hbb.py', 'mmdet::_base_/schedules/schedule_2x.py',
    'mmdet::_base_/default_runtime.py', '../_base_/mmfreqkd_runtime.py',
    '../_base_/algorithms/ds2d2.py'
]
model = dict(
    architecture=dict(cfg_path='{{fileDirname}}/detectors/retinanet_r18_fpn_2x_dior.py'),
    teacher=dict(cfg_path='{{fileDirname}}/detectors/retinanet_r101_fpn_2x_dior.py'),
    teacher_ckpt='work_dirs/retinanet_r101_fpn_2x_dior/epoch_24.pth',
    trust_checkpoints=True,  # your own mmengine checkpoints (not weights-only files)
    high_amplifier=dict(checkpoint='work_dirs/amplifier_retinanet_r101_fpn_2x_dior/epoch_24.pth'))
optim_wrapper = dict(optimizer=dict(lr=0.005))
find_unused_parameters = True
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
