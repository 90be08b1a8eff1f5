# SFKD, heterogeneous pair on ImageNet-1k: mmpretrain's DeiT-S teacher (published weights;
# 14 x 14 patch tokens after its class token, 384 channels, at 224) -> ResNet-18 student
# (stage 3, 256 x 14 x 14). The class token is dropped, the patch tokens folded into a map.
_base_ = './sfkd_swin-tiny_resnet18_8xb32_in1k.py'
teacher_ckpt = ('https://download.openmmlab.com/mmclassification/v0/deit/'
                'deit-small_pt-4xb256_in1k_20220218-9425b9bb.pth')
model = dict(
    teacher=dict(cfg_path='mmpretrain::deit/deit-small_4xb256_in1k.py'),
    teacher_ckpt=teacher_ckpt,
    distiller=dict(
        teacher_recorders=dict(
            feat=dict(source='backbone.ln1'), logits=dict(source='head.layers.head')),
        connectors=dict(tokens=dict(grid=(14, 14), extra_tokens=1))))  # 224 / 16
