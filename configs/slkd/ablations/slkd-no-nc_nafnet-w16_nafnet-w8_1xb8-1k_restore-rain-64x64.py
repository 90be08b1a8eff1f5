# SLKD without L_NC (the encoder's BRISQUE-statistics loss to teacher A).
_base_ = '../slkd_nafnet-w16_nafnet-w8_1xb8-1k_restore-rain-64x64.py'
model = dict(distiller=dict(distill_losses=dict(loss_nc=None)))
