# Feature truncation (docs/methods/spectral.md) as in
# ./deeplabv3plus_r50-d8_trunc-0.5_4xb2-80k_cityscapes-512x1024.py, with
# ratio 1: the stock head inside the wrapper, the reference of the FLOPs/mIoU table.
_base_ = './deeplabv3plus_r50-d8_trunc-0.5_4xb2-80k_cityscapes-512x1024.py'
model = dict(decode_head=dict(ratio=1))
