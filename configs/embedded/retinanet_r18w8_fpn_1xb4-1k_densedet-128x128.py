# RetinaNet R18 (width 8) on the embedded dense small-object set.
_base_ = [
    '../_base_/models/densedet_retinanet_r18w8.py', '../_base_/datasets/densedet.py',
    '../_base_/schedules/det_1k.py', '../_base_/det_runtime.py'
]
