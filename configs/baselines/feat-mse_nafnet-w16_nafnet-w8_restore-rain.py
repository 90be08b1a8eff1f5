# mmrazor's feature MSE on the embedded restoration set: the output KD baseline plus the
# student's first encoder and last decoder levels matched to teacher A's (1x1 conv + BN to the
# teacher's 16 channels, mmrazor's L2Loss on normalised features) - the levels SLKD distils,
# with a plain feature loss instead of the image-quality extractors.
_base_ = './output-kd_nafnet-w16_nafnet-w8_restore-rain.py'
_align = dict(type='ConvModuleConnector', in_channel=8, out_channel=16, norm_cfg=dict(type='BN'))
_l2 = dict(type='L2Loss', loss_weight=1.0)
model = dict(
    distiller=dict(
        student_recorders=dict(enc=dict(type='ModuleOutputs', source='encoders.0'),
                               dec=dict(type='ModuleOutputs', source='decoders.2')),
        teacher_recorders=dict(enc=dict(type='ModuleOutputs', source='A.encoders.0'),
                               dec=dict(type='ModuleOutputs', source='A.decoders.2')),
        connectors=dict(align_enc=_align, align_dec=_align),
        distill_losses=dict(loss_enc=_l2, loss_dec=_l2),
        loss_forward_mappings=dict(
            loss_enc=dict(s_feature=dict(from_student=True, recorder='enc', connector='align_enc'),
                          t_feature=dict(from_student=False, recorder='enc')),
            loss_dec=dict(s_feature=dict(from_student=True, recorder='dec', connector='align_dec'),
                          t_feature=dict(from_student=False, recorder='dec')))))
