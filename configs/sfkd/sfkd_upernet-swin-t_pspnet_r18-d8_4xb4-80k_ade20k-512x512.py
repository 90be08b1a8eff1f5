# SFKD on segmentation, heterogeneous pair: mmseg's UperNet Swin-T (published ADE20K weights)
# -> PSPNet R18-d8, on ADE20K 512x512 crops with the student's 80k schedule. The student's
# layer 3 (256 channels at 1/8: 64 x 64) is aligned to the teacher's stage 3 (384 channels at
# 1/16: the 32 x 32 tokens of its `norm2`) and refined; wavelet band loss and GFFL as in
# classification, no logit term (the two decode heads predict at different strides).
_base_ = [
    'mmseg::_base_/datasets/ade20k.py', 'mmseg::_base_/schedules/schedule_80k.py',
    'mmseg::_base_/default_runtime.py', '../_base_/mmfreqkd_runtime.py',
    '../_base_/algorithms/sfkd.py'
]
teacher_ckpt = 'https://download.openmmlab.com/mmsegmentation/v0.5/swin/upernet_swin_tiny_patch4_window7_512x512_160k_ade20k_pretrain_224x224_1K/upernet_swin_tiny_patch4_window7_512x512_160k_ade20k_pretrain_224x224_1K_20210531_112542-e380ad3e.pth'  # noqa: E501
model = dict(
    architecture=dict(
        cfg_path='{{fileDirname}}/../_base_/models/pspnet_r18-d8_4xb4-80k_ade20k-512x512.py'),
    teacher=dict(
        cfg_path='mmseg::swin/swin-tiny-patch4-window7-in1k-pre_upernet_8xb2-160k_ade20k-'
        '512x512.py'),
    teacher_ckpt=teacher_ckpt,
    teacher_mode='feat',
    distiller=dict(
        student_recorders=dict(
            _delete_=True, feat=dict(type='ModuleOutputs', source='backbone.layer3')),
        teacher_recorders=dict(
            _delete_=True, feat=dict(type='ModuleOutputs', source='backbone.norm2')),
        connectors=dict(
            align=dict(in_channels=256, out_channels=384, size=(32, 32)),
            ds2s=dict(channels=384)),
        distill_losses=dict(loss_kd=None)))
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
