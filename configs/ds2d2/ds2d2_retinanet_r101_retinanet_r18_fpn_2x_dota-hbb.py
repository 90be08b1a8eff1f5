# DS2D2, RetinaNet R101-FPN -> R18-FPN on DOTA-v1.0 horizontal boxes, 2x, with the official DOTA
# coefficients (a_L = 7e-5, a_H = 5e-5, b_F = 0.7, b_H = 0.5; docs/methods/ds2d2.md, Coefficients).
_base_ = [
    '../_base_/datasets/dota_hbb.py', 'mmdet::_base_/schedules/schedule_2x.py',
    'mmdet::_base_/default_runtime.py', '../_base_/mmfreqkd_runtime.py',
    '../_base_/algorithms/ds2d2.py'
]
model = dict(
    architecture=dict(cfg_path='{{fileDirname}}/detectors/retinanet_r18_fpn_2x_dota-hbb.py'),
    teacher=dict(cfg_path='{{fileDirname}}/detectors/retinanet_r101_fpn_2x_dota-hbb.py'),
    teacher_ckpt='work_dirs/retinanet_r101_fpn_2x_dota-hbb/epoch_24.pth',
    trust_checkpoints=True,  # your own mmengine checkpoints (not weights-only files)
    distiller=dict(distill_losses=dict(loss_low=dict(loss_weight=7e-5),
                                       loss_high=dict(loss_weight=5e-5))),
    full_amplifier=dict(loss=dict(loss_weight=0.7)),
    high_amplifier=dict(
        loss=dict(loss_weight=0.5),
        checkpoint='work_dirs/amplifier_retinanet_r101_fpn_2x_dota-hbb/epoch_24.pth'))
optim_wrapper = dict(optimizer=dict(lr=0.005))
find_unused_parameters = True
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
