# Block-wise weak labels (docs/methods/spectral.md) with 16x16 blocks; everything else as in
# ./deeplabv3plus_r50-d8_block-4_4xb2-80k_cityscapes-512x1024.py;
# mmengine replaces a list as a whole, hence the repeated pipeline.
_base_ = './deeplabv3plus_r50-d8_block-4_4xb2-80k_cityscapes-512x1024.py'
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='mmfreqkd.BlockwiseLabel', block_size=16),
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
