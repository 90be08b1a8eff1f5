# SFKD, homogeneous pair on ImageNet-1k (the comparison point of the heterogeneous ones):
# mmpretrain's ResNet-34 teacher (published weights) -> ResNet-18, stage 3 to stage 3 (256 x
# 14 x 14 both, the alignment a 1x1 conv + BN).
_base_ = './sfkd_swin-tiny_resnet18_8xb32_in1k.py'
teacher_ckpt = ('https://download.openmmlab.com/mmclassification/v0/resnet/'
                'resnet34_8xb32_in1k_20210831-f257d4e6.pth')
model = dict(
    teacher=dict(cfg_path='mmpretrain::resnet/resnet34_8xb32_in1k.py'),
    teacher_ckpt=teacher_ckpt,
    distiller=dict(
        teacher_recorders=dict(
            feat=dict(source='backbone.layer3'), logits=dict(source='head.fc')),
        connectors=dict(align=dict(out_channels=256), ds2s=dict(channels=256))))
