"""Distillation algorithms (train-step logic)."""
from .single_teacher_kd import DistillLossError, SingleTeacherKD
from .sstkd import SSTKD

__all__ = ['SingleTeacherKD', 'DistillLossError', 'SSTKD']
