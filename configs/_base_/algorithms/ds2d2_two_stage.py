# DS2D2 for two-stage detectors (Faster R-CNN, oriented R-CNN): ds2d2.py with the RoI-head
# amplifiers and the official Faster R-CNN/DIOR coefficients (docs/methods/ds2d2.md, Implicit
# stream and Coefficients):
#   explicit: a_L = a_H = 0.5                                                [code: configs]
#   implicit: the teacher's RoI head (b_F) and the amplifier-stage RoI head (b_H) on the RoIs
#             the student's RoI head sampled this step; KL (T = 3, weight 0.5) on class scores
#             with the official RoI-count factor, L1 on the deltas of the teacher's best
#             class; b_F = b_H = 1e-5                                         [code]
# The embedded configs (128 px images, 64-channel FPNs) set
# `model.calibration={{_base_.every_term_calibrated}}` [our default]: at b_F = b_H = 1e-5 the
# amplifiers' gradient there is 1e-5 to 1e-7 of the detection loss's (off), so every term, the
# band losses included, is calibrated before training to the detection loss's share.
_base_ = './ds2d2.py'
every_term_calibrated = dict(target=1.0)
roi_amplifier_loss = dict(
    _delete_=True, type='mmfreqkd.RoIAmplifierLoss', temperature=3.0, cls_weight=0.5,
    official_avg_factor=True, loss_weight=1e-5)
model = dict(
    distiller=dict(
        distill_losses=dict(loss_low=dict(loss_weight=0.5), loss_high=dict(loss_weight=0.5))),
    full_amplifier=dict(loss=roi_amplifier_loss),
    high_amplifier=dict(loss=roi_amplifier_loss))
