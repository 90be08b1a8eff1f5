# Rotated FCOS (le90) R18-FPN on DOTA-v1.0 (OBB): mmrotate's stock
# rotated_fcos_r50_fpn_1x_dota_le90.py with a ResNet-18 (DS2D2's rotated FCOS student).
_base_ = 'mmrotate::rotated_fcos/rotated-fcos-le90_r50_fpn_1x_dota.py'
model = dict(
    backbone=dict(
        depth=18, init_cfg=dict(type='Pretrained', checkpoint='torchvision://resnet18')),
    neck=dict(in_channels=[64, 128, 256, 512]))
custom_imports = dict(imports=['mmfreqkd'], allow_failed_imports=False)
randomness = dict(seed=0)
