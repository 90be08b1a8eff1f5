# Faster R-CNN R18 (width 16) on the embedded dense small-object set.
_base_ = [
    '../_base_/models/densedet_faster-rcnn_r18w16.py', '../_base_/datasets/densedet.py',
    '../_base_/schedules/det_1k.py', '../_base_/det_runtime.py'
]
