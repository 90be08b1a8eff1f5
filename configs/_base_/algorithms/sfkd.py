# SFKD (Wang and Wang, arXiv 2607.01906): logit KD plus, on one feature level, the wavelet band
# loss and the Gaussian-filtered frequency loss (GFFL) between the teacher's map and the
# student's map after alignment (1x1 conv + BN, resize) and DS2S refinement. The paper publishes
# only its abstract: every internal and weight here is mmfreqkd's documented default
# (docs/methods/sfkd.md). FreqKDDistiller computes the chain align -> ds2s once for both losses.
#
# A child config sets `architecture`, `teacher`, `teacher_ckpt`, the recorder sources (a
# student stage `feat` and its `logits`; the teacher's `feat` map or tokens and `logits`) and
# the channels: connectors.align.in_channels / out_channels and connectors.ds2s.channels (the
# teacher's). A teacher map (CNN, Swin stage) needs no `tokens` step: it passes unchanged.
dwt = dict(level=2, wavelet='haar', mode='zero')
model = dict(
    _scope_='mmrazor',
    type='mmfreqkd.SingleTeacherKD',
    distiller=dict(
        type='mmfreqkd.FreqKDDistiller',
        student_recorders=dict(
            feat=dict(type='ModuleOutputs', source='backbone.layer3'),
            logits=dict(type='ModuleOutputs', source='head.fc')),
        teacher_recorders=dict(
            feat=dict(type='ModuleOutputs', source='backbone.ln1'),
            logits=dict(type='ModuleOutputs', source='head.fc')),
        connectors=dict(
            align=dict(type='mmfreqkd.ProjectResize', in_channels=256, out_channels=384),
            ds2s=dict(type='mmfreqkd.DS2SRefiner', channels=384, light=False, **dwt),
            tokens=dict(type='mmfreqkd.TokensToMap')),
        distill_losses=dict(
            # mmrazor's stock logit KD (kd_logits_resnet34_resnet18_8xb32_in1k.py: tau 1, 3)
            loss_kd=dict(type='KLDivergence', tau=1, loss_weight=3),
            loss_wav=dict(
                type='mmfreqkd.WaveletBandLoss', low_weight=1.0, high_weight=0.5,
                normalize='map', loss_weight=1.0, **dwt),
            loss_gffl=dict(
                type='mmfreqkd.GaussianFrequencyLoss', sigma_ratio=0.25, mode='complex',
                loss_weight=1.0)),
        loss_forward_mappings=dict(
            loss_kd=dict(
                preds_S=dict(from_student=True, recorder='logits'),
                preds_T=dict(from_student=False, recorder='logits')),
            loss_wav=dict(
                preds_S=dict(from_student=True, recorder='feat', connector=('align', 'ds2s')),
                preds_T=dict(from_student=False, recorder='feat', connector='tokens')),
            loss_gffl=dict(
                preds_S=dict(from_student=True, recorder='feat', connector=('align', 'ds2s')),
                preds_T=dict(from_student=False, recorder='feat', connector='tokens')))))
find_unused_parameters = True
