# SLKD's teacher B for deraining: Rain13K (input/, target/), validated on Rain100H: Restormer
# without its global residual, reconstructing the clean images from themselves (its decoder learns
# to render clean images).
_base_ = ['./restormer_1xb8-100e_rain13k-128x128.py']
model = dict(global_residual=False)
train_dataloader = dict(dataset=dict(layout='folders', degraded='target', clean='target'))
val_dataloader = dict(dataset=dict(layout='folders', degraded='target', clean='target'))
test_dataloader = val_dataloader
