# det_runtime.py in mmrotate's scope, with mmrotate's stock visualizer (as in its runtime); the
# `_scope_` keys undo the mmdet scope that mmdet's runtime base puts on these entries.
_base_ = './det_runtime.py'
default_scope = 'mmrotate'
default_hooks = dict(visualization=dict(type='mmdet.DetVisualizationHook'))
visualizer = dict(type='RotLocalVisualizer', _scope_='mmrotate')
