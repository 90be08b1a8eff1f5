# The changes that make mmseg's PSPNet R101-d8 configs R18-d8 ones, as its
# pspnet_r18-d8_4xb2-80k_cityscapes-512x1024.py makes them (mmseg ships R18 only for Cityscapes).
pspnet_r18_d8 = dict(
    pretrained='open-mmlab://resnet18_v1c',
    backbone=dict(depth=18),
    decode_head=dict(in_channels=512, channels=128),
    auxiliary_head=dict(in_channels=256, channels=64))
