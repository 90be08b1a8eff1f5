"""Connectors: fixed or learnable transforms applied to recorded features before a loss."""
from .contourlet_connector import ContourletConnector
from .ds2s_refiner import DS2SRefiner, refiner_cost
from .dtiem_connector import DTIEMConnector
from .fpn_wavelet_connectors import SharedLevelAdapter, WaveletBandsConnector
from .heterogeneous_connectors import ProjectResize, TokensToMap, tokens_to_map
from .ofa_projector import OFAProjector, separable_block
from .scale_conversion import ScaleConversionModule, minmax01

__all__ = [
    'ContourletConnector', 'DTIEMConnector', 'SharedLevelAdapter',
    'WaveletBandsConnector', 'ProjectResize', 'TokensToMap', 'tokens_to_map', 'DS2SRefiner',
    'refiner_cost', 'ScaleConversionModule', 'minmax01', 'OFAProjector', 'separable_block'
]
