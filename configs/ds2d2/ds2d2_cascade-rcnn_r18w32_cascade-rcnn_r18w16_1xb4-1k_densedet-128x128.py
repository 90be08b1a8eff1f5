# DS2D2 with Cascade R-CNN on the embedded dense small-object set: R18 width 32 -> 16, the
# settings of the Faster R-CNN pair (ds2d2_faster-rcnn_r18w32_faster-rcnn_r18w16_*); the RoI
# amplifiers run every stage's box head on the RoIs that stage sampled, weighted as the head's own
# loss (model.head_adapter=dict(stages='last') keeps the last stage only). Teacher:
# configs/embedded/cascade-rcnn_r18w32_*, amplifier stage: amplifier_cascade-rcnn_r18w32_*.
_base_ = './ds2d2_faster-rcnn_r18w32_faster-rcnn_r18w16_1xb4-1k_densedet-128x128.py'
student_cfg = '../embedded/cascade-rcnn_r18w16_fpn_1xb4-1k_densedet-128x128.py'
teacher_cfg = '../embedded/cascade-rcnn_r18w32_fpn_1xb4-1k_densedet-128x128.py'
model = dict(
    architecture=dict(cfg_path='{{fileDirname}}/' + student_cfg),
    teacher=dict(cfg_path='{{fileDirname}}/' + teacher_cfg),
    teacher_ckpt='work_dirs/cascade-rcnn_r18w32_fpn_1xb4-1k_densedet-128x128/exported.pth',
    head_adapter=dict(stages='all'),
    high_amplifier=dict(
        checkpoint=('work_dirs/amplifier_cascade-rcnn_r18w32_fpn_1xb4-1k_densedet-'
                    '128x128/exported.pth')))
