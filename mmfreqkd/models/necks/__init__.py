"""Necks."""
from .high_frequency_fpn import HighFrequencyFPN

__all__ = ['HighFrequencyFPN']
