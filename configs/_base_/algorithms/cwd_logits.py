# mmrazor's stock channel-wise distillation (CWD, Shu et al. ICCV 2021) on segmentation logits:
# the loss, temperature and weight of mmrazor's
# cwd_logits_pspnet_r101_d8_pspnet_r18_d8_512x1024_cityscapes_80k.py (ChannelWiseDivergence,
# tau 1, weight 5, on decode_head.conv_seg), in mmfreqkd.SingleTeacherKD (a frozen teacher in
# eval mode). A child config sets `architecture`, `teacher`, `teacher_ckpt` and the
# distillation val loop (its schedule base defines `val_cfg`).
model = dict(
    _scope_='mmrazor',
    type='mmfreqkd.SingleTeacherKD',
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
