"""Connectors: fixed or learnable transforms applied to recorded features before a loss."""
from .contourlet_connector import ContourletConnector
from .dtiem_connector import DTIEMConnector

__all__ = ['ContourletConnector', 'DTIEMConnector']
