# DS2D2 with rotated FCOS heads (le90) on the embedded oriented-object set: R18 width 32 -> 16,
# the settings of the rotated RetinaNet pair (ds2d2_rotated-retinanet-rbox-le90_r18w32_r18w16_*)
# but a Gaussian Wasserstein box loss (KLD is undefined for the zero-size boxes that clamped
# distances can give); the head adapter decodes the distances and angle as the head does. Teacher:
# configs/embedded/rotated-fcos-le90_r18w32_*, amplifier stage: amplifier_rotated-fcos-
# le90_r18w32_*.
_base_ = './ds2d2_rotated-retinanet-rbox-le90_r18w32_r18w16_1xb4-1k_rotdet-128x128.py'
student_cfg = '../embedded/rotated-fcos-le90_r18w16_fpn_1xb4-1k_rotdet-128x128.py'
teacher_cfg = '../embedded/rotated-fcos-le90_r18w32_fpn_1xb4-1k_rotdet-128x128.py'
gwd_amplifier_loss = dict(
    type='mmfreqkd.DenseAmplifierLoss', beta=1.0, loss_weight=1.0,
    box_loss=dict(type='mmrotate.GDLoss', loss_type='gwd', fun='log1p', tau=1.0))
model = dict(
    architecture=dict(cfg_path='{{fileDirname}}/' + student_cfg),
    teacher=dict(cfg_path='{{fileDirname}}/' + teacher_cfg),
    teacher_ckpt='work_dirs/rotated-fcos-le90_r18w32_fpn_1xb4-1k_rotdet-128x128/exported.pth',
    full_amplifier=dict(loss=gwd_amplifier_loss),
    high_amplifier=dict(
        loss=gwd_amplifier_loss,
        checkpoint=('work_dirs/amplifier_rotated-fcos-le90_r18w32_1xb4-1k_rotdet-'
                    '128x128/exported.pth')))
