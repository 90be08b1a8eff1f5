"""Connectors on multi-level (FPN) records for DS2D2 (Gao et al., TGRS 2025, Sec. III;
docs/methods/ds2d2.md): the student's shared 1x1 adapter and the wavelet split of every level
(the explicit stream; the knowledge amplifiers' high-frequency maps are computed by the
algorithm, :class:`~mmfreqkd.models.algorithms.DS2D2`). Each takes and returns one entry per
level (a neck's output tuple); a single (B, C, H, W) tensor is treated as one level."""
from typing import Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmrazor.models.architectures.connectors.base_connector import BaseConnector

from ...ops import dwt2
from ...registry import MODELS
from ._checks import check_feature_map

__all__ = ['SharedLevelAdapter', 'WaveletBandsConnector']

Levels = Union[torch.Tensor, Sequence[torch.Tensor]]


def _levels(name: str, features: Levels, channels: int = None) -> Tuple[torch.Tensor, ...]:
    levels = (features, ) if torch.is_tensor(features) else tuple(features)
    for i, level in enumerate(levels):
        check_feature_map(f'{name} (level {i})', level, channels)
    return levels


@MODELS.register_module()
class SharedLevelAdapter(BaseConnector):
    """One 1x1 convolution applied to every level ([code: DS2D2] 256 -> 256, no bias, shared
    by all FPN levels; only the explicit stream uses it).

    Examples:
        >>> adapter = SharedLevelAdapter(8, 16)
        >>> [tuple(f.shape) for f in adapter((torch.randn(2, 8, 8, 8), torch.randn(2, 8, 4, 4)))]
        [(2, 16, 8, 8), (2, 16, 4, 4)]
    """

    def __init__(self, in_channels: int, out_channels: int, bias: bool = False,
                 init_cfg: dict = None) -> None:
        super().__init__(init_cfg)
        self.in_channels = in_channels
        self.conv = nn.Conv2d(in_channels, out_channels, 1, bias=bias)

    def forward_train(self, features: Levels) -> Tuple[torch.Tensor, ...]:
        levels = _levels(type(self).__name__, features, self.in_channels)
        return tuple(self.conv(f) for f in levels)


@MODELS.register_module()
class WaveletBandsConnector(BaseConnector):
    """``dwt2`` of every level: ``((cA, (cH, cV, cD)), ...)`` (any PyWavelets wavelet; [code:
    DS2D2] Haar with zero extension, as pytorch_wavelets' ``DWTForward(J=1, mode='zero')``)."""

    def __init__(self, wavelet: str = 'haar', mode: str = 'zero', init_cfg: dict = None) -> None:
        super().__init__(init_cfg)
        self.wavelet, self.mode = wavelet, mode

    def forward_train(self, features: Levels) -> tuple:
        return tuple(dwt2(f, self.wavelet, self.mode)
                     for f in _levels(type(self).__name__, features))
