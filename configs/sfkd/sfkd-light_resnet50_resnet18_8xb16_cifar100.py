# SFKD on CIFAR-100: mmpretrain's CIFAR ResNet-50 (published CIFAR-100 weights) -> CIFAR
# ResNet-18 (mmpretrain's CIFAR-10 config with a 100-class head), stage 3 to stage 3 at 8 x 8
# (student 256 channels, aligned to the teacher's 1024). The refiner is the light variant: at
# 1024 channels the full one would hold about 15 M parameters, more than the student. Data,
# schedule and runtime: mmpretrain's CIFAR-100 recipe (8 GPUs x 16 images, 200 epochs).
_base_ = [
    'mmpretrain::_base_/datasets/cifar100_bs16.py',
    'mmpretrain::_base_/schedules/cifar10_bs128.py', '../_base_/cls_runtime.py',
    '../_base_/algorithms/sfkd.py'
]
data_preprocessor = dict(type='mmpretrain.ClsDataPreprocessor')
# weight decay 5e-4, as mmpretrain's resnet50_8xb16_cifar100.py
optim_wrapper = dict(optimizer=dict(weight_decay=0.0005))
teacher_ckpt = ('https://download.openmmlab.com/mmclassification/v0/resnet/'
                'resnet50_b16x8_cifar100_20210528-67b58a1b.pth')
model = dict(
    architecture=dict(cfg_path='mmpretrain::resnet/resnet18_8xb16_cifar10.py',
                      head=dict(num_classes=100)),
    teacher=dict(cfg_path='mmpretrain::resnet/resnet50_8xb16_cifar100.py'),
    teacher_ckpt=teacher_ckpt,
    distiller=dict(
        teacher_recorders=dict(
            feat=dict(source='backbone.layer3'), logits=dict(source='head.fc')),
        connectors=dict(
            align=dict(in_channels=256, out_channels=1024),
            ds2s=dict(channels=1024, light=True))))
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
