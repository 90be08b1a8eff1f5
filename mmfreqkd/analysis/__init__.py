"""Spectral analysis of semantic segmentation (Chen, Chiu and Wu, arXiv 2012.14123;
docs/methods/spectral.md): the frequency report of the cross-entropy, feature truncation for
decode heads and block-wise weak labels."""
from .blockwise_label import BlockwiseLabel, blockwise_majority
from .feature_truncation import FeatureTruncationHead, truncate_feature
from .spectral_report import SpectralReport, feature_profile

__all__ = [
    'BlockwiseLabel', 'blockwise_majority', 'FeatureTruncationHead', 'truncate_feature',
    'SpectralReport', 'feature_profile'
]
