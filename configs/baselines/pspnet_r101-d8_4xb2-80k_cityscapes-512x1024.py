# The teacher of the Cityscapes comparison, as mmseg ships it: PSPNet R101-d8, tested on its
# published weights (tools/benchmark.py seg; the URL is in the distillation configs), with
# mmfreqkd's runtime like every config here.
_base_ = [
    'mmseg::pspnet/pspnet_r101-d8_4xb2-80k_cityscapes-512x1024.py',
    '../_base_/mmfreqkd_runtime.py'
]
