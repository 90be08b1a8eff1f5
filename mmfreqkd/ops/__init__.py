"""Pure, differentiable tensor functions for frequency- and texture-domain distillation.

No registry and no mm* imports: every function works on plain (B, C, H, W) tensors, on CPU and
CUDA, with autograd, and is checked against a reference library in the tests (PyWavelets for the
wavelets and the 9-7 filters, numpy's FFT for the Fourier helpers, torch's cross-entropy for
its spectrum).
"""
from .cross_entropy_spectrum import cross_entropy_spectrum, cutoff_frequencies, label_spectrum
from .directional import DirectionalSubbands, contourlet, directional_split, wedge_masks
from .disw import DISW_DTYPES, box_footprints, disw_weights, rotated_box_cells
from .fourier import (band_energy, gaussian_lowpass_mask, radial_frequencies, radial_profile,
                      spectral_downsample)
from .pyramid import laplacian_filters, laplacian_pyramid, laplacian_reconstruct
from .quantize import histogram_equalize, scatter_levels, soft_quantize, soft_quantize_sparse
from .wavelets import MODES, dwt2, high_frequency_map, idwt2, wavedec2, waverec2

__all__ = [
    'MODES', 'dwt2', 'high_frequency_map', 'idwt2', 'wavedec2', 'waverec2', 'laplacian_filters',
    'laplacian_pyramid', 'laplacian_reconstruct', 'wedge_masks', 'DirectionalSubbands',
    'directional_split',
    'contourlet', 'gaussian_lowpass_mask', 'radial_profile', 'radial_frequencies',
    'spectral_downsample', 'band_energy', 'soft_quantize', 'soft_quantize_sparse',
    'scatter_levels', 'histogram_equalize', 'cross_entropy_spectrum', 'label_spectrum',
    'cutoff_frequencies', 'box_footprints', 'rotated_box_cells', 'disw_weights', 'DISW_DTYPES'
]
