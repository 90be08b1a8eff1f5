# Feature truncation (docs/methods/spectral.md) as in
# ./deeplabv3plus_r50-d8_trunc-0.5_4xb2-80k_cityscapes-512x1024.py, with
# the decoder on features low-passed and down-sampled to 0.25 of their side.
_base_ = './deeplabv3plus_r50-d8_trunc-0.5_4xb2-80k_cityscapes-512x1024.py'
model = dict(decode_head=dict(ratio=0.25))
