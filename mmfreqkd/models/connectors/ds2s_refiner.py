"""SFKD's dual-stream dual-stage refinement (DS2S; Wang and Wang, arXiv 2607.01906;
docs/methods/sfkd.md). The paper states that the student's wavelet sub-bands are refined by a
two-stream, two-stage module and recombined, and that its parameters are redundant; it does not
publish the module. Everything below is our documented default:

- a J-level 2-D DWT splits the (aligned) student map into the structure stream ``L = cA_J``
  and, per level j, the detail stream ``H_j = cat(cH_j, cV_j, cD_j)``;
- stage 1 (within each stream): ``x + PW(GELU(BN(DW3x3(x))))``;
- stage 2 (across the streams): ``H_j <- H_j * 2 sigmoid(Conv1x1(up(L)))`` (structure gates
  the details) and ``L <- L + sum_j Conv1x1(pool(H_j))`` (details inform the structure);
- the inverse DWT recombines the refined bands into the refined map.

The last convolution of every branch starts at zero, so the module is the identity at
initialisation and distillation starts from the student's own features. ``light=True`` shares
the detail stream's weights across levels and replaces the pointwise convolutions by per-channel
scales (depth-wise only), for the parameter redundancy the paper names."""
from typing import List, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmrazor.models.architectures.connectors.base_connector import BaseConnector

from ...ops import wavedec2, waverec2
from ...registry import MODELS
from ._checks import check_feature_map

__all__ = ['DS2SRefiner', 'refiner_cost']


class _PerChannelScale(nn.Module):
    """A depth-wise 1x1 convolution: one weight per channel (the light pointwise step)."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.ones(1, channels, 1, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.weight


def _pointwise(channels: int, light: bool) -> nn.Module:
    return _PerChannelScale(channels) if light else nn.Conv2d(channels, channels, 1)


def _zero_last(module: nn.Module) -> nn.Module:
    """Zero the weights (and bias) of ``module`` so that its branch adds nothing at first."""
    for p in module.parameters():
        nn.init.zeros_(p)
    return module


class _IntraStream(nn.Module):
    """Stage 1: ``x + PW(GELU(BN(DW3x3(x))))``, the PW step zero-initialised."""

    def __init__(self, channels: int, light: bool) -> None:
        super().__init__()
        self.dw = nn.Conv2d(channels, channels, 3, padding=1, groups=channels, bias=False)
        self.bn = nn.BatchNorm2d(channels)
        self.pw = _zero_last(_pointwise(channels, light))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.pw(F.gelu(self.bn(self.dw(x))))


class _StructureToDetail(nn.Module):
    """Stage 2 gate logits for the three detail bands from the (up-sampled) structure stream:
    a 1x1 convolution C -> 3C, or (light) one weight and bias per channel shared by the three
    bands. Zero-initialised, so ``2 sigmoid(gate) = 1``."""

    def __init__(self, channels: int, light: bool) -> None:
        super().__init__()
        self.light = light
        self.conv = _zero_last(nn.Conv2d(channels, channels if light else 3 * channels, 1,
                                         groups=channels if light else 1))

    def forward(self, low: torch.Tensor) -> torch.Tensor:
        gate = self.conv(low)
        return gate.repeat(1, 3, 1, 1) if self.light else gate


class _DetailToStructure(nn.Module):
    """Stage 2 update of the structure stream from the (pooled) detail bands: a 1x1
    convolution 3C -> C, or (light) one weight per channel on the sum of the three bands.
    Zero-initialised."""

    def __init__(self, channels: int, light: bool) -> None:
        super().__init__()
        self.light = light
        self.conv = _zero_last(nn.Conv2d(channels if light else 3 * channels, channels, 1,
                                         groups=channels if light else 1))

    def forward(self, high: torch.Tensor) -> torch.Tensor:
        if self.light:
            high = sum(high.chunk(3, 1))
        return self.conv(high)


@MODELS.register_module()
class DS2SRefiner(BaseConnector):
    """DS2S on a (B, C, H, W) student map: returns the refined map (same shape); the refined
    bands of the last call are in :attr:`bands` (``wavedec2`` layout, coarsest first,
    detached: for inspection; the losses see the refined map).

    Args:
        channels: C.
        level: J [our default] 2.
        wavelet: any discrete PyWavelets wavelet [our default] ``'haar'``.
        mode: signal extension [our default] ``'zero'``.
        light: shared detail weights across levels and depth-wise steps only (default False).

    Examples:
        >>> refiner = DS2SRefiner(8, level=2)
        >>> x = torch.randn(2, 8, 14, 14)
        >>> torch.allclose(refiner(x), x, atol=1e-5)  # the identity at initialisation
        True
    """

    def __init__(self, channels: int, level: int = 2, wavelet: str = 'haar', mode: str = 'zero',
                 light: bool = False, init_cfg: dict = None) -> None:
        super().__init__(init_cfg)
        if level < 1:
            raise ValueError(f'DS2SRefiner: level must be >= 1, got {level}')
        self.channels, self.level, self.wavelet, self.mode = channels, level, wavelet, mode
        self.light = light
        n_detail = 1 if light else level
        self.low_block = _IntraStream(channels, light)
        self.high_blocks = nn.ModuleList(_IntraStream(3 * channels, light)
                                         for _ in range(n_detail))
        # stage 2: structure -> detail gates, detail -> structure updates (zero-initialised)
        self.gates = nn.ModuleList(_StructureToDetail(channels, light) for _ in range(n_detail))
        self.updates = nn.ModuleList(_DetailToStructure(channels, light)
                                     for _ in range(n_detail))
        self.bands: List = []

    def _shared(self, modules: nn.ModuleList, j: int) -> nn.Module:
        return modules[0 if self.light else j]

    def forward_train(self, feature: torch.Tensor) -> torch.Tensor:
        check_feature_map(type(self).__name__, feature, self.channels)
        coeffs = wavedec2(feature, self.wavelet, self.level, self.mode)
        low = self.low_block(coeffs[0])
        highs = [self._shared(self.high_blocks, j)(torch.cat(details, 1))
                 for j, details in enumerate(coeffs[1:])]
        update = 0
        gated = []
        for j, high in enumerate(highs):
            gate = self._shared(self.gates, j)(
                F.interpolate(low, size=high.shape[-2:], mode='bilinear', align_corners=False))
            gated.append(high * 2 * torch.sigmoid(gate))
            update = update + self._shared(self.updates, j)(
                F.adaptive_avg_pool2d(high, low.shape[-2:]))
        low = low + update
        refined = [low] + [tuple(h.chunk(3, 1)) for h in gated]
        # for inspection only: detached, so no step's graph outlives its backward
        self.bands = [low.detach()] + [tuple(b.detach() for b in bands) for bands in refined[1:]]
        out = waverec2(refined, self.wavelet, self.mode)
        return out[..., :feature.shape[-2], :feature.shape[-1]]

    def extra_repr(self) -> str:
        return f'channels={self.channels}, level={self.level}, light={self.light}'


def refiner_cost(refiner: DS2SRefiner, size: Tuple[int, int]) -> Tuple[int, float]:
    """(parameters, forward GFLOPs on one (C, *size) map) of ``refiner``."""
    from torch.utils.flop_counter import FlopCounterMode
    params = sum(p.numel() for p in refiner.parameters())
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        refiner(torch.zeros(1, refiner.channels, *size))
    return params, counter.get_total_flops() / 1e9
