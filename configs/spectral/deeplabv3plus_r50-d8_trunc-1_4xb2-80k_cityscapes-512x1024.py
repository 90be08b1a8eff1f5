# Feature truncation (spectral analysis, docs/methods/spectral.md): mmseg's stock DeepLabV3+ R50-d8
# Cityscapes 512x1024 80k config whose decoder (ASPP, c1 skip path and fusion) runs on features
# ideally low-passed and down-sampled to 1 of their side (ratio 1: the stock head, for the
# FLOPs/mIoU table). The auxiliary FCN head is unchanged.
_base_ = [
    'mmseg::deeplabv3plus/deeplabv3plus_r50-d8_4xb2-80k_cityscapes-512x1024.py',
    '../_base_/mmfreqkd_runtime.py'
]
model = dict(
    decode_head=dict(
        _delete_=True,
        type='mmfreqkd.FeatureTruncationHead',
        head={{_base_.model.decode_head}},
        ratio=1,
        mode='spectral'))
