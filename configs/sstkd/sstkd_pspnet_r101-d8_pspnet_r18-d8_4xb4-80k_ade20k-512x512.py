# SSTKD, PSPNet R101-d8 -> PSPNet R18-d8 on ADE20K 512x512, 80k iterations (the teacher's mmseg
# schedule; 150 classes).
_base_ = [
    'mmseg::_base_/datasets/ade20k.py', 'mmseg::_base_/schedules/schedule_80k.py',
    'mmseg::_base_/default_runtime.py', '../_base_/mmfreqkd_runtime.py',
    '../_base_/algorithms/sstkd.py'
]
student = '{{fileDirname}}/../_base_/models/pspnet_r18-d8_4xb4-80k_ade20k-512x512.py'
teacher = 'mmseg::pspnet/pspnet_r101-d8_4xb4-80k_ade20k-512x512.py'
teacher_ckpt = 'https://download.openmmlab.com/mmsegmentation/v0.5/pspnet/pspnet_r101-d8_512x512_80k_ade20k/pspnet_r101-d8_512x512_80k_ade20k_20200614_031423-b6e782f0.pth'  # noqa: E501
model = dict(
    architecture=dict(cfg_path=student), teacher=dict(cfg_path=teacher),
    teacher_ckpt=teacher_ckpt, adversarial=dict(discriminator=dict(in_channels=150)))
optim_wrapper = dict(constructor='mmfreqkd.SubModelOptimWrapperConstructor',
                     discriminator={{_base_.critic_optim_wrapper}})
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
