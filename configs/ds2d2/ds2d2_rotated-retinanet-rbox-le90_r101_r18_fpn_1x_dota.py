# DS2D2 on rotated detection (beyond the official code): rotated RetinaNet (le90) R101-FPN ->
# R18-FPN on DOTA-v1.0 OBB, mmrotate's 1x protocol, the official DOTA coefficients; DISW over
# the cells each rotated box covers, amplifier boxes compared with mmrotate's KLD loss.
_base_ = [
    'mmrotate::_base_/datasets/dota.py', 'mmrotate::_base_/schedules/schedule_1x.py',
    'mmrotate::_base_/default_runtime.py', '../_base_/mmfreqkd_runtime.py',
    '../_base_/algorithms/ds2d2.py'
]
rotated_amplifier_loss = dict(
    type='mmfreqkd.DenseAmplifierLoss', beta=1.0,
    box_loss=dict(type='mmrotate.GDLoss', loss_type='kld', fun='log1p', tau=1.0))
model = dict(
    architecture=dict(
        cfg_path='{{fileDirname}}/detectors/rotated-retinanet-rbox-le90_r18_fpn_1x_dota.py'),
    teacher=dict(
        cfg_path='{{fileDirname}}/detectors/rotated-retinanet-rbox-le90_r101_fpn_1x_dota.py'),
    teacher_ckpt='work_dirs/rotated-retinanet-rbox-le90_r101_fpn_1x_dota/epoch_12.pth',
    trust_checkpoints=True,  # your own mmengine checkpoints (not weights-only files)
    distiller=dict(distill_losses=dict(loss_low=dict(loss_weight=7e-5),
                                       loss_high=dict(loss_weight=5e-5))),
    full_amplifier=dict(loss=dict(rotated_amplifier_loss, loss_weight=0.7)),
    high_amplifier=dict(
        loss=dict(rotated_amplifier_loss, loss_weight=0.5),
        checkpoint='work_dirs/amplifier_rotated-retinanet-rbox-le90_r101_fpn_1x_dota/'
        'epoch_12.pth'))
find_unused_parameters = True
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
