# SLKD's teacher B for dehazing: RESIDE-OTS (hazy/, clear/), validated on SOTS-outdoor: Restormer
# without its global residual, reconstructing the clean images from themselves (its decoder learns
# to render clean images).
_base_ = ['./restormer_1xb8-100e_reside-128x128.py']
model = dict(global_residual=False)
train_dataloader = dict(dataset=dict(layout='folders', degraded='clear', clean='clear',
                                     data_root='data/RESIDE/OTS'))
val_dataloader = dict(dataset=dict(layout='folders', degraded='clear', clean='clear',
                                   data_root='data/RESIDE/SOTS/outdoor'))
test_dataloader = val_dataloader
val_evaluator = [dict(type='mmfreqkd.PSNR'), dict(type='mmfreqkd.SSIM')]
test_evaluator = val_evaluator
