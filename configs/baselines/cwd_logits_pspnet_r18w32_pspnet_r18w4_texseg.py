# mmrazor's stock channel-wise distillation (CWD, Shu et al. ICCV 2021) on the embedded texture
# set: the same loss, temperature and weight as mmrazor's
# cwd_logits_pspnet_r101-d8_pspnet_r18-d8_4xb2-80k_cityscapes-512x1024.py, with the small
# teacher/student pair and the student's schedule, so it compares fairly with the no-KD student.
_base_ = [
    '../_base_/datasets/texseg.py', '../_base_/schedules/texseg_1k.py',
    'mmseg::_base_/default_runtime.py', '../_base_/mmfreqkd_runtime.py'
]
teacher_cfg = '../embedded/pspnet_r18w32-d8_1xb8-1k_texseg-64x64.py'
student_cfg = '../embedded/pspnet_r18w4-d8_1xb8-1k_texseg-64x64.py'
# The teacher trained by tools/train.py on teacher_cfg, exported to a plain checkpoint with
# tools/export_student.py (tools/benchmark.py seg --quick does both).
teacher_ckpt = 'work_dirs/pspnet_r18w32-d8_1xb8-1k_texseg-64x64/exported.pth'

model = dict(
    _scope_='mmrazor',
    type='mmfreqkd.SingleTeacherKD',
    architecture=dict(cfg_path='{{fileDirname}}/' + student_cfg),
    teacher=dict(cfg_path='{{fileDirname}}/' + teacher_cfg),
    teacher_ckpt=teacher_ckpt,
    distiller=dict(
        type='ConfigurableDistiller',
        distill_losses=dict(loss_cwd=dict(type='ChannelWiseDivergence', tau=1, loss_weight=5)),
        student_recorders=dict(logits=dict(type='ModuleOutputs', source='decode_head.conv_seg')),
        teacher_recorders=dict(logits=dict(type='ModuleOutputs', source='decode_head.conv_seg')),
        loss_forward_mappings=dict(
            loss_cwd=dict(
                preds_S=dict(from_student=True, recorder='logits'),
                preds_T=dict(from_student=False, recorder='logits')))))

find_unused_parameters = True
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
