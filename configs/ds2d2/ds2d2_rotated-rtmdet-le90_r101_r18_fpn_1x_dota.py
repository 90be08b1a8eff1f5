# DS2D2 with rotated RTMDet's head (le90) on DOTA-v1.0 OBB, R101-FPN -> R18-FPN, mmrotate's 1x,
# with the coefficients of the rotated RetinaNet config and mmrotate's Gaussian Wasserstein loss
# on the amplifiers' boxes (KLD is undefined for the zero-size boxes clamped distances can give).
# Recipe: the teacher (detectors/rotated-rtmdet-le90_r101_fpn_1x_dota.py), the amplifier stage
# (amplifier_rotated-rtmdet-le90_r101_fpn_1x_dota.py), then this config.
_base_ = './ds2d2_rotated-retinanet-rbox-le90_r101_r18_fpn_1x_dota.py'
gwd = dict(type='mmrotate.GDLoss', loss_type='gwd', fun='log1p', tau=1.0)
model = dict(
    architecture=dict(cfg_path='{{fileDirname}}/detectors/rotated-rtmdet-le90_r18_fpn_1x_dota.py'),
    teacher=dict(cfg_path='{{fileDirname}}/detectors/rotated-rtmdet-le90_r101_fpn_1x_dota.py'),
    teacher_ckpt='work_dirs/rotated-rtmdet-le90_r101_fpn_1x_dota/epoch_12.pth',
    full_amplifier=dict(loss=dict(box_loss=gwd)),
    high_amplifier=dict(
        loss=dict(box_loss=gwd),
        checkpoint='work_dirs/amplifier_rotated-rtmdet-le90_r101_fpn_1x_dota/epoch_12.pth'))
