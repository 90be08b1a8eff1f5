# mmrazor's stock channel-wise distillation (../_base_/algorithms/cwd_logits.py) on the
# embedded texture set, with the small teacher/student pair and the student's schedule, so it
# compares fairly with the no-KD student and SSTKD.
_base_ = [
    '../_base_/datasets/texseg.py', '../_base_/schedules/texseg_1k.py',
    'mmseg::_base_/default_runtime.py', '../_base_/mmfreqkd_runtime.py',
    '../_base_/algorithms/cwd_logits.py'
]
teacher_cfg = '../embedded/pspnet_r18w32-d8_1xb8-1k_texseg-64x64.py'
student_cfg = '../embedded/pspnet_r18w4-d8_1xb8-1k_texseg-64x64.py'
# The teacher trained by tools/train.py on teacher_cfg, exported to a plain checkpoint with
# tools/export_student.py (tools/benchmark.py seg --quick does both).
teacher_ckpt = 'work_dirs/pspnet_r18w32-d8_1xb8-1k_texseg-64x64/exported.pth'

model = dict(
    architecture=dict(cfg_path='{{fileDirname}}/' + student_cfg),
    teacher=dict(cfg_path='{{fileDirname}}/' + teacher_cfg),
    teacher_ckpt=teacher_ckpt)
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
