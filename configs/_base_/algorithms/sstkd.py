# SSTKD (Ji et al., CVPR 2022) for an mmseg EncoderDecoder pair. A child config sets
# `architecture`, `teacher` and `teacher_ckpt`; the low-level stage of each side (the last
# backbone stage at stride 4: ResNet's layer1, MobileNetV2's layer2...), its channels and the
# number of classes are found on the built models (source='auto', 'student.low_level',
# 'teacher.low_level', 'teacher.num_classes'; mmfreqkd.models.algorithms.segmentor_probe), or set
# explicitly. Defaults, with provenance:
#   response KD: pixel-wise KL, tau 1, weight 10, mean over all elements   [code: IFVD]
#   adversarial: WGAN-GP, self-attention critic on logits, conv_dim 64, weights 0.001 (student),
#                0.1 (critic), GP 10; critic Adam lr 4e-4 betas (0.9, 0.99) [code: IFVD]
#   structural texture: stage-1 features, 1x1 conv + BN alignment on the student, maps
#                standardised, 3 pyramid levels x 8 directions, 9-7 filters, errors relative
#                to the teacher's energy per level, weight 1; per-direction errors by Parseval
#                from each level's spectrum (sub-bands not formed)
#                                                                          [our default]
#   statistical texture: DTIEM, 128 levels [code: STLNet], 2 quantisation passes, noise bins
#                below 1/(4N), 3x3 denoising, equalised intensity channel, weight 1;
#                teacher side through a second DTIEM, frozen at its initialisation (the
#                teacher's statistics are a fixed target; a shared DTIEM collapses)
#                                                                          [our default]
# Switch a term off with `model.distiller.distill_losses.loss_xxx=None`, the adversarial term
# with `model.adversarial=None` (configs/sstkd/ablations/ do so). Child configs also set
# val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop') (their schedule
# base defines val_cfg, which two bases may not both define).
low_level = dict(type='ModuleOutputs', source='auto')
logits = dict(type='ModuleOutputs', source='decode_head.conv_seg')
model = dict(
    _scope_='mmrazor',
    type='mmfreqkd.SSTKD',
    distiller=dict(
        type='mmfreqkd.FreqKDDistiller',
        student_recorders=dict(low_level=low_level, logits=logits),
        teacher_recorders=dict(low_level=low_level, logits=logits),
        connectors=dict(
            align=dict(
                type='ConvModuleConnector',
                in_channel='student.low_level',
                out_channel='teacher.low_level',
                kernel_size=1,
                norm_cfg=dict(type='BN'),
                act_cfg=None),
            cdm=dict(type='mmfreqkd.ContourletConnector', levels=3, n_dirs=8),
            dtiem=dict(type='mmfreqkd.DTIEMConnector', in_channels='teacher.low_level',
                       n_levels=128),
            dtiem_target=dict(type='mmfreqkd.DTIEMConnector', in_channels='teacher.low_level',
                              n_levels=128, frozen=True)),
        distill_losses=dict(
            loss_kd=dict(type='mmfreqkd.PixelWiseKLLoss', tau=1, loss_weight=10),
            loss_str=dict(type='mmfreqkd.StructuralTextureLoss', loss_weight=1),
            loss_sta=dict(type='mmfreqkd.StatisticalTextureLoss', loss_weight=1)),
        loss_forward_mappings=dict(
            loss_kd=dict(
                preds_S=dict(from_student=True, recorder='logits'),
                preds_T=dict(from_student=False, recorder='logits')),
            loss_str=dict(
                preds_S=dict(from_student=True, recorder='low_level', connector=['align', 'cdm']),
                preds_T=dict(from_student=False, recorder='low_level', connector='cdm')),
            loss_sta=dict(
                preds_S=dict(
                    from_student=True, recorder='low_level', connector=['align', 'dtiem']),
                preds_T=dict(
                    from_student=False, recorder='low_level', connector='dtiem_target',
                    no_grad=True)))),
    adversarial=dict(
        discriminator=dict(type='mmfreqkd.SelfAttentionDiscriminator',
                           in_channels='teacher.num_classes', conv_dim=64),
        generator_loss=dict(type='mmfreqkd.WGANGeneratorLoss', loss_weight=0.001),
        discriminator_loss=dict(
            type='mmfreqkd.WGANGPDiscriminatorLoss', loss_weight=0.1, gp_weight=10),
        student_recorder='logits',
        teacher_recorder='logits'))

# The critic's optimizer [code: IFVD]. Child configs add it to their stock schedule's wrapper,
# which then serves the student and the connectors as two further optimizers:
#   optim_wrapper = dict(constructor='mmfreqkd.SubModelOptimWrapperConstructor',
#                        discriminator={{_base_.critic_optim_wrapper}})
critic_optim_wrapper = dict(optimizer=dict(type='Adam', lr=4e-4, betas=(0.9, 0.99)))

find_unused_parameters = True
# SSTKD.train_step steps three optimizers: each sub-model gets its own DDP wrapper (mmengine's
# default wrapper would bypass train_step).
model_wrapper_cfg = dict(
    type='mmengine.MMSeparateDistributedDataParallel',
    broadcast_buffers=False,
    find_unused_parameters=True)
