"""Distillation losses."""
from .pixel_wise_kl import PixelWiseKLLoss
from .statistical_texture_loss import StatisticalTextureLoss
from .structural_texture_loss import StructuralTextureLoss
from .wasserstein import WGANGeneratorLoss, WGANGPDiscriminatorLoss, gradient_penalty

__all__ = [
    'PixelWiseKLLoss', 'StatisticalTextureLoss', 'StructuralTextureLoss', 'WGANGeneratorLoss',
    'WGANGPDiscriminatorLoss', 'gradient_penalty'
]
