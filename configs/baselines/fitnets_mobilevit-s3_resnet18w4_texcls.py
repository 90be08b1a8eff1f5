# mmrazor's stock FitNets (fitnets_backbone_logits_resnet50_resnet18_8xb32_in1k.py: L2Loss
# weight 10 on a ConvModuleConnector-projected student stage, KLDivergence tau 6 weight 10) on
# the embedded classification pair: the student's stage 3 (16 x 8 x 8) hints at the teacher's
# last map (96 x 8 x 8), with the student's schedule.
_base_ = './kd_logits_mobilevit-s3_resnet18w4_texcls.py'
model = dict(
    distiller=dict(
        student_recorders=dict(feat=dict(type='ModuleOutputs', source='backbone.layer3')),
        teacher_recorders=dict(feat=dict(type='ModuleOutputs', source='backbone.conv_1x1_exp')),
        connectors=dict(
            s_feat=dict(
                type='ConvModuleConnector', in_channel=16, out_channel=96,
                norm_cfg=dict(type='BN'))),
        distill_losses=dict(
            _delete_=True,
            loss_feat=dict(type='L2Loss', loss_weight=10),
            loss_kl=dict(type='KLDivergence', tau=6, loss_weight=10, reduction='mean')),
        loss_forward_mappings=dict(
            _delete_=True,
            loss_feat=dict(
                s_feature=dict(from_student=True, recorder='feat', connector='s_feat'),
                t_feature=dict(from_student=False, recorder='feat')),
            loss_kl=dict(
                preds_S=dict(from_student=True, recorder='fc'),
                preds_T=dict(from_student=False, recorder='fc')))))
