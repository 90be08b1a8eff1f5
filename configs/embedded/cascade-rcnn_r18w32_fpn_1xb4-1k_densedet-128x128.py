# Cascade R-CNN R18 (width 32) on the embedded dense small-object set: a teacher for DS2D2's
# Cascade R-CNN pair.
_base_ = [
    '../_base_/models/densedet_cascade-rcnn_r18w32.py', '../_base_/datasets/densedet.py',
    '../_base_/schedules/det_1k.py', '../_base_/det_runtime.py'
]
