"""Distillers: which records feed which loss."""
from .freq_kd_distiller import FreqKDDistiller

__all__ = ['FreqKDDistiller']
