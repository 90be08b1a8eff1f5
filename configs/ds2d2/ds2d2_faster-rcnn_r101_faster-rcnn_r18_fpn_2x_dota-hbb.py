# DS2D2, Faster R-CNN R101-FPN -> R18-FPN on DOTA-v1.0 horizontal boxes, 2x, with the official
# Faster R-CNN/DOTA coefficients (a_L = 0.12, a_H = 1.2, b_F = 1.5e-3, b_H = 3e-3;
# docs/methods/ds2d2.md, Coefficients). Recipe as for DIOR
# (ds2d2_faster-rcnn_r101_faster-rcnn_r18_fpn_2x_dior.py).
_base_ = './ds2d2_faster-rcnn_r101_faster-rcnn_r18_fpn_2x_dior.py'
model = dict(
    architecture=dict(cfg_path='{{fileDirname}}/detectors/faster-rcnn_r18_fpn_2x_dota-hbb.py'),
    teacher=dict(cfg_path='{{fileDirname}}/detectors/faster-rcnn_r101_fpn_2x_dota-hbb.py'),
    teacher_ckpt='work_dirs/faster-rcnn_r101_fpn_2x_dota-hbb/epoch_24.pth',
    distiller=dict(distill_losses=dict(loss_low=dict(loss_weight=0.12),
                                       loss_high=dict(loss_weight=1.2))),
    full_amplifier=dict(loss=dict(loss_weight=1.5e-3)),
    high_amplifier=dict(
        loss=dict(loss_weight=3e-3),
        checkpoint='work_dirs/amplifier_faster-rcnn_r101_fpn_2x_dota-hbb/epoch_24.pth'))
