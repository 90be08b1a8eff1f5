# Block-wise weak labels (spectral analysis, docs/methods/spectral.md) on the embedded texture
# set: every 8x8 block of a training annotation gets its majority class; validation keeps
# the full annotation.
_base_ = './deeplabv3plus_r18w16-d8_1xb8-1k_texseg-64x64.py'
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='mmfreqkd.BlockwiseLabel', block_size=8),
    dict(type='RandomFlip', prob=0.5, direction=['horizontal', 'vertical']),
    dict(type='PackSegInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
