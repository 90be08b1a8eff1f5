# SLKD's teacher B for denoising: SIDD-Medium (SCENE/NOISY_*, SCENE/GT_*), validated on its
# validation scenes: Restormer without its global residual, reconstructing the clean images from
# themselves (its decoder learns to render clean images).
_base_ = ['./restormer_1xb8-100e_sidd-128x128.py']
model = dict(global_residual=False)
# SIDD's clean images GT_* of every scene, paired with themselves: list them with the 'folders'
# layout of a flat copy (data/SIDD/train_gt/gt/*.PNG).
train_dataloader = dict(dataset=dict(layout='folders', degraded='gt', clean='gt',
                                     data_root='data/SIDD/train_gt'))
val_dataloader = dict(dataset=dict(layout='folders', degraded='gt', clean='gt',
                                   data_root='data/SIDD/val_gt'))
test_dataloader = val_dataloader
val_evaluator = [dict(type='mmfreqkd.PSNR'), dict(type='mmfreqkd.SSIM')]
test_evaluator = val_evaluator
