# Teacher of the embedded classification set: the three-stage MobileViT trained on
# texcls/pretrain (6000 images, ten times its students' training set, as a teacher pre-trained
# on more data) for 2000 iterations with AdamW, as MobileViT trains.
_base_ = [
    '../_base_/models/texcls_mobilevit-s3.py', '../_base_/datasets/texcls.py',
    '../_base_/schedules/texcls_1k.py', '../_base_/cls_iter_runtime.py'
]
train_dataloader = dict(dataset=dict(data_prefix='pretrain'))
optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='AdamW', lr=1e-3, weight_decay=0.05),
    clip_grad=dict(max_norm=5.0))
max_iters = 2000
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=50),
    dict(type='CosineAnnealingLR', eta_min=1e-4, by_epoch=False, begin=50, end=max_iters),
]
