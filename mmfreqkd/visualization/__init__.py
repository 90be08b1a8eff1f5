"""Figures of what a distillation compares."""
from .texture_grid import save_texture_grid, texture_maps

__all__ = ['texture_maps', 'save_texture_grid']
