# Feature truncation (docs/methods/spectral.md) as in
# ./deeplabv3plus_r18w16-d8_trunc-0.5_1xb8-1k_texseg-64x64.py, with
# the decoder on features low-passed and down-sampled to 0.25 of their side.
_base_ = './deeplabv3plus_r18w16-d8_trunc-0.5_1xb8-1k_texseg-64x64.py'
model = dict(decode_head=dict(ratio=0.25))
