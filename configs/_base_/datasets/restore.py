# The embedded restoration set (`python tools/generate_data.py restore`): 64x64 crops of
# scikit-image's photographs, clean and with rain, blur, noise or haze, in paired folders read by
# mmfreqkd.PairedImageDataset (layout 'folders'), scored by PSNR and SSIM on RGB. A child config
# picks the degradation: `train_dataloader = dict(dataset=dict(degraded='blur'))` and the same
# for `val_dataloader`.
dataset_type = 'mmfreqkd.PairedImageDataset'
data_root = 'data/mmfreqkd/restore/'
pipeline = [dict(type='mmfreqkd.LoadImagePair'), dict(type='mmfreqkd.PackImagePair')]
train_dataloader = dict(
    batch_size=8,
    num_workers=0,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(type=dataset_type, layout='folders', degraded='rain',
                 data_root=data_root + 'train', pipeline=pipeline))
val_dataloader = dict(
    batch_size=8,
    num_workers=0,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, layout='folders', degraded='rain',
                 data_root=data_root + 'val', pipeline=pipeline, test_mode=True))
test_dataloader = dict(  # results are reported on test, never used for a choice
    val_dataloader, dataset=dict(val_dataloader['dataset'], data_root=data_root + 'test'))
val_evaluator = [dict(type='mmfreqkd.PSNR'), dict(type='mmfreqkd.SSIM')]
test_evaluator = val_evaluator
