# A CPU-sized schedule for the embedded classification set: 1000 iterations of batch 64
# (about 43 epochs of texcls), SGD with momentum and a cosine decay, gradients clipped.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True),
    # a guard every row shares: without it mmrazor's stock DKD diverges on most seeds against
    # the embedded teacher (its loss exceeds 180 in the first iterations)
    clip_grad=dict(max_norm=5.0))
max_iters = 1000
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=50),
    dict(type='CosineAnnealingLR', eta_min=1e-4, by_epoch=False, begin=50, end=max_iters),
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters)
val_cfg = dict()
test_cfg = dict()
