# restore_runtime.py for epoch-based schedules (restore_100e.py): logs and checkpoints by epoch,
# keeping the best validation PSNR.
_base_ = ['./restore_runtime.py']
default_hooks = dict(
    logger=dict(log_metric_by_epoch=True),
    checkpoint=dict(by_epoch=True, interval=5, max_keep_ckpts=3, save_best='PSNR',
                    rule='greater'))
log_processor = dict(by_epoch=True)
