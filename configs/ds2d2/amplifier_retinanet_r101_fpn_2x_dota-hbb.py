# DS2D2's amplifier stage on DOTA-v1.0 horizontal boxes (see amplifier_..._dior.py).
_base_ = './detectors/retinanet_r101_fpn_2x_dota-hbb.py'
load_from = 'work_dirs/retinanet_r101_fpn_2x_dota-hbb/epoch_24.pth'
model = dict(
    backbone=dict(frozen_stages=4, norm_eval=True),
    neck=dict(type='mmfreqkd.HighFrequencyFPN', wavelet='haar', mode='zero', frozen=True))
