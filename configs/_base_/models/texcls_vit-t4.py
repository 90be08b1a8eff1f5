# The transformer teacher of the embedded classification set: mmpretrain's VisionTransformer at
# 4 layers of width 96 (3 heads, MLP ratio 2), 4x4 patches of a 32x32 image (8 x 8 tokens + a
# class token).
model = dict(
    type='ImageClassifier',
    backbone=dict(
        type='VisionTransformer',
        arch=dict(embed_dims=96, num_layers=4, num_heads=3, feedforward_channels=192),
        img_size=32,
        patch_size=4,
        drop_rate=0.0,
        out_type='cls_token'),
    neck=None,
    head=dict(
        type='VisionTransformerClsHead', num_classes=15, in_channels=96,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0)))
