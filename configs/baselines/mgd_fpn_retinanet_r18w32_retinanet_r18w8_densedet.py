# mmrazor's stock MGD on FPN levels (../_base_/algorithms/mgd_fpn.py) on the embedded dense
# small-object set, with the small teacher/student pair and the student's schedule, so it
# compares fairly with the no-KD student, PKD and DS2D2.
_base_ = [
    '../_base_/datasets/densedet.py', '../_base_/schedules/det_1k.py',
    '../_base_/det_runtime.py', '../_base_/algorithms/mgd_fpn.py'
]
teacher_cfg = '../embedded/retinanet_r18w32_fpn_1xb4-1k_densedet-128x128.py'
student_cfg = '../embedded/retinanet_r18w8_fpn_1xb4-1k_densedet-128x128.py'
# The teacher trained by tools/train.py on teacher_cfg, exported to a plain checkpoint with
# tools/export_student.py.
teacher_ckpt = 'work_dirs/retinanet_r18w32_fpn_1xb4-1k_densedet-128x128/exported.pth'
model = dict(
    architecture=dict(cfg_path='{{fileDirname}}/' + student_cfg),
    teacher=dict(cfg_path='{{fileDirname}}/' + teacher_cfg),
    teacher_ckpt=teacher_ckpt,
    distiller=dict(connectors={  # the embedded pair's FPNs have 32 channels
        f's_fpn{i}_connector': dict(student_channels=32, teacher_channels=32)
        for i in range(5)}))
find_unused_parameters = True
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
