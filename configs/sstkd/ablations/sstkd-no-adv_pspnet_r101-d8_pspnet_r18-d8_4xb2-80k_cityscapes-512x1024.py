# Ablation: response, structural and statistical texture terms without the adversarial term.
_base_ = '../sstkd_pspnet_r101-d8_pspnet_r18-d8_4xb2-80k_cityscapes-512x1024.py'
model = dict(adversarial=None)
