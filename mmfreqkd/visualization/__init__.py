"""Figures of what a distillation compares."""
from .texture_grid import texture_maps, save_texture_grid

__all__ = ['texture_maps', 'save_texture_grid']
