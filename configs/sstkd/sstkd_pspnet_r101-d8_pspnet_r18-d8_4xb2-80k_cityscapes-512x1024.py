# SSTKD, PSPNet R101-d8 -> PSPNet R18-d8 on Cityscapes 512x1024, 80k iterations: the pair,
# protocol and teacher checkpoint of mmrazor's CWD config
# (distill/mmseg/cwd/cwd_logits_pspnet_r101-d8_pspnet_r18-d8_4xb2-80k_cityscapes-512x1024.py).
# Stage-1 (layer1) features: R18 64 channels, aligned to R101's 256.
_base_ = [
    'mmseg::_base_/datasets/cityscapes.py', 'mmseg::_base_/schedules/schedule_80k.py',
    'mmseg::_base_/default_runtime.py', '../_base_/mmfreqkd_runtime.py',
    '../_base_/algorithms/sstkd.py'
]
student = 'mmseg::pspnet/pspnet_r18-d8_4xb2-80k_cityscapes-512x1024.py'
teacher = 'mmseg::pspnet/pspnet_r101-d8_4xb2-80k_cityscapes-512x1024.py'
teacher_ckpt = 'https://download.openmmlab.com/mmsegmentation/v0.5/pspnet/pspnet_r101-d8_512x1024_80k_cityscapes/pspnet_r101-d8_512x1024_80k_cityscapes_20200606_112211-e1e1100f.pth'  # noqa: E501
model = dict(
    architecture=dict(cfg_path=student), teacher=dict(cfg_path=teacher),
    teacher_ckpt=teacher_ckpt, adversarial=dict(discriminator=dict(in_channels=19)))
optim_wrapper = dict(constructor='mmfreqkd.SubModelOptimWrapperConstructor',
                     discriminator={{_base_.critic_optim_wrapper}})
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
