# mmrazor's stock PKD (../_base_/algorithms/pkd_fpn.py) on DS2D2's DIOR pair, RetinaNet R101-FPN
# -> R18-FPN, 2x, the student's lr: the baseline of
# ../ds2d2/ds2d2_retinanet_r101_retinanet_r18_fpn_2x_dior.py.
_base_ = [
    '../_base_/datasets/dior_hbb.py', 'mmdet::_base_/schedules/schedule_2x.py',
    'mmdet::_base_/default_runtime.py', '../_base_/mmfreqkd_runtime.py',
    '../_base_/algorithms/pkd_fpn.py'
]
model = dict(
    architecture=dict(cfg_path='{{fileDirname}}/../ds2d2/detectors/retinanet_r18_fpn_2x_dior.py'),
    teacher=dict(cfg_path='{{fileDirname}}/../ds2d2/detectors/retinanet_r101_fpn_2x_dior.py'),
    teacher_ckpt='work_dirs/retinanet_r101_fpn_2x_dior/epoch_24.pth',
    trust_checkpoints=True)  # your own mmengine checkpoints (not weights-only files)
optim_wrapper = dict(optimizer=dict(lr=0.005))
find_unused_parameters = True
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
