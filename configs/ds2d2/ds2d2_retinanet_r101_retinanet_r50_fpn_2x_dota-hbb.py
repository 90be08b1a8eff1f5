# DS2D2 with the R50-FPN student:
# ds2d2_retinanet_r101_retinanet_r18_fpn_2x_dota-hbb.py, same recipe.
_base_ = './ds2d2_retinanet_r101_retinanet_r18_fpn_2x_dota-hbb.py'
model = dict(
    architecture=dict(cfg_path='{{fileDirname}}/detectors/retinanet_r50_fpn_2x_dota-hbb.py'))
