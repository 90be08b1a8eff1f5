# A public paired restoration benchmark read by mmfreqkd.PairedImageDataset; Rain13K (training,
# 13,712 pairs in input/ and target/) with Rain100H (validation) by default. A task config
# changes `layout` and the roots (GoPro, SIDD, RESIDE). Training: random 128x128 patches,
# horizontal and vertical flips, batch 8 (SLKD's protocol); validation on whole images, PSNR and
# SSIM (on the BT.601 luma for deraining, as deraining papers report; RGB elsewhere).
dataset_type = 'mmfreqkd.PairedImageDataset'
train_pipeline = [
    dict(type='mmfreqkd.LoadImagePair'),
    dict(type='mmfreqkd.PairedRandomCrop', crop_size=128),
    dict(type='mmfreqkd.PairedRandomFlip', prob=0.5, vertical_prob=0.5),
    dict(type='mmfreqkd.PackImagePair')
]
test_pipeline = [dict(type='mmfreqkd.LoadImagePair'), dict(type='mmfreqkd.PackImagePair')]
train_dataloader = dict(
    batch_size=8,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type=dataset_type, layout='input_target', data_root='data/Rain13K/train',
                 pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, layout='input_target', data_root='data/Rain13K/test/Rain100H',
                 pipeline=test_pipeline, test_mode=True))
test_dataloader = val_dataloader
val_evaluator = [dict(type='mmfreqkd.PSNR', y_channel=True),
                 dict(type='mmfreqkd.SSIM', y_channel=True)]
test_evaluator = val_evaluator
