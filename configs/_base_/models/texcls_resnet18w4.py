# The student of the embedded classification set: mmpretrain's CIFAR ResNet-18 (3x3 stem, no
# max-pool) at a sixteenth of the width (stage channels 4, 8, 16, 32); stage 3 is 16 x 8 x 8
# at 32x32 input, the grid of the teacher's last map.
width = 4
model = dict(
    type='ImageClassifier',
    backbone=dict(
        type='ResNet_CIFAR', depth=18, stem_channels=width, base_channels=width,
        out_indices=(3, )),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead', num_classes=15, in_channels=8 * width,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))
