# The PSPNet R18-d8 student for ADE20K 512x512.
_base_ = ['mmseg::pspnet/pspnet_r101-d8_4xb4-80k_ade20k-512x512.py', './pspnet_r18-d8_changes.py']
model = {{_base_.pspnet_r18_d8}}
