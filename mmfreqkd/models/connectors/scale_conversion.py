"""SLKD's Scale Conversion Module (Zhang and Yan, "Simultaneous Learning Knowledge Distillation
for Image Restoration", ICASSP 2025, arXiv 2501.09268): maps a feature map to an image-like map
with a fixed value range before the image-quality extractors (BRISQUE's and PIQE's constants
assume image intensities). The paper names the module only; the form below is our documented
default (docs/methods/slkd.md)."""
from typing import Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmrazor.models.architectures.connectors.base_connector import BaseConnector

from ...registry import MODELS
from ._checks import check_feature_map

__all__ = ['ScaleConversionModule', 'minmax01']


def minmax01(x: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    """Each (sample, channel) map rescaled to [0, 1] by its own minimum and maximum."""
    flat = x.flatten(-2)
    low = flat.amin(dim=-1)[..., None, None]
    high = flat.amax(dim=-1)[..., None, None]
    return (x - low) / (high - low + eps)


@MODELS.register_module()
class ScaleConversionModule(BaseConnector):
    """``minmax01(Conv1x1_{C -> out_channels}(F))``, bilinearly resized to ``size``.

    ``learnable=False`` makes it parameter-free: the channel mean (``out_channels`` must be 1),
    the teacher side of SLKD's feature losses. The learnable student side starts as the channel
    mean too (weights ``1 / C``, no bias), so both sides begin with the same conversion.

    Args:
        in_channels: channels of the feature map.
        out_channels: channels of the image-like map ([our default] 1: one grey image).
        learnable: a trainable 1x1 convolution (student side) or the fixed channel mean.
        size: output (h, w), e.g. the teacher feature's grid; ``None``: kept.

    Examples:
        >>> scm = ScaleConversionModule(48)
        >>> y = scm(torch.randn(2, 48, 16, 16))
        >>> y.shape, bool(y.min() >= 0), bool(y.max() <= 1)
        (torch.Size([2, 1, 16, 16]), True, True)
    """

    def __init__(self, in_channels: int, out_channels: int = 1, learnable: bool = True,
                 size: Optional[Sequence[int]] = None, init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg)
        if not learnable and out_channels != 1:
            raise ValueError(f'ScaleConversionModule(learnable=False) is the channel mean: '
                             f'out_channels must be 1, got {out_channels}')
        self.in_channels = in_channels
        self.size = tuple(size) if size is not None else None
        self.proj = None
        if learnable:
            self.proj = nn.Conv2d(in_channels, out_channels, 1)
            nn.init.constant_(self.proj.weight, 1.0 / in_channels)
            nn.init.zeros_(self.proj.bias)

    def forward_train(self, feature: torch.Tensor) -> torch.Tensor:
        check_feature_map(type(self).__name__, feature, self.in_channels)
        x = self.proj(feature) if self.proj is not None else feature.mean(dim=1, keepdim=True)
        if self.size is not None and tuple(x.shape[-2:]) != self.size:
            x = F.interpolate(x, size=self.size, mode='bilinear', align_corners=False)
        return minmax01(x)
