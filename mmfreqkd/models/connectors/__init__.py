"""Connectors: fixed or learnable transforms applied to recorded features before a loss."""
from .contourlet_connector import ContourletConnector
from .dtiem_connector import DTIEMConnector
from .fpn_wavelet_connectors import (HighFrequencyConnector, SharedLevelAdapter,
                                     WaveletBandsConnector)

__all__ = [
    'ContourletConnector', 'DTIEMConnector', 'HighFrequencyConnector', 'SharedLevelAdapter',
    'WaveletBandsConnector'
]
