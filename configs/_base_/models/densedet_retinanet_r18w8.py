# The student of the embedded dense small-object set: densedet_retinanet_r18w32.py with a
# backbone at a quarter of the width (stage channels 8, 16, 32, 64). Its FPN and head keep the
# teacher's width (32 channels), as the stock R18-FPN and R101-FPN both output 256: feature
# distillation and DS2D2's amplifiers (the teacher's head run on student features) pair the
# levels channel for channel.
_base_ = './densedet_retinanet_r18w32.py'
width = 8
model = dict(
    backbone=dict(base_channels=width),
    neck=dict(in_channels=[width, 2 * width, 4 * width, 8 * width]))
