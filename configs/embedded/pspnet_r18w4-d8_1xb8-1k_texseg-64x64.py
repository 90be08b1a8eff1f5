# Student of the embedded texture-segmentation quick start, trained without distillation.
_base_ = [
    '../_base_/models/texseg_pspnet_r18w4.py', '../_base_/datasets/texseg.py',
    '../_base_/schedules/texseg_1k.py', 'mmseg::_base_/default_runtime.py',
    '../_base_/mmfreqkd_runtime.py'
]
