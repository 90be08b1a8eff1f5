# DS2D2's amplifier stage for the rotated RTMDet's head R101 teacher on DOTA-v1.0 OBB.
_base_ = './detectors/rotated-rtmdet-le90_r101_fpn_1x_dota.py'
load_from = 'work_dirs/rotated-rtmdet-le90_r101_fpn_1x_dota/epoch_12.pth'
model = dict(
    backbone=dict(frozen_stages=4, norm_eval=True),
    neck=dict(type='mmfreqkd.HighFrequencyFPN', wavelet='haar', mode='zero', frozen=True))
