# SLKD on the embedded restoration set (deraining): NAFNet width 16 teachers -> NAFNet width 8,
# the schedule of the undistilled student. Recipe: train teacher A
# (configs/embedded/nafnet-w16_1xb8-1k_restore-rain-64x64.py) and teacher B
# (configs/embedded/nafnet-w16-ae_1xb8-1k_restore-clean-64x64.py), then this config with their
# checkpoints (`tools/benchmark.py restore --quick` does all three).
_base_ = [
    '../_base_/datasets/restore.py', '../_base_/schedules/restore_1k.py',
    '../_base_/restore_runtime.py', '../_base_/algorithms/slkd.py'
]
teacher_a = '../embedded/nafnet-w16_1xb8-1k_restore-rain-64x64.py'
teacher_b = '../embedded/nafnet-w16-ae_1xb8-1k_restore-clean-64x64.py'
model = dict(
    architecture=dict(cfg_path='{{fileDirname}}/../embedded/nafnet-w8_1xb8-1k_restore-rain-'
                      '64x64.py'),
    teachers=dict(
        A=dict(model=dict(cfg_path='{{fileDirname}}/' + teacher_a),
               ckpt='work_dirs/nafnet-w16_1xb8-1k_restore-rain-64x64/iter_1000.pth'),
        B=dict(model=dict(cfg_path='{{fileDirname}}/' + teacher_b),
               ckpt='work_dirs/nafnet-w16-ae_1xb8-1k_restore-clean-64x64/iter_1000.pth')),
    evaluate_teachers=('A', ))
val_cfg = dict(_delete_=True, type='mmfreqkd.MultiTeacherValLoop')  # student, then teacher A
