# NAFNet width 8 deraining the embedded restoration set: the student without distillation.
_base_ = [
    '../_base_/models/restore_nafnet_w8.py', '../_base_/datasets/restore.py',
    '../_base_/schedules/restore_1k.py', '../_base_/restore_runtime.py'
]
