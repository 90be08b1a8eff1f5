# SLKD's teacher A for deraining: Rain13K (input/, target/), validated on Rain100H: the published
# Restormer, trained on the degraded images with SLKD's 100-epoch schedule (Restormer's own
# weights use other module names).
_base_ = [
    '../../_base_/models/restormer.py', '../../_base_/datasets/paired_restoration.py',
    '../../_base_/schedules/restore_100e.py', '../../_base_/restore_epoch_runtime.py'
]
