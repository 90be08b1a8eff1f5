# SFKD, heterogeneous pair on ImageNet-1k: mmpretrain's Swin-T teacher (published weights) ->
# ResNet-18 student, both stock mmpretrain configs. The student's stage 3 (256 x 14 x 14 at
# 224) is aligned to the teacher's stage 3 (384 channels, 14 x 14 tokens, before its patch
# merging), the map with room for two DWT levels. Data, schedule and runtime: mmpretrain's
# ResNet-18 recipe (8 GPUs x 32 images).
_base_ = [
    'mmpretrain::_base_/datasets/imagenet_bs32.py',
    'mmpretrain::_base_/schedules/imagenet_bs256.py', '../_base_/cls_runtime.py',
    '../_base_/algorithms/sfkd.py'
]
# the dataset's normalisation, typed: the runner hands it to the distillation algorithm
data_preprocessor = dict(type='mmpretrain.ClsDataPreprocessor')
teacher_ckpt = ('https://download.openmmlab.com/mmclassification/v0/swin-transformer/'
                'swin_tiny_224_b16x64_300e_imagenet_20210616_090925-66df6be6.pth')
model = dict(
    architecture=dict(cfg_path='mmpretrain::resnet/resnet18_8xb32_in1k.py', pretrained=False),
    teacher=dict(cfg_path='mmpretrain::swin_transformer/swin-tiny_16xb64_in1k.py',
                 pretrained=False),
    teacher_ckpt=teacher_ckpt,
    distiller=dict(
        teacher_recorders=dict(
            feat=dict(source='backbone.stages.2'), logits=dict(source='head.fc')),
        connectors=dict(
            # a Swin stage returns (tokens, grid): TokensToMap folds the tokens on that grid
            align=dict(in_channels=256, out_channels=384), ds2s=dict(channels=384))))
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
