# Ablation: statistical texture only (DTIEM + L_sta); no response, structural or adversarial term.
_base_ = '../sstkd_pspnet_r101-d8_pspnet_r18-d8_4xb2-80k_cityscapes-512x1024.py'
model = dict(
    distiller=dict(distill_losses=dict(loss_kd=None, loss_str=None)), adversarial=None)
