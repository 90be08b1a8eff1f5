# mmrazor's stock PKD (Cao et al., NeurIPS 2022) on the embedded dense small-object set: the
# loss and weights of mmrazor's pkd_fpn_retina_x101_retina_r50_2x_coco.py (PKDLoss, weight 10
# on FPN levels 0-3), with the small teacher/student pair and the student's schedule, so it
# compares fairly with the no-KD student and DS2D2. The algorithm is mmrazor's
# FpnTeacherDistill step (the teacher runs backbone + neck only) as
# mmfreqkd.SingleTeacherKD(teacher_mode='feat'): FpnTeacherDistill itself reads only package
# configs (`mmdet::...`), not these local files.
_base_ = [
    '../_base_/datasets/densedet.py', '../_base_/schedules/det_1k.py',
    '../_base_/det_runtime.py'
]
teacher_cfg = '../embedded/retinanet_r18w32_fpn_1xb4-1k_densedet-128x128.py'
student_cfg = '../embedded/retinanet_r18w16_fpn_1xb4-1k_densedet-128x128.py'
# The teacher trained by tools/train.py on teacher_cfg, exported to a plain checkpoint with
# tools/export_student.py.
teacher_ckpt = 'work_dirs/retinanet_r18w32_fpn_1xb4-1k_densedet-128x128/exported.pth'


def _pkd(level):
    return dict(preds_S=dict(from_student=True, recorder='fpn', data_idx=level),
                preds_T=dict(from_student=False, recorder='fpn', data_idx=level))


model = dict(
    _scope_='mmrazor',
    type='mmfreqkd.SingleTeacherKD',
    teacher_mode='feat',
    architecture=dict(cfg_path='{{fileDirname}}/' + student_cfg),
    teacher=dict(cfg_path='{{fileDirname}}/' + teacher_cfg),
    teacher_ckpt=teacher_ckpt,
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=dict(fpn=dict(type='ModuleOutputs', source='neck')),
        teacher_recorders=dict(fpn=dict(type='ModuleOutputs', source='neck')),
        distill_losses={f'loss_pkd_fpn{i}': dict(type='PKDLoss', loss_weight=10)
                        for i in range(4)},
        loss_forward_mappings={f'loss_pkd_fpn{i}': _pkd(i) for i in range(4)}))

find_unused_parameters = True
val_cfg = dict(_delete_=True, type='mmrazor.SingleTeacherDistillValLoop')
