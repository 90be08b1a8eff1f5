# DS2D2 with FCOS on DIOR, R101-FPN -> R18-FPN, 2x, with the RetinaNet/DIOR coefficients (a_L =
# a_H = 1e-5, b_F = b_H = 1; docs/methods/ds2d2.md, Coefficients: the paper has none for this
# head). Recipe: the teacher (detectors/fcos_r101_fpn_2x_dior.py), the amplifier stage
# (amplifier_fcos_r101_fpn_2x_dior.py), then this config.
_base_ = './ds2d2_retinanet_r101_retinanet_r18_fpn_2x_dior.py'
model = dict(
    architecture=dict(cfg_path='{{fileDirname}}/detectors/fcos_r18_fpn_2x_dior.py'),
    teacher=dict(cfg_path='{{fileDirname}}/detectors/fcos_r101_fpn_2x_dior.py'),
    teacher_ckpt='work_dirs/fcos_r101_fpn_2x_dior/epoch_24.pth',
    high_amplifier=dict(checkpoint='work_dirs/amplifier_fcos_r101_fpn_2x_dior/epoch_24.pth'))
