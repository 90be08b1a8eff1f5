# SLKD (Zhang and Yan, "Simultaneous Learning Knowledge Distillation for Image Restoration",
# ICASSP 2025, arXiv 2501.09268) on mmfreqkd.MultiTeacherKD: teacher A restores the degraded
# input the student sees, teacher B reconstructs the clean target. The student's encoder learns
# degradation removal from A through BRISQUE statistics (L_NC), its decoder image
# reconstruction from B through PIQE cues (L_ET), each side first mapped to an image-like map by
# a Scale Conversion Module; its output learns from A (pixel L1 and a per-pixel KL) and
# from the clean image (its own L1 loss). Only the paper's abstract is public: the extractors'
# form, the matched levels and the weights are mmfreqkd's documented defaults
# (docs/methods/slkd.md): L = L_img + 0.5 L_pix + 0.1 L_KL + 0.1 (L_NC + L_ET).
#
# A child config sets `architecture`, the two teachers (model and ckpt) and the SCM channels
# (the student's and the teachers' widths at the recorded levels). Any loss can be switched off
# for an ablation (`model.distiller.distill_losses.loss_nc=None`).
model = dict(
    _scope_='mmrazor',
    type='mmfreqkd.MultiTeacherKD',
    teachers=dict(A=dict(), B=dict(input='gt_img')),  # a child config adds model and ckpt
    distiller=dict(
        type='mmfreqkd.FreqKDDistiller',
        student_recorders=dict(
            enc=dict(type='ModuleOutputs', source='encoders.0'),
            dec=dict(type='ModuleOutputs', source='decoders.2'),
            out=dict(type='ModuleOutputs', source='ending')),
        teacher_recorders=dict(
            enc=dict(type='ModuleOutputs', source='A.encoders.0'),
            dec=dict(type='ModuleOutputs', source='B.decoders.2'),
            out=dict(type='ModuleOutputs', source='A.ending')),
        connectors=dict(
            scm_enc_s=dict(type='mmfreqkd.ScaleConversionModule', in_channels=8),
            scm_enc_t=dict(type='mmfreqkd.ScaleConversionModule', in_channels=16,
                           learnable=False),
            scm_dec_s=dict(type='mmfreqkd.ScaleConversionModule', in_channels=8),
            scm_dec_t=dict(type='mmfreqkd.ScaleConversionModule', in_channels=16,
                           learnable=False)),
        distill_losses=dict(
            loss_nc=dict(type='mmfreqkd.NaturalSceneStatisticsLoss', loss_weight=0.1),
            loss_et=dict(type='mmfreqkd.PerceptionCueLoss', loss_weight=0.1),
            loss_pix=dict(type='L1Loss', loss_weight=0.5),
            loss_kl=dict(type='mmfreqkd.IntensityKLLoss', loss_weight=0.1)),
        loss_forward_mappings=dict(
            loss_nc=dict(
                preds_S=dict(from_student=True, recorder='enc', connector='scm_enc_s'),
                preds_T=dict(from_student=False, recorder='enc', connector='scm_enc_t')),
            loss_et=dict(
                preds_S=dict(from_student=True, recorder='dec', connector='scm_dec_s'),
                preds_T=dict(from_student=False, recorder='dec', connector='scm_dec_t')),
            loss_pix=dict(
                s_feature=dict(from_student=True, recorder='out'),
                t_feature=dict(from_student=False, recorder='out')),
            loss_kl=dict(
                preds_S=dict(from_student=True, recorder='out'),
                preds_T=dict(from_student=False, recorder='out')))))
