# SLKD for denoising: SIDD-Medium (SCENE/NOISY_*, SCENE/GT_*), validated on its validation scenes:
# Restormer teachers -> compact Restormer (2.53 M parameters, -90 %). Train teacher A
# (teachers/restormer_1xb8-100e_sidd-128x128.py) and teacher B (teachers/restormer-
# ae_1xb8-100e_sidd-clean-128x128.py) first.
_base_ = [
    '../_base_/datasets/paired_restoration.py', '../_base_/schedules/restore_100e.py',
    '../_base_/restore_epoch_runtime.py', '../_base_/algorithms/slkd_restormer.py'
]
model = dict(teachers=dict(
    A=dict(ckpt='work_dirs/restormer_1xb8-100e_sidd-128x128/epoch_100.pth'),
    B=dict(ckpt='work_dirs/restormer-ae_1xb8-100e_sidd-clean-128x128/epoch_100.pth')))
val_cfg = dict(_delete_=True, type='mmfreqkd.MultiTeacherValLoop')
train_dataloader = dict(dataset=dict(layout='sidd', data_root='data/SIDD/train'))
val_dataloader = dict(dataset=dict(layout='sidd', data_root='data/SIDD/val'))
test_dataloader = val_dataloader
val_evaluator = [dict(type='mmfreqkd.PSNR'), dict(type='mmfreqkd.SSIM')]
test_evaluator = val_evaluator
