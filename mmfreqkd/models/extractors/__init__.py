"""Differentiable image-quality extractors (SLKD): BRISQUE's natural-scene statistics and PIQE's
block cues."""
from .natural_scene_statistics import aggd_fit, brisque_features, ggd_fit, mscn, paired_products
from .perception_based_cues import piqe_cues, piqe_score

__all__ = ['mscn', 'paired_products', 'ggd_fit', 'aggd_fit', 'brisque_features', 'piqe_cues',
           'piqe_score']
