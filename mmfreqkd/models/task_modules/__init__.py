"""Helpers that detection assigners build (``TASK_UTILS``)."""
from .pruned_rbbox_overlaps import PrunedRBboxOverlaps2D

__all__ = ['PrunedRBboxOverlaps2D']
