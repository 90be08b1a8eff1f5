"""Distillation losses."""
from .amplifier_losses import DenseAmplifierLoss, RoIAmplifierLoss
from .disw_feature_loss import DISWFeatureLoss, gt_boxes
from .gaussian_frequency_loss import GaussianFrequencyLoss
from .image_quality_feature_losses import NaturalSceneStatisticsLoss, PerceptionCueLoss
from .info_nce_loss import InfoNCEFeatureLoss
from .intensity_kl import IntensityKLLoss
from .ofa_loss import OFALoss, ofa_targets
from .pixel_wise_kl import PixelWiseKLLoss
from .statistical_texture_loss import StatisticalTextureLoss
from .structural_texture_loss import StructuralTextureLoss
from .wasserstein import WGANGeneratorLoss, WGANGPDiscriminatorLoss, gradient_penalty
from .wavelet_band_loss import WaveletBandLoss

__all__ = [
    'DenseAmplifierLoss', 'RoIAmplifierLoss', 'DISWFeatureLoss', 'gt_boxes',
    'GaussianFrequencyLoss', 'InfoNCEFeatureLoss', 'IntensityKLLoss', 'PixelWiseKLLoss',
    'StatisticalTextureLoss', 'StructuralTextureLoss', 'WGANGeneratorLoss',
    'WGANGPDiscriminatorLoss', 'gradient_penalty', 'WaveletBandLoss', 'NaturalSceneStatisticsLoss',
    'PerceptionCueLoss', 'OFALoss', 'ofa_targets'
]
