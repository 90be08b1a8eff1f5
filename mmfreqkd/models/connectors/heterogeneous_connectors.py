"""Connectors that pair a CNN student with a teacher of another architecture (SFKD, Wang and
Wang, arXiv 2607.01906: heterogeneous pairs such as Swin-T -> ResNet-18; docs/methods/sfkd.md).
``TokensToMap`` turns a transformer's tokens into a feature map; ``ProjectResize`` maps the
student's channels to the teacher's (1x1 convolution + BN) and resizes it to the teacher's grid.
The paper does not describe its alignment; this is our documented default."""
import math
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmrazor.models.architectures.connectors.base_connector import BaseConnector

from ...registry import MODELS
from ._checks import check_feature_map

__all__ = ['tokens_to_map', 'TokensToMap', 'ProjectResize']


def _grid_of(n_tokens: int, extra_tokens: Optional[int]) -> Tuple[int, Tuple[int, int]]:
    """(extra tokens, square grid) of ``n_tokens``: the given number of extra tokens, or the
    fewest of 0, 1, 2 (class, distillation token) that leave a square number of patches."""
    for extra in ((extra_tokens, ) if extra_tokens is not None else (0, 1, 2)):
        side = math.isqrt(max(n_tokens - extra, 0))
        if side > 0 and side * side == n_tokens - extra:
            return extra, (side, side)
    raise ValueError(
        f'tokens_to_map: cannot infer the patch grid of {n_tokens} tokens'
        + (f' with {extra_tokens} extra token(s)' if extra_tokens is not None else
           ' (no square grid after 0, 1 or 2 class/distillation tokens)')
        + ": give grid=(h, w), e.g. (input height / patch size, input width / patch size)")


def tokens_to_map(x: torch.Tensor, grid: Union[None, str, Sequence[int]] = None,
                  extra_tokens: Optional[int] = None) -> torch.Tensor:
    """A (B, C, H, W) feature map from transformer tokens (B, N, C); a map passes unchanged.

    The leading ``N - h * w`` tokens (class / distillation tokens, which mmpretrain's ViT and
    DeiT put first) are dropped; the rest are patches in row-major order. A token count does
    not tell the grid (144 tokens are 12 x 12 or 9 x 16), so tokens need ``grid``.

    Args:
        x: tokens (B, N, C) or a map (B, C, H, W).
        grid: the patch grid (h, w) (input size / patch size); ``'square'``: a square grid
            inferred from N (only for square inputs); ``None``: tokens are an error.
        extra_tokens: the number of leading non-patch tokens; ``None``: ``N - h * w`` with a
            given grid, else inferred (the fewest of 0, 1, 2 leaving a square).

    Examples:
        >>> tokens_to_map(torch.zeros(2, 1 + 14 * 14, 384), 'square').shape
        torch.Size([2, 384, 14, 14])
        >>> tokens_to_map(torch.zeros(2, 6 * 8, 96), grid=(6, 8)).shape
        torch.Size([2, 96, 6, 8])
    """
    if x.dim() == 4:
        return x
    if x.dim() != 3:
        raise ValueError(f'tokens_to_map expects tokens (B, N, C) or a map (B, C, H, W), got '
                         f'shape {tuple(x.shape)}')
    n_tokens = x.shape[1]
    if grid is None:
        raise ValueError(
            f'tokens_to_map: {n_tokens} tokens (shape {tuple(x.shape)}) and no grid: a token '
            f'count does not tell the patch grid (144 tokens are 12x12 or 9x16). Give '
            f'grid=(h, w) (input height / patch size, input width / patch size), '
            f"grid='square' for square inputs, or record a Swin stage's (tokens, (h, w))")
    if grid == 'square':
        extra, (h, w) = _grid_of(n_tokens, extra_tokens)
    elif isinstance(grid, str):
        raise ValueError(f"tokens_to_map: grid must be (h, w), 'square' or None, got {grid!r}")
    else:
        h, w = grid
        extra = n_tokens - h * w if extra_tokens is None else extra_tokens
        if extra < 0 or extra + h * w != n_tokens:
            raise ValueError(f'tokens_to_map: {n_tokens} tokens (shape {tuple(x.shape)}) do not '
                             f'hold a {h}x{w} grid'
                             + (f' after {extra_tokens} extra token(s)'
                                if extra_tokens is not None else ''))
    patches = x[:, extra:]
    # contiguous: mmrazor's feature losses (L2Loss, ...) flatten their inputs with ``view``
    return patches.transpose(1, 2).reshape(x.shape[0], x.shape[2], h, w).contiguous()


@MODELS.register_module()
class TokensToMap(BaseConnector):
    """:func:`tokens_to_map` as a connector (the teacher side of a heterogeneous pair).

    It also takes what a Swin stage returns, ``(tokens, (h, w))``: the grid is then the
    stage's own, so any input size folds correctly.

    Args:
        grid: the patch grid (h, w); ``'square'``: a square grid inferred from the token count
            (square inputs only); ``None``: the recorded grid of a ``(tokens, (h, w))``
            record, and for plain tokens an error (their count does not tell the grid).
        extra_tokens: leading non-patch tokens, or ``None`` to infer them.
    """

    def __init__(self, grid: Union[None, str, Sequence[int]] = None,
                 extra_tokens: Optional[int] = None,
                 init_cfg: dict = None) -> None:
        super().__init__(init_cfg)
        self.grid, self.extra_tokens = grid, extra_tokens

    def forward_train(self, feature: Union[torch.Tensor, Tuple]) -> torch.Tensor:
        grid = self.grid
        if isinstance(feature, (tuple, list)):
            feature, recorded = feature[0], feature[1]
            grid = grid or tuple(recorded)
        return tokens_to_map(feature, grid, self.extra_tokens)


@MODELS.register_module()
class ProjectResize(BaseConnector):
    """``BN(Conv1x1(F_s))`` to ``out_channels``, then a bilinear resize to ``size`` (the
    teacher's grid; ``None``: kept) — the student side of a heterogeneous pair.

    Args:
        in_channels: the student feature's channels.
        out_channels: the teacher feature's channels.
        size: the teacher feature's (h, w), or ``None``.
        align_corners: of the bilinear resize (default False).

    Examples:
        >>> ProjectResize(64, 384, size=(14, 14))(torch.randn(2, 64, 28, 28)).shape
        torch.Size([2, 384, 14, 14])
    """

    def __init__(self, in_channels: int, out_channels: int,
                 size: Optional[Sequence[int]] = None, align_corners: bool = False,
                 init_cfg: dict = None) -> None:
        super().__init__(init_cfg)
        self.in_channels = in_channels
        self.size = tuple(size) if size is not None else None
        self.align_corners = align_corners
        self.proj = nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, bias=False),
                                  nn.BatchNorm2d(out_channels))

    def forward_train(self, feature: torch.Tensor) -> torch.Tensor:
        check_feature_map(type(self).__name__, feature, self.in_channels)
        out = self.proj(feature)
        if self.size is not None and tuple(out.shape[-2:]) != self.size:
            out = F.interpolate(out, size=self.size, mode='bilinear',
                                align_corners=self.align_corners)
        return out
