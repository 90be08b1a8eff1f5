# The InfoNCE feature baseline SFKD is compared with: the same logit KD and aligned student map,
# matched to the teacher's map by mmfreqkd.InfoNCEFeatureLoss (the other images of the batch
# are the negatives) instead of the DS2S refinement and the wavelet/GFFL losses.
_base_ = '../sfkd_mobilevit-s3_resnet18w4_1xb64-1k_texcls-32x32.py'
model = dict(
    distiller=dict(
        distill_losses=dict(
            loss_wav=None, loss_gffl=None,
            loss_nce=dict(type='mmfreqkd.InfoNCEFeatureLoss', tau=0.1, loss_weight=1.0)),
        loss_forward_mappings=dict(
            loss_nce=dict(
                preds_S=dict(from_student=True, recorder='feat', connector='align'),
                preds_T=dict(from_student=False, recorder='feat', connector='tokens')))))
