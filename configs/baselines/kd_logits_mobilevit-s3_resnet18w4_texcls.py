# mmrazor's stock logit KD (kd_logits_resnet34_resnet18_8xb32_in1k.py: KLDivergence, tau 1,
# weight 3, on the classifier's logits) on the embedded classification pair, with the student's
# schedule, so it compares fairly with the no-KD student and SFKD.
_base_ = [
    '../_base_/datasets/texcls.py', '../_base_/schedules/texcls_1k.py',
    '../_base_/cls_iter_runtime.py'
]
teacher_cfg = '../embedded/mobilevit-s3_1xb64-2k_texcls-32x32.py'
student_cfg = '../embedded/resnet18w4_1xb64-1k_texcls-32x32.py'
teacher_ckpt = 'work_dirs/mobilevit-s3_1xb64-2k_texcls-32x32/exported.pth'
model = dict(
    _scope_='mmrazor',
    type='mmfreqkd.SingleTeacherKD',
    architecture=dict(cfg_path='{{fileDirname}}/' + student_cfg),
    teacher=dict(cfg_path='{{fileDirname}}/' + teacher_cfg),
    teacher_ckpt=teacher_ckpt,
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=dict(fc=dict(type='ModuleOutputs', source='head.fc')),
        teacher_recorders=dict(fc=dict(type='ModuleOutputs', source='head.fc')),
        distill_losses=dict(loss_kl=dict(type='KLDivergence', tau=1, loss_weight=3)),
        loss_forward_mappings=dict(
            loss_kl=dict(
                preds_S=dict(from_student=True, recorder='fc'),
                preds_T=dict(from_student=False, recorder='fc')))))
find_unused_parameters = True
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
