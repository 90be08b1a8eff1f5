# The teacher of the embedded classification set: mmpretrain's MobileViT (Mehta and Rastegari,
# ICLR 2022), a hybrid whose last stage mixes an 8 x 8 map globally with self-attention, cut to
# three stages for a 32x32 input: a stride-2 stem (16 channels), two MobileNetV2 stages (16 and
# 32 channels, the second stride 2) and one MobileViT stage (48 channels, 2 transformer blocks of
# width 64 on 2x2 patches); the 1x1 expansion after it gives a 96 x 8 x 8 map, the grid of the
# student's stage 3.
model = dict(
    type='ImageClassifier',
    backbone=dict(
        type='MobileViT',
        arch=[['mobilenetv2', 16, 1, 1, 2], ['mobilenetv2', 32, 2, 2, 2],
              ['mobilevit', 48, 1, 64, 128, 2, 2]],
        stem_channels=16,
        last_exp_factor=2,
        out_indices=(2, )),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead', num_classes=15, in_channels=96,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))
