# DS2D2's amplifier stage on DIOR (docs/methods/ds2d2.md, Recipe step 2): the R101 Faster R-CNN
# teacher loaded from its checkpoint, backbone and FPN frozen, RPN and RoI head trained on
# high-frequency FPN maps (only the RoI head serves as the amplifier later), 2x.
_base_ = './detectors/faster-rcnn_r101_fpn_2x_dior.py'
load_from = 'work_dirs/faster-rcnn_r101_fpn_2x_dior/epoch_24.pth'
model = dict(
    backbone=dict(frozen_stages=4, norm_eval=True),
    neck=dict(type='mmfreqkd.HighFrequencyFPN', wavelet='haar', mode='zero', frozen=True))
