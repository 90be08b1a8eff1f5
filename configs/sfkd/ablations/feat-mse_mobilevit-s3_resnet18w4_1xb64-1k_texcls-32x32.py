# The feature-MSE baseline SFKD is compared with: the same logit KD and the same aligned student
# map (1x1 conv + BN), matched to the teacher's map by mmrazor's L2Loss (normalised features, as
# mmrazor's FitNets-style configs) instead of the DS2S refinement and the wavelet/GFFL losses.
_base_ = '../sfkd_mobilevit-s3_resnet18w4_1xb64-1k_texcls-32x32.py'
model = dict(
    distiller=dict(
        distill_losses=dict(
            loss_wav=None, loss_gffl=None, loss_mse=dict(type='L2Loss', loss_weight=1.0)),
        loss_forward_mappings=dict(
            loss_mse=dict(
                s_feature=dict(from_student=True, recorder='feat', connector='align'),
                t_feature=dict(from_student=False, recorder='feat', connector='tokens')))))
