# The embedded texture-and-shape classification set (`python tools/generate_data.py texcls`):
# 15 classes (disk / square / triangle filled with one of five textures), 32x32, in
# mmpretrain's CustomDataset folder layout; read by the stock CustomDataset, scored by Accuracy.
dataset_type = 'CustomDataset'
data_root = 'data/mmfreqkd/texcls'
# (typed, so that a distillation algorithm built from this config gets it as well)
data_preprocessor = dict(
    type='mmpretrain.ClsDataPreprocessor', num_classes=15, mean=[127.5, 127.5, 127.5],
    std=[64.0, 64.0, 64.0], to_rgb=True)
# The CIFAR recipe's random crop (4-pixel reflected border), which keeps both the shape and the
# texture of an image; no flips or rotations: they would turn one texture class (e.g.
# `diagonal`) into another. Without the crop a student of 600 images overfits (training loss
# near 0) and its accuracy varies by several points from seed to seed.
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomCrop', crop_size=32, padding=4, padding_mode='reflect'),
    dict(type='PackInputs')
]
test_pipeline = [dict(type='LoadImageFromFile'), dict(type='PackInputs')]
train_dataloader = dict(
    batch_size=64,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type, data_root=data_root, data_prefix='train', pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=100,
    num_workers=0,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type, data_root=data_root, data_prefix='val', pipeline=test_pipeline))
test_dataloader = dict(  # results are reported on test, never used for a choice
    val_dataloader, dataset=dict(val_dataloader['dataset'], data_prefix='test'))
val_evaluator = dict(type='Accuracy', topk=(1, ))
test_evaluator = val_evaluator
