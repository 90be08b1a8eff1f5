# DS2D2 on rotated detection (beyond the official code): rotated RetinaNet (le90) R18 width 32
# -> width 16 on the embedded oriented-object set, in mmrotate's scope. DISW weighs each
# rotated box over the cells it covers ([our default]); the amplifiers decode
# rotated boxes with the student head's coder and compare them with mmrotate's KLD Gaussian
# loss (GDLoss), a rotated counterpart of the official GIoU. Recipe as for the horizontal
# config: teacher, amplifier stage
# (amplifier_rotated-retinanet-rbox-le90_r18w32_1xb4-1k_rotdet-128x128.py), then this config.
_base_ = [
    '../_base_/datasets/rotdet.py', '../_base_/schedules/det_1k.py',
    '../_base_/rotdet_runtime.py', '../_base_/algorithms/ds2d2.py'
]
teacher_cfg = '../embedded/rotated-retinanet-rbox-le90_r18w32_fpn_1xb4-1k_rotdet-128x128.py'
student_cfg = '../embedded/rotated-retinanet-rbox-le90_r18w16_fpn_1xb4-1k_rotdet-128x128.py'
teacher_ckpt = ('work_dirs/rotated-retinanet-rbox-le90_r18w32_fpn_1xb4-1k_rotdet-128x128/'
                'exported.pth')
amplifier_ckpt = ('work_dirs/amplifier_rotated-retinanet-rbox-le90_r18w32_1xb4-1k_rotdet-'
                  '128x128/exported.pth')
rotated_amplifier_loss = dict(
    type='mmfreqkd.DenseAmplifierLoss', beta=1.0, loss_weight=1.0,
    box_loss=dict(type='mmrotate.GDLoss', loss_type='kld', fun='log1p', tau=1.0))

model = dict(
    architecture=dict(cfg_path='{{fileDirname}}/' + student_cfg),
    teacher=dict(cfg_path='{{fileDirname}}/' + teacher_cfg),
    teacher_ckpt=teacher_ckpt,
    distiller=dict(connectors=dict(adapter=dict(in_channels=32, out_channels=32))),
    full_amplifier=dict(loss=rotated_amplifier_loss),
    high_amplifier=dict(loss=rotated_amplifier_loss, checkpoint=amplifier_ckpt),
    calibration={{_base_.explicit_stream_calibrated}})
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
