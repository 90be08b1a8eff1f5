# The student of the embedded texture set: texseg_pspnet_r18w32.py at half the width.
_base_ = './texseg_pspnet_r18w32.py'
width = 16
model = dict(
    backbone=dict(stem_channels=width, base_channels=width),
    decode_head=dict(in_channels=8 * width, channels=2 * width))
