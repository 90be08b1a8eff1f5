# rotated RTMDet (le90) R18 (width 32) on the embedded oriented-object set: a teacher for DS2D2's
# rotated RTMDet pair.
_base_ = [
    '../_base_/models/rotdet_rotated_rtmdet_r18w32.py', '../_base_/datasets/rotdet.py',
    '../_base_/schedules/det_1k.py', '../_base_/rotdet_runtime.py'
]
