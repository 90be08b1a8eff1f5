# rotated FCOS (le90) R18 (width 32) on the embedded oriented-object set: a teacher for DS2D2's
# rotated FCOS pair.
_base_ = [
    '../_base_/models/rotdet_rotated_fcos_r18w32.py', '../_base_/datasets/rotdet.py',
    '../_base_/schedules/det_1k.py', '../_base_/rotdet_runtime.py'
]
