# mmfreqkd's imports and hooks (mmfreqkd_runtime.py adds the seed; cls_runtime.py, whose
# codebase runtime sets its own seed, takes them from here).
custom_imports = dict(imports=['mmfreqkd'], allow_failed_imports=False)
# mmengine's Runner with one run per work dir, atomic and recorded checkpoints and a resume that
# falls back to the newest intact checkpoint (OpenMMLab's train tools build `runner_type`).
runner_type = 'mmfreqkd.SafeRunner'
# Stop at the first NaN/Inf loss or gradient (before the step is applied, naming the loss terms
# and the last good checkpoint) and never save non-finite weights; checkpoints carry every
# rank's random states, so a killed run resumes exactly (`tools/train.py --resume`).
custom_hooks = [
    dict(type='mmfreqkd.NonFiniteGuardHook'),
    dict(type='mmfreqkd.RandomStateHook'),
]
