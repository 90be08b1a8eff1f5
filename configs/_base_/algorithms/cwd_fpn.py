# mmrazor's stock CWD on FPN levels (Shu et al., ICCV 2021): the loss and weights of mmrazor's
# cwd_fpn_retina_r101_retina_r50_1x_coco.py (ChannelWiseDivergence, tau 1, weight 10 on each
# of the 5 FPN outputs), the student initialised as without distillation. As in pkd_fpn.py, the
# FpnTeacherDistill step is mmfreqkd.SingleTeacherKD(teacher_mode='feat'), which also reads
# local configs. A child config sets `architecture`, `teacher`, `teacher_ckpt` and the
# distillation val loop.
num_levels = 5
model = dict(
    _scope_='mmrazor',
    type='mmfreqkd.SingleTeacherKD',
    teacher_mode='feat',
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=dict(fpn=dict(type='ModuleOutputs', source='neck')),
        teacher_recorders=dict(fpn=dict(type='ModuleOutputs', source='neck')),
        distill_losses={f'loss_cwd_fpn{i}': dict(type='ChannelWiseDivergence', tau=1,
                                                 loss_weight=10)
                        for i in range(num_levels)},
        loss_forward_mappings={
            f'loss_cwd_fpn{i}': dict(
                preds_S=dict(from_student=True, recorder='fpn', data_idx=i),
                preds_T=dict(from_student=False, recorder='fpn', data_idx=i))
            for i in range(num_levels)
        }))
