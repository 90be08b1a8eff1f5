# SLKD's teacher B on the embedded restoration set: NAFNet width 16 reconstructing clean images
# from clean images, without the global residual (with it, the identity is learnt by zeroing the
# last convolution; without it, the encoder-decoder itself must render clean images).
_base_ = [
    '../_base_/models/restore_nafnet_w16.py', '../_base_/datasets/restore.py',
    '../_base_/schedules/restore_1k.py', '../_base_/restore_runtime.py'
]
model = dict(global_residual=False)
train_dataloader = dict(dataset=dict(degraded='clean'))
val_dataloader = dict(dataset=dict(degraded='clean'))
test_dataloader = val_dataloader
