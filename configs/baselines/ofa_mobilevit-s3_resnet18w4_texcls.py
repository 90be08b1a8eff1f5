# OFA-KD (Hao et al., NeurIPS 2023; official code github.com/Hao840/OFAKD) on the embedded
# classification pair, with the student's schedule: the OFA loss on the student's logits and on
# a projector branch of each of its four stages, against the teacher's logits [code: official
# defaults: eps 1 (its CIFAR-100 setting), temperature 1, weights 1 for the logits and for every
# branch, stages 1-4; a branch's width is the larger of the student's (32) and the teacher's
# (96) final feature widths]. The labels are recorded at the student's loss module, as for DKD.
_base_ = './kd_logits_mobilevit-s3_resnet18w4_texcls.py'
stages = dict(s1=(4, 3), s2=(8, 2), s3=(16, 1), s4=(32, 0))  # channels, downsamples to stage 4
ofa = dict(type='mmfreqkd.OFALoss', eps=1.0, tau=1.0, loss_weight=1.0)
labels = dict(recorder='gt_labels', from_student=True, data_idx=1)
teacher_logits = dict(from_student=False, recorder='fc')
model = dict(
    distiller=dict(
        student_recorders=dict(
            gt_labels=dict(type='ModuleInputs', source='head.loss_module'),
            **{s: dict(type='ModuleOutputs', source=f'backbone.layer{s[1]}') for s in stages}),
        connectors={
            f'ofa_{s}': dict(type='mmfreqkd.OFAProjector', in_channels=c, out_channels=96,
                             num_classes=15, downsamples=d)
            for s, (c, d) in stages.items()},
        distill_losses=dict(_delete_=True, loss_ofa_logits=ofa,
                            **{f'loss_ofa_{s}': ofa for s in stages}),
        loss_forward_mappings=dict(
            _delete_=True,
            loss_ofa_logits=dict(preds_S=dict(from_student=True, recorder='fc'),
                                 preds_T=teacher_logits, gt_labels=labels),
            **{f'loss_ofa_{s}': dict(preds_S=dict(from_student=True, recorder=s,
                                                  connector=f'ofa_{s}'),
                                     preds_T=teacher_logits, gt_labels=labels)
               for s in stages})))
