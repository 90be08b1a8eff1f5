# DOTA-v1.0 with horizontal boxes in COCO json, as DS2D2's official code reads it
# (docs/methods/ds2d2.md, Configs): 15 classes, images pre-cropped to 1024x1024 patches (mmrotate's
# tools/data/dota/split), resized to 1024 keep-ratio, evaluated on val with CocoMetric. Layout:
# data/DOTA-hbb/{train,val}/images/ with train/train.json and val/val.json.
_base_ = './dior_hbb.py'
data_root = 'data/DOTA-hbb/'
metainfo = dict(classes=(
    'plane', 'baseball-diamond', 'bridge', 'ground-track-field', 'small-vehicle',
    'large-vehicle', 'ship', 'tennis-court', 'basketball-court', 'storage-tank',
    'soccer-ball-field', 'roundabout', 'harbor', 'swimming-pool', 'helicopter'))
train_ann, train_img = 'train/train.json', 'train/images/'
test_ann, test_img = 'val/val.json', 'val/images/'
image_scale = (1024, 1024)
train_pipeline = [
    dict(type='LoadImageFromFile', backend_args=None),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='Resize', scale=image_scale, keep_ratio=True),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackDetInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile', backend_args=None),
    dict(type='Resize', scale=image_scale, keep_ratio=True),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='PackDetInputs',
         meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor'))
]
train_dataloader = dict(dataset=dict(
    data_root=data_root, metainfo=metainfo, ann_file=train_ann,
    data_prefix=dict(img=train_img), pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(
    data_root=data_root, metainfo=metainfo, ann_file=test_ann,
    data_prefix=dict(img=test_img), pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(ann_file=data_root + test_ann)
test_evaluator = val_evaluator
