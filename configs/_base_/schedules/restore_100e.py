# SLKD's full-size schedule (its journal version): 100 epochs of batch 8, Adam-type optimiser
# (AdamW, beta 0.9 / 0.999, with weight decay) and a cosine decay of the learning rate; the
# initial rate is not published: 3e-4, Restormer's.
max_epochs = 100
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=3e-4, betas=(0.9, 0.999), weight_decay=1e-4))
param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=1e-6, by_epoch=True, begin=0, end=max_epochs,
         convert_to_iter_based=True)
]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=10)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
