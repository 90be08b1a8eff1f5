# Oriented R-CNN (le90) R18 (width 16) on the embedded oriented-object set.
_base_ = [
    '../_base_/models/rotdet_oriented-rcnn_r18w16.py', '../_base_/datasets/rotdet.py',
    '../_base_/schedules/det_1k.py', '../_base_/rotdet_runtime.py'
]
