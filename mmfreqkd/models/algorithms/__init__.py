"""Distillation algorithms (train-step logic)."""
from .distiller_calls import DistillLossError
from .ds2d2 import DS2D2
from .multi_teacher_kd import MultiTeacherKD
from .single_teacher_kd import SingleTeacherKD
from .sstkd import SSTKD

__all__ = ['SingleTeacherKD', 'MultiTeacherKD', 'DistillLossError', 'SSTKD', 'DS2D2']
