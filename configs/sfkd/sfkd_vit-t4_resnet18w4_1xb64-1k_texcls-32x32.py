# SFKD on the embedded classification set: the small ViT teacher (8 x 8 patch tokens + class
# token, width 96) -> the CIFAR ResNet-18 student at width 4, whose stage 3 (16 x 8 x 8) is
# aligned to the teacher's last token map; the student's schedule, so it compares fairly with
# the no-KD student and mmrazor's KD, DKD and FitNets on the same pair.
_base_ = [
    '../_base_/datasets/texcls.py', '../_base_/schedules/texcls_1k.py',
    '../_base_/cls_iter_runtime.py', '../_base_/algorithms/sfkd.py'
]
teacher_cfg = '../embedded/vit-t4_p4_1xb64-3k_texcls-32x32.py'
student_cfg = '../embedded/resnet18w4_1xb64-1k_texcls-32x32.py'
# The teacher trained by tools/train.py on teacher_cfg, exported to a plain checkpoint with
# tools/export_student.py (tools/benchmark.py cls --quick does both).
teacher_ckpt = 'work_dirs/vit-t4_p4_1xb64-3k_texcls-32x32/exported.pth'

model = dict(
    architecture=dict(cfg_path='{{fileDirname}}/' + student_cfg),
    teacher=dict(cfg_path='{{fileDirname}}/' + teacher_cfg),
    teacher_ckpt=teacher_ckpt,
    distiller=dict(
        teacher_recorders=dict(
            feat=dict(source='backbone.ln1'), logits=dict(source='head.layers.head')),
        connectors=dict(
            align=dict(in_channels=16, out_channels=96), ds2s=dict(channels=96),
            tokens=dict(extra_tokens=1))))
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
