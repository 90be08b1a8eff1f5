# DS2D2 with RTMDet heads on the embedded dense small-object set: R18 width 32 -> 8, the settings
# of the RetinaNet pair (ds2d2_retinanet_r18w32_retinanet_r18w8_*); the head adapter decodes
# RTMDet's boxes and scores and reuses the assignment of the student head's own loss. Teacher:
# configs/embedded/rtmdet_r18w32_*, amplifier stage: amplifier_rtmdet_r18w32_*.
_base_ = './ds2d2_retinanet_r18w32_retinanet_r18w8_1xb4-1k_densedet-128x128.py'
student_cfg = '../embedded/rtmdet_r18w8_fpn_1xb4-1k_densedet-128x128.py'
teacher_cfg = '../embedded/rtmdet_r18w32_fpn_1xb4-1k_densedet-128x128.py'
model = dict(
    architecture=dict(cfg_path='{{fileDirname}}/' + student_cfg),
    teacher=dict(cfg_path='{{fileDirname}}/' + teacher_cfg),
    teacher_ckpt='work_dirs/rtmdet_r18w32_fpn_1xb4-1k_densedet-128x128/exported.pth',
    high_amplifier=dict(
        checkpoint=('work_dirs/amplifier_rtmdet_r18w32_fpn_1xb4-1k_densedet-'
                    '128x128/exported.pth')))
