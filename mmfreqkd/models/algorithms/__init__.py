"""Distillation algorithms (train-step logic)."""
from .ds2d2 import DS2D2
from .single_teacher_kd import DistillLossError, SingleTeacherKD
from .sstkd import SSTKD

__all__ = ['SingleTeacherKD', 'DistillLossError', 'SSTKD', 'DS2D2']
