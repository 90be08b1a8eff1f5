# SFKD with the light DS2S refiner (weights shared across wavelet levels, depth-wise steps
# only: 1.3 % of the full refiner's parameters at 96 channels) on the embedded pair.
_base_ = './sfkd_mobilevit-s3_resnet18w4_1xb64-1k_texcls-32x32.py'
model = dict(distiller=dict(connectors=dict(ds2s=dict(light=True))))
