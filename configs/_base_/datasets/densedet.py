# The embedded dense small-object set (`python tools/generate_data.py densedet`): 128x128 images
# with 12-40 objects of 6-16 px, COCO json, read by mmdet's stock CocoDataset + CocoMetric.
dataset_type = 'CocoDataset'
data_root = 'data/mmfreqkd/densedet/'
metainfo = dict(classes=('square', 'disk', 'triangle'))
backend_args = None

train_pipeline = [
    dict(type='LoadImageFromFile', backend_args=backend_args),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackDetInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile', backend_args=backend_args),
    dict(type='Resize', scale=(128, 128), keep_ratio=True),  # identity; sets scale_factor
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='PackDetInputs',
         meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]
train_dataloader = dict(
    batch_size=4,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        metainfo=metainfo,
        ann_file='annotations/train.json',
        data_prefix=dict(img='train/'),
        filter_cfg=dict(filter_empty_gt=True),
        pipeline=train_pipeline,
        backend_args=backend_args))
val_dataloader = dict(
    batch_size=4,
    num_workers=0,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        metainfo=metainfo,
        ann_file='annotations/val.json',
        data_prefix=dict(img='val/'),
        test_mode=True,
        pipeline=test_pipeline,
        backend_args=backend_args))
test_dataloader = dict(  # results are reported on test, never used for a choice
    val_dataloader,
    dataset=dict(val_dataloader['dataset'], ann_file='annotations/test.json',
                 data_prefix=dict(img='test/')))
val_evaluator = dict(
    type='CocoMetric', ann_file=data_root + 'annotations/val.json', metric='bbox',
    format_only=False, backend_args=backend_args)
test_evaluator = dict(val_evaluator, ann_file=data_root + 'annotations/test.json')
