# mmrazor's stock MGD (Yang et al., ECCV 2022) on FPN levels: the connectors, loss and weights
# of mmrazor's mgd_fpn_retina_x101_retina_r50_2x_coco.py (an MGDConnector with lambda 0.65 and
# MGDLoss with alpha 2e-5 on each of the 5 FPN convolutions). That stock config also
# initialises the student's neck and head from the teacher's checkpoint; here the student
# starts as without distillation, so all baselines share one initialisation. A child config
# sets `architecture`, `teacher`, `teacher_ckpt`, the val loop and, for FPNs of other than
# 256 channels, the connectors' `student_channels` / `teacher_channels`.
num_levels = 5
fpn_channels = 256
model = dict(
    _scope_='mmrazor',
    type='mmfreqkd.SingleTeacherKD',
    teacher_mode='feat',
    distiller=dict(
        type='ConfigurableDistiller',
        student_recorders={f'fpn{i}': dict(type='ModuleOutputs',
                                           source=f'neck.fpn_convs.{i}.conv')
                           for i in range(num_levels)},
        teacher_recorders={f'fpn{i}': dict(type='ModuleOutputs',
                                           source=f'neck.fpn_convs.{i}.conv')
                           for i in range(num_levels)},
        connectors={f's_fpn{i}_connector': dict(type='MGDConnector',
                                                student_channels=fpn_channels,
                                                teacher_channels=fpn_channels,
                                                lambda_mgd=0.65)
                    for i in range(num_levels)},
        distill_losses={f'loss_mgd_fpn{i}': dict(type='MGDLoss', alpha_mgd=0.00002)
                        for i in range(num_levels)},
        loss_forward_mappings={
            f'loss_mgd_fpn{i}': dict(
                preds_S=dict(from_student=True, recorder=f'fpn{i}',
                             connector=f's_fpn{i}_connector'),
                preds_T=dict(from_student=False, recorder=f'fpn{i}'))
            for i in range(num_levels)
        }))
