# DS2D2 (Gao et al., TGRS 2025) for a dense detector pair (RetinaNet, ATSS, GFL, FCOS, RTMDet and
# mmrotate's rotated RetinaNet, FCOS, RTMDet: the head adapter of the family decodes boxes and
# scores). A child config sets `architecture`, `teacher`, `teacher_ckpt`, the FPN width
# (`model.distiller.connectors.adapter`), the amplifier checkpoint and the coefficients.
# Defaults, with provenance (docs/methods/ds2d2.md):
#   explicit: Haar dwt2 (zero extension) of every FPN level, the student's levels through ONE
#             shared 1x1 adapter (no bias); DISW-weighted MSE on the low band (a_L) and on the
#             three high bands (a_H); DISW in float32                       [code] / [our default]
#   implicit: the teacher's frozen head on raw student/teacher FPN features (b_F) and the
#             amplifier-stage head on their high-frequency maps (b_H); QFL-KD (beta 1) on
#             classes + GIoU on decoded boxes weighted by the teacher's max class probability,
#             both over the student's positive-anchor count                 [code]
#   coefficients: RetinaNet on DIOR, a_L = a_H = 1e-5, b_F = b_H = 1        [code: configs]
# The teacher runs backbone + neck only (teacher_mode='feat'). Switch a term off with
# `model.distiller.distill_losses.loss_low=None` (or loss_high), `model.full_amplifier=None`,
# `model.high_amplifier=None`.
# The embedded configs (128 px images, 32- to 64-channel FPNs) set
# `model.calibration={{_base_.explicit_stream_calibrated}}`: the band losses (distill.loss_low,
# distill.loss_high) calibrated, before training, to the detection loss's gradient share, the
# amplifiers at their configured weights [our default]. At the coefficients above, chosen for
# 800 px images and 256-channel FPNs, the band losses' gradient there is 6e-4 of the detection
# loss's: DS2D2 without its explicit stream (docs/methods/ds2d2.md, "Coefficients").
explicit_stream_calibrated = dict(
    target=1.0, targets={'distill.full.*': None, 'distill.high.*': None})
fpn = dict(type='ModuleOutputs', source='neck')
explicit_inputs = dict(
    preds_S=dict(from_student=True, recorder='fpn', connector=['adapter', 'dwt']),
    preds_T=dict(from_student=False, recorder='fpn', connector='dwt'),
    gt_instances=dict(from_batch='gt_instances'),
    batch_input_shape=dict(from_batch='batch_input_shape'))
model = dict(
    _scope_='mmrazor',
    type='mmfreqkd.DS2D2',
    teacher_mode='feat',
    feature_recorder='fpn',
    distiller=dict(
        type='mmfreqkd.FreqKDDistiller',
        student_recorders=dict(fpn=fpn),
        teacher_recorders=dict(fpn=fpn),
        connectors=dict(
            adapter=dict(type='mmfreqkd.SharedLevelAdapter', in_channels=256,
                         out_channels=256),
            dwt=dict(type='mmfreqkd.WaveletBandsConnector', wavelet='haar', mode='zero')),
        distill_losses=dict(
            loss_low=dict(type='mmfreqkd.DISWFeatureLoss', band='low', loss_weight=1e-5,
                          disw_dtype='float32'),
            loss_high=dict(type='mmfreqkd.DISWFeatureLoss', band='high', loss_weight=1e-5,
                           disw_dtype='float32')),
        loss_forward_mappings=dict(loss_low=explicit_inputs, loss_high=explicit_inputs)),
    full_amplifier=dict(loss=dict(type='mmfreqkd.DenseAmplifierLoss', beta=1.0,
                                  loss_weight=1.0)),
    high_amplifier=dict(
        loss=dict(type='mmfreqkd.DenseAmplifierLoss', beta=1.0, loss_weight=1.0),
        checkpoint=None, wavelet='haar', mode='zero'))
