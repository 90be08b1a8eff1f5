# mmrazor's stock decoupled KD (dkd_resnet34_resnet18_8xb32_in1k.py: DKDLoss, tau 1, beta 0.5,
# weight 1; the labels recorded at the student's loss module) on the embedded classification
# pair, with the student's schedule.
_base_ = './kd_logits_mobilevit-s3_resnet18w4_texcls.py'
model = dict(
    distiller=dict(
        student_recorders=dict(
            gt_labels=dict(type='ModuleInputs', source='head.loss_module')),
        distill_losses=dict(
            _delete_=True,
            loss_dkd=dict(type='DKDLoss', tau=1, beta=0.5, loss_weight=1, reduction='mean')),
        loss_forward_mappings=dict(
            _delete_=True,
            loss_dkd=dict(
                preds_S=dict(from_student=True, recorder='fc'),
                preds_T=dict(from_student=False, recorder='fc'),
                gt_labels=dict(recorder='gt_labels', from_student=True, data_idx=1)))))
