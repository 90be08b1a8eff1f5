# SFKD on dense prediction (docs/methods/sfkd.md): the block of the classification configs
# (alignment, DS2S refinement, wavelet band loss, GFFL) on each FPN level of a detector, without
# the logit term (a dense head has no single distribution to match). The teacher runs its
# backbone and neck only (mmfreqkd.SingleTeacherKD(teacher_mode='feat'), as mmrazor's FPN
# distillers). A child config sets `architecture`, `teacher`, `teacher_ckpt`, the distillation
# val loop and, where the FPNs differ from 5 levels of 256 channels, `connectors`.
dwt = dict(level=2, wavelet='haar', mode='zero')
fpn_levels, fpn_channels = 5, 256
model = dict(
    _scope_='mmrazor',
    type='mmfreqkd.SingleTeacherKD',
    teacher_mode='feat',
    distiller=dict(
        type='mmfreqkd.FreqKDDistiller',
        student_recorders=dict(fpn=dict(type='ModuleOutputs', source='neck')),
        teacher_recorders=dict(fpn=dict(type='ModuleOutputs', source='neck')),
        connectors={
            **{f'align{i}': dict(type='mmfreqkd.ProjectResize', in_channels=fpn_channels,
                                 out_channels=fpn_channels) for i in range(fpn_levels)},
            **{f'ds2s{i}': dict(type='mmfreqkd.DS2SRefiner', channels=fpn_channels, **dwt)
               for i in range(fpn_levels)}},
        distill_losses={
            **{f'loss_wav{i}': dict(type='mmfreqkd.WaveletBandLoss', loss_weight=1.0, **dwt)
               for i in range(fpn_levels)},
            **{f'loss_gffl{i}': dict(type='mmfreqkd.GaussianFrequencyLoss', sigma_ratio=0.25,
                                     loss_weight=1.0) for i in range(fpn_levels)}},
        loss_forward_mappings={
            f'loss_{name}{i}': dict(
                preds_S=dict(from_student=True, recorder='fpn', data_idx=i,
                             connector=(f'align{i}', f'ds2s{i}')),
                preds_T=dict(from_student=False, recorder='fpn', data_idx=i))
            for name in ('wav', 'gffl') for i in range(fpn_levels)}))
find_unused_parameters = True
