# DS2D2's explicit stream on the embedded pairs: its coefficients (a_L, a_H: 1e-5 for RetinaNet,
# 0.5 for the R-CNNs) were chosen for DIOR's 800 px images and 256-channel FPNs; on a 128 px
# image with a 32-channel FPN the same weights switch the stream off (its gradient was 6e-4 of
# the detection loss's at 1e-5). So the embedded configs calibrate the two band losses to the
# detection loss's gradient (a share of 1, measured on the first 4 batches before training,
# docs/usage.md "Calibrated loss weights") and keep the amplifier terms at the official weights:
# `model = dict(calibration={{_base_.ds2d2_explicit_calibration}})`.
ds2d2_explicit_calibration = dict(
    target=1.0, targets={'distill.full.*': None, 'distill.high.*': None})
