# SLKD's teacher A for deblurring: GoPro (SEQ/blur/, SEQ/sharp/): the published Restormer, trained
# on the degraded images with SLKD's 100-epoch schedule (Restormer's own weights use other module
# names).
_base_ = [
    '../../_base_/models/restormer.py', '../../_base_/datasets/paired_restoration.py',
    '../../_base_/schedules/restore_100e.py', '../../_base_/restore_epoch_runtime.py'
]
train_dataloader = dict(dataset=dict(layout='gopro', data_root='data/GoPro/train'))
val_dataloader = dict(dataset=dict(layout='gopro', data_root='data/GoPro/test'))
test_dataloader = val_dataloader
val_evaluator = [dict(type='mmfreqkd.PSNR'), dict(type='mmfreqkd.SSIM')]
test_evaluator = val_evaluator
