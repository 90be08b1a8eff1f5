# SLKD's teacher B for deblurring: GoPro (SEQ/blur/, SEQ/sharp/): Restormer without its global
# residual, reconstructing the clean images from themselves (its decoder learns to render clean
# images).
_base_ = ['./restormer_1xb8-100e_gopro-128x128.py']
model = dict(global_residual=False)
# GoPro keeps its sharp frames per sequence: list them with the 'folders' layout of a flat copy
# (data/GoPro/train_sharp/sharp/*.png, e.g. made with `cp --parents`), paired with themselves.
train_dataloader = dict(dataset=dict(layout='folders', degraded='sharp', clean='sharp',
                                     data_root='data/GoPro/train_sharp'))
val_dataloader = dict(dataset=dict(layout='folders', degraded='sharp', clean='sharp',
                                   data_root='data/GoPro/test_sharp'))
test_dataloader = val_dataloader
val_evaluator = [dict(type='mmfreqkd.PSNR'), dict(type='mmfreqkd.SSIM')]
test_evaluator = val_evaluator
