# The no-KD student of the Cityscapes comparison: mmseg's stock PSPNet R18-d8 (512x1024, 80k
# iterations, 4 GPUs x 2 images) with mmfreqkd's runtime hooks, as the distilled runs have.
_base_ = [
    'mmseg::pspnet/pspnet_r18-d8_4xb2-80k_cityscapes-512x1024.py',
    '../_base_/mmfreqkd_runtime.py'
]
