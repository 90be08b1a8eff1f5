# mmrazor's stock PKD (Cao et al., NeurIPS 2022) for FPN detectors: the loss and weights of
# mmrazor's pkd_fpn_retina_x101_retina_r50_2x_coco.py (PKDLoss, weight 10 on FPN levels 0-3).
# The algorithm is mmrazor's FpnTeacherDistill step (the teacher runs backbone + neck only) as
# mmfreqkd.SingleTeacherKD(teacher_mode='feat'): FpnTeacherDistill itself reads only package
# configs (`mmdet::...`), not local files. A child config sets `architecture`, `teacher`,
# `teacher_ckpt`, and the distillation val loop (its schedule base defines `val_cfg`).
model = dict(
    _scope_='mmrazor',
    type='mmfreqkd.SingleTeacherKD',
    teacher_mode='feat',
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders=dict(fpn=dict(type='ModuleOutputs', source='neck')),
        teacher_recorders=dict(fpn=dict(type='ModuleOutputs', source='neck')),
        distill_losses={f'loss_pkd_fpn{i}': dict(type='PKDLoss', loss_weight=10)
                        for i in range(4)},
        loss_forward_mappings={
            f'loss_pkd_fpn{i}': dict(
                preds_S=dict(from_student=True, recorder='fpn', data_idx=i),
                preds_T=dict(from_student=False, recorder='fpn', data_idx=i))
            for i in range(4)
        }))
