# mmpretrain's stock runtime, iteration-based, plus what every mmfreqkd config carries (here
# as two pieces: mmpretrain's runtime sets a seed of its own, which a sibling base cannot).
_base_ = ['mmpretrain::_base_/default_runtime.py', './mmfreqkd_hooks.py']
randomness = dict(seed=0)
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=200, max_keep_ckpts=2))
log_processor = dict(by_epoch=False)
