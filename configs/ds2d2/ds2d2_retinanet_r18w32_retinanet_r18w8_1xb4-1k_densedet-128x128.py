# DS2D2 on the embedded dense small-object set: RetinaNet R18 width 32 -> width 8 (FPN 32 channels
# on both sides), the schedule of the undistilled runs. Trains in minutes on a CPU. Recipe
# (docs/methods/ds2d2.md, Recipe): 1. train the teacher (configs/embedded/retinanet_r18w32_...), 2.
# train the high-frequency amplifier (amplifier_retinanet_r18w32_fpn_1xb4-1k_densedet-128x128.py),
# 3. this config; both checkpoints exported with tools/export_student.py (tools/benchmark.py det
# --quick does all three).
_base_ = [
    '../_base_/datasets/densedet.py', '../_base_/schedules/det_1k.py',
    '../_base_/det_runtime.py', '../_base_/algorithms/ds2d2.py'
]
teacher_cfg = '../embedded/retinanet_r18w32_fpn_1xb4-1k_densedet-128x128.py'
student_cfg = '../embedded/retinanet_r18w8_fpn_1xb4-1k_densedet-128x128.py'
teacher_ckpt = 'work_dirs/retinanet_r18w32_fpn_1xb4-1k_densedet-128x128/exported.pth'
amplifier_ckpt = ('work_dirs/amplifier_retinanet_r18w32_fpn_1xb4-1k_densedet-128x128/'
                  'exported.pth')

model = dict(
    architecture=dict(cfg_path='{{fileDirname}}/' + student_cfg),
    teacher=dict(cfg_path='{{fileDirname}}/' + teacher_cfg),
    teacher_ckpt=teacher_ckpt,
    distiller=dict(connectors=dict(adapter=dict(in_channels=32, out_channels=32))),
    high_amplifier=dict(checkpoint=amplifier_ckpt),
    calibration={{_base_.explicit_stream_calibrated}})
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
