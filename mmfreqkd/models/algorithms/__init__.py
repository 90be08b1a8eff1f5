"""Distillation algorithms (train-step logic)."""
from .single_teacher_kd import DistillLossError, SingleTeacherKD

__all__ = ['SingleTeacherKD', 'DistillLossError']
