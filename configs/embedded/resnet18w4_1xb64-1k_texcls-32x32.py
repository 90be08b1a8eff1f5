# Student of the embedded classification set, trained without distillation on the 600 images
# of texcls/train (the teacher learnt from the 6000 of texcls/pretrain).
_base_ = [
    '../_base_/models/texcls_resnet18w4.py', '../_base_/datasets/texcls.py',
    '../_base_/schedules/texcls_1k.py', '../_base_/cls_iter_runtime.py'
]
