# SLKD (algorithms/slkd.py) between Restormer teachers and the compact Restormer student: the
# first encoder level (student 24 / teacher 48 channels) and the last decoder level (48 / 96) are
# distilled, the restored images through Restormer's `output` module.
_base_ = ['./slkd.py']
model = dict(
    architecture=dict(cfg_path='{{fileDirname}}/../models/restormer-s.py'),
    teachers=dict(A=dict(model=dict(cfg_path='{{fileDirname}}/../models/restormer.py')),
                  B=dict(model=dict(cfg_path='{{fileDirname}}/../models/restormer.py',
                                    global_residual=False))),
    distiller=dict(
        student_recorders=dict(out=dict(source='output')),
        teacher_recorders=dict(out=dict(source='A.output')),
        connectors=dict(
            scm_enc_s=dict(in_channels=24), scm_enc_t=dict(in_channels=48),
            scm_dec_s=dict(in_channels=48), scm_dec_t=dict(in_channels=96))))
