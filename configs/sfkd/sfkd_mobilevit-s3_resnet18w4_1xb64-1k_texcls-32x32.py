# SFKD on the embedded classification set: the hybrid MobileViT teacher (its last map, 96 x 8 x
# 8, after a stage of self-attention) -> the CIFAR ResNet-18 student at width 4, whose stage 3
# (16 x 8 x 8) is aligned to it; the student's schedule, so it compares fairly with the no-KD
# student and mmrazor's KD, DKD and FitNets on the same pair.
_base_ = [
    '../_base_/datasets/texcls.py', '../_base_/schedules/texcls_1k.py',
    '../_base_/cls_iter_runtime.py', '../_base_/algorithms/sfkd.py'
]
teacher_cfg = '../embedded/mobilevit-s3_1xb64-2k_texcls-32x32.py'
student_cfg = '../embedded/resnet18w4_1xb64-1k_texcls-32x32.py'
# The teacher trained by tools/train.py on teacher_cfg, exported to a plain checkpoint with
# tools/export_student.py (tools/benchmark.py cls --quick does both).
teacher_ckpt = 'work_dirs/mobilevit-s3_1xb64-2k_texcls-32x32/exported.pth'

model = dict(
    architecture=dict(cfg_path='{{fileDirname}}/' + student_cfg),
    teacher=dict(cfg_path='{{fileDirname}}/' + teacher_cfg),
    teacher_ckpt=teacher_ckpt,
    distiller=dict(
        teacher_recorders=dict(
            feat=dict(source='backbone.conv_1x1_exp'), logits=dict(source='head.fc')),
        connectors=dict(
            align=dict(in_channels=16, out_channels=96), ds2s=dict(channels=96))))
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
