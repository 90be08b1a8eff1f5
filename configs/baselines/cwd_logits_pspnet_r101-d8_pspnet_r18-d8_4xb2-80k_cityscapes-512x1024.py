# mmrazor's stock channel-wise distillation (../_base_/algorithms/cwd_logits.py) at its own
# protocol: PSPNet R101-d8 (published Cityscapes weights) -> PSPNet R18-d8, 512x1024, 80k
# iterations, 4 GPUs x 2 images; the baseline of
# ../sstkd/sstkd_pspnet_r101-d8_pspnet_r18-d8_4xb2-80k_cityscapes-512x1024.py.
_base_ = [
    'mmseg::_base_/datasets/cityscapes.py', 'mmseg::_base_/schedules/schedule_80k.py',
    'mmseg::_base_/default_runtime.py', '../_base_/mmfreqkd_runtime.py',
    '../_base_/algorithms/cwd_logits.py'
]
model = dict(
    architecture=dict(cfg_path='mmseg::pspnet/pspnet_r18-d8_4xb2-80k_cityscapes-512x1024.py'),
    teacher=dict(cfg_path='mmseg::pspnet/pspnet_r101-d8_4xb2-80k_cityscapes-512x1024.py'),
    teacher_ckpt='https://download.openmmlab.com/mmsegmentation/v0.5/pspnet/pspnet_r101-d8_512x1024_80k_cityscapes/pspnet_r101-d8_512x1024_80k_cityscapes_20200606_112211-e1e1100f.pth')  # noqa: E501
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
