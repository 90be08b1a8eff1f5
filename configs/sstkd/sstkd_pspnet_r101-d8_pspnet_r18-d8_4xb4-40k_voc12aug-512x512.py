# SSTKD, PSPNet R101-d8 -> PSPNet R18-d8 on Pascal VOC 2012 aug 512x512, 40k iterations (the
# teacher's mmseg schedule; 21 classes).
_base_ = [
    'mmseg::_base_/datasets/pascal_voc12_aug.py', 'mmseg::_base_/schedules/schedule_40k.py',
    'mmseg::_base_/default_runtime.py', '../_base_/mmfreqkd_runtime.py',
    '../_base_/algorithms/sstkd.py'
]
student = '{{fileDirname}}/../_base_/models/pspnet_r18-d8_4xb4-40k_voc12aug-512x512.py'
teacher = 'mmseg::pspnet/pspnet_r101-d8_4xb4-40k_voc12aug-512x512.py'
teacher_ckpt = 'https://download.openmmlab.com/mmsegmentation/v0.5/pspnet/pspnet_r101-d8_512x512_40k_voc12aug/pspnet_r101-d8_512x512_40k_voc12aug_20200613_161222-bc933b18.pth'  # noqa: E501
model = dict(
    architecture=dict(cfg_path=student), teacher=dict(cfg_path=teacher),
    teacher_ckpt=teacher_ckpt, adversarial=dict(discriminator=dict(in_channels=21)))
optim_wrapper = dict(constructor='mmfreqkd.SubModelOptimWrapperConstructor',
                     discriminator={{_base_.critic_optim_wrapper}})
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
