# Output KD on the embedded restoration set: the student's restored image pulled towards
# teacher A's by an L1 loss (mmrazor's L1Loss, SLKD's pixel-loss weight 0.5) next to its own
# loss to the clean image; teacher A only. The baseline SLKD's feature losses must beat.
_base_ = [
    '../_base_/datasets/restore.py', '../_base_/schedules/restore_1k.py',
    '../_base_/restore_runtime.py'
]
model = dict(
    _scope_='mmrazor',
    type='mmfreqkd.MultiTeacherKD',
    architecture=dict(cfg_path='{{fileDirname}}/../embedded/nafnet-w8_1xb8-1k_restore-rain-'
                      '64x64.py'),
    teachers=dict(A=dict(
        model=dict(cfg_path='{{fileDirname}}/../embedded/nafnet-w16_1xb8-1k_restore-rain-'
                   '64x64.py'),
        ckpt='work_dirs/nafnet-w16_1xb8-1k_restore-rain-64x64/iter_1000.pth')),
    distiller=dict(
        type='mmfreqkd.FreqKDDistiller',
        student_recorders=dict(out=dict(type='ModuleOutputs', source='ending')),
        teacher_recorders=dict(out=dict(type='ModuleOutputs', source='A.ending')),
        distill_losses=dict(loss_pix=dict(type='L1Loss', loss_weight=0.5)),
        loss_forward_mappings=dict(loss_pix=dict(
            s_feature=dict(from_student=True, recorder='out'),
            t_feature=dict(from_student=False, recorder='out')))))
