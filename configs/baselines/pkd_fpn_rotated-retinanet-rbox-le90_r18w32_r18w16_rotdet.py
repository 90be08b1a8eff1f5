# mmrazor's stock PKD (../_base_/algorithms/pkd_fpn.py) on the embedded oriented-object set:
# rotated RetinaNet (le90) R18 width 32 -> width 16, the student's schedule, so it compares
# fairly with the no-KD student and DS2D2 (its rotated config). PKD normalises and matches FPN
# features, so it needs nothing box-specific: the same loss as for horizontal boxes.
_base_ = [
    '../_base_/datasets/rotdet.py', '../_base_/schedules/det_1k.py',
    '../_base_/rotdet_runtime.py', '../_base_/algorithms/pkd_fpn.py'
]
teacher_cfg = '../embedded/rotated-retinanet-rbox-le90_r18w32_fpn_1xb4-1k_rotdet-128x128.py'
student_cfg = '../embedded/rotated-retinanet-rbox-le90_r18w16_fpn_1xb4-1k_rotdet-128x128.py'
# The teacher trained by tools/train.py on teacher_cfg, exported to a plain checkpoint with
# tools/export_student.py (tools/benchmark.py rotated --quick does both).
teacher_ckpt = ('work_dirs/rotated-retinanet-rbox-le90_r18w32_fpn_1xb4-1k_rotdet-128x128/'
                'exported.pth')
model = dict(
    architecture=dict(cfg_path='{{fileDirname}}/' + student_cfg),
    teacher=dict(cfg_path='{{fileDirname}}/' + teacher_cfg),
    teacher_ckpt=teacher_ckpt)
find_unused_parameters = True
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
