# Small DeepLabV3+ for the embedded texture set: stock mmseg ResNetV1c-18 at width 16 with the
# stock DepthwiseSeparableASPPHead: ASPP on the stride-8 layer4 output, c1 skip path from
# layer1 (stride 4). The ASPP dilations are scaled to the 8x8
# stride-8 map of a 64x64 crop (mmseg's (1, 12, 24, 36) is for 64x128 Cityscapes maps).
_base_ = './texseg_pspnet_r18w32.py'
width = 16
model = dict(
    backbone=dict(stem_channels=width, base_channels=width),
    decode_head=dict(
        _delete_=True,
        type='DepthwiseSeparableASPPHead',
        in_channels=8 * width,
        in_index=3,
        channels=2 * width,
        dilations=(1, 2, 3, 4),
        c1_in_channels=width,
        c1_channels=width,
        dropout_ratio=0.1,
        num_classes=5,
        norm_cfg={{_base_.norm_cfg}},
        align_corners=False,
        loss_decode=dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0)))
