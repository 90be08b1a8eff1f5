# SLKD without L_ET (the decoder's PIQE-cue loss to teacher B).
_base_ = '../slkd_nafnet-w16_nafnet-w8_1xb8-1k_restore-rain-64x64.py'
model = dict(distiller=dict(distill_losses=dict(loss_et=None)))
