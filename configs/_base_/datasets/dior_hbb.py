# DIOR (Li et al., ISPRS 2020), horizontal boxes in COCO json, as DS2D2's official code reads it
# (docs/methods/ds2d2.md, Configs): 20 classes, 800x800 images, Resize(800, 800, keep_ratio), flip
# 0.5, images without boxes or smaller than 32 px skipped in training, CocoMetric (mAP, AP50).
# Layout: the DIOR download (JPEGImages-trainval/, JPEGImages-test/) plus the two json files
# converted from its "Horizontal Bounding Boxes" XML annotations.
dataset_type = 'CocoDataset'
data_root = 'data/DIOR/'
metainfo = dict(classes=(
    'airplane', 'airport', 'baseballfield', 'basketballcourt', 'bridge', 'chimney', 'dam',
    'Expressway-Service-area', 'Expressway-toll-station', 'golffield', 'groundtrackfield',
    'harbor', 'overpass', 'ship', 'stadium', 'storagetank', 'tenniscourt', 'trainstation',
    'vehicle', 'windmill'))
train_ann, train_img = 'annotations/trainval.json', 'JPEGImages-trainval/'
test_ann, test_img = 'annotations/test.json', 'JPEGImages-test/'
image_scale = (800, 800)
backend_args = None

train_pipeline = [
    dict(type='LoadImageFromFile', backend_args=backend_args),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='Resize', scale=image_scale, keep_ratio=True),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackDetInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile', backend_args=backend_args),
    dict(type='Resize', scale=image_scale, keep_ratio=True),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='PackDetInputs',
         meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]
train_dataloader = dict(
    batch_size=2,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    batch_sampler=dict(type='AspectRatioBatchSampler'),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        metainfo=metainfo,
        ann_file=train_ann,
        data_prefix=dict(img=train_img),
        filter_cfg=dict(filter_empty_gt=True, min_size=32),
        pipeline=train_pipeline,
        backend_args=backend_args))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        metainfo=metainfo,
        ann_file=test_ann,
        data_prefix=dict(img=test_img),
        test_mode=True,
        pipeline=test_pipeline,
        backend_args=backend_args))
test_dataloader = val_dataloader
val_evaluator = dict(
    type='CocoMetric', ann_file=data_root + test_ann, metric='bbox', format_only=False,
    backend_args=backend_args)
test_evaluator = val_evaluator
