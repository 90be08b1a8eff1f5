# Block-wise weak labels (docs/methods/spectral.md) with 16x16 blocks; everything else as in
# ./deeplabv3plus_r18w16-d8_block-4_1xb8-1k_texseg-64x64.py;
# mmengine replaces a list as a whole, hence the repeated pipeline.
_base_ = './deeplabv3plus_r18w16-d8_block-4_1xb8-1k_texseg-64x64.py'
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='mmfreqkd.BlockwiseLabel', block_size=16),
    dict(type='RandomFlip', prob=0.5, direction=['horizontal', 'vertical']),
    dict(type='PackSegInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
