# Block-wise weak labels (spectral analysis, docs/methods/spectral.md): mmseg's stock DeepLabV3+
# R50-d8 Cityscapes 512x1024 80k config trained on annotations whose every 32x32 block (at the
# annotation's 1024x2048 resolution, before resizing) holds its majority class; validation
# keeps the full annotation.
_base_ = [
    'mmseg::deeplabv3plus/deeplabv3plus_r50-d8_4xb2-80k_cityscapes-512x1024.py',
    '../_base_/mmfreqkd_runtime.py'
]
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='mmfreqkd.BlockwiseLabel', block_size=32),
    dict(
        type='RandomResize',
        scale=(2048, 1024),
        ratio_range=(0.5, 2.0),
        keep_ratio=True),
    dict(type='RandomCrop', crop_size={{_base_.crop_size}}, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackSegInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
