# SSTKD, DeepLabV3+ R101-d8 -> DeepLabV3+ R18-d8 on Cityscapes 512x1024, 80k iterations: the
# recorders of ../_base_/algorithms/sstkd.py fit any mmseg EncoderDecoder whose backbone has a
# `layer1` and whose head has `conv_seg` (ASPP/separable heads included).
_base_ = './sstkd_pspnet_r101-d8_pspnet_r18-d8_4xb2-80k_cityscapes-512x1024.py'
student = 'mmseg::deeplabv3plus/deeplabv3plus_r18-d8_4xb2-80k_cityscapes-512x1024.py'
teacher = 'mmseg::deeplabv3plus/deeplabv3plus_r101-d8_4xb2-80k_cityscapes-512x1024.py'
teacher_ckpt = 'https://download.openmmlab.com/mmsegmentation/v0.5/deeplabv3plus/deeplabv3plus_r101-d8_512x1024_80k_cityscapes/deeplabv3plus_r101-d8_512x1024_80k_cityscapes_20200606_114143-068fcfe9.pth'  # noqa: E501
model = dict(
    architecture=dict(cfg_path=student), teacher=dict(cfg_path=teacher),
    teacher_ckpt=teacher_ckpt)
