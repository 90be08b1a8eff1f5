# DS2D2's amplifier stage on DIOR for the RTMDet-head R101 teacher: loaded from its checkpoint,
# backbone and FPN frozen, its head trained on high-frequency FPN maps, 2x.
_base_ = './detectors/rtmdet_r101_fpn_2x_dior.py'
load_from = 'work_dirs/rtmdet_r101_fpn_2x_dior/epoch_24.pth'
model = dict(
    backbone=dict(frozen_stages=4, norm_eval=True),
    neck=dict(type='mmfreqkd.HighFrequencyFPN', wavelet='haar', mode='zero', frozen=True))
