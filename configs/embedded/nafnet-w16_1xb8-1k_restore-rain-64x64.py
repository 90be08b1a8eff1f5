# NAFNet width 16 deraining the embedded restoration set: SLKD's teacher A (degraded -> clean).
_base_ = [
    '../_base_/models/restore_nafnet_w16.py', '../_base_/datasets/restore.py',
    '../_base_/schedules/restore_1k.py', '../_base_/restore_runtime.py'
]
