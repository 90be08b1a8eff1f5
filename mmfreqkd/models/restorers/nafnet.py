"""A compact NAFNet (Chen, Chu, Zhang and Sun, "Simple Baselines for Image Restoration", ECCV
2022): a U-shaped network of nonlinear-activation-free blocks (layer norm, depth-wise
convolution, SimpleGate ``x1 * x2`` and simplified channel attention, section 3.3-3.4) with a
global residual, at any width and depth per level."""
from typing import Optional, Sequence

import torch
import torch.nn as nn

from ...registry import MODELS
from .base_restorer import BaseRestorer, ResidualOutput

__all__ = ['NAFNet', 'NAFBlock', 'LayerNorm2d']


class LayerNorm2d(nn.Module):
    """Layer normalisation over the channels of each position of a (B, C, H, W) map."""

    def __init__(self, channels: int, eps: float = 1e-6) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = nn.functional.layer_norm(x.permute(0, 2, 3, 1), x.shape[1:2], self.weight,
                                     self.bias, self.eps)
        return x.permute(0, 3, 1, 2)


class SimpleGate(nn.Module):
    """Split the channels in two halves and multiply them (NAFNet eq. 3)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x1, x2 = x.chunk(2, dim=1)
        return x1 * x2


class NAFBlock(nn.Module):
    """NAFNet's block (paper Fig. 3c): ``x + beta * Conv(SCA(SG(DWConv(Conv(LN(x))))))``,
    then ``+ gamma * Conv(SG(Conv(LN(.))))``; ``beta`` and ``gamma`` start at 0, so the block
    starts as the identity."""

    def __init__(self, channels: int, dw_expand: int = 2, ffn_expand: int = 2) -> None:
        super().__init__()
        dw = channels * dw_expand
        self.norm1 = LayerNorm2d(channels)
        self.conv1 = nn.Conv2d(channels, dw, 1)
        self.conv2 = nn.Conv2d(dw, dw, 3, padding=1, groups=dw)
        self.sg = SimpleGate()
        self.sca = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Conv2d(dw // 2, dw // 2, 1))
        self.conv3 = nn.Conv2d(dw // 2, channels, 1)
        ffn = channels * ffn_expand
        self.norm2 = LayerNorm2d(channels)
        self.conv4 = nn.Conv2d(channels, ffn, 1)
        self.conv5 = nn.Conv2d(ffn // 2, channels, 1)
        self.beta = nn.Parameter(torch.zeros(1, channels, 1, 1))
        self.gamma = nn.Parameter(torch.zeros(1, channels, 1, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.sg(self.conv2(self.conv1(self.norm1(x))))
        y = self.conv3(y * self.sca(y))
        x = x + self.beta * y
        y = self.conv5(self.sg(self.conv4(self.norm2(x))))
        return x + self.gamma * y


@MODELS.register_module()
class NAFNet(BaseRestorer):
    """NAFNet: ``intro -> [encoder blocks, 2x2 stride-2 down (channels x 2)] per level ->
    middle blocks -> [1x1 conv + pixel shuffle up, + skip, decoder blocks] per level -> 3x3
    output conv``, plus the input (global residual). Any input size (zero-padded to a multiple
    of ``2 ** levels`` and cropped back, as the authors' code). Module names follow the
    authors' code, so their released weights (the ``params`` of their checkpoints) load as
    they are.

    Recordable outputs for distillation: ``encoders.{i}`` (level ``i``'s encoder, before its
    down-sampling; width ``width * 2 ** i``), ``middle_blks``, ``decoders.{i}`` (decoder ``i``
    counted from the deepest, width ``width * 2 ** (levels - 1 - i)``), ``ending`` (the
    restored image).

    Args:
        in_channels: image channels.
        width: channels of the first level (the paper's models: 32 or 64).
        enc_blocks: NAF blocks of each encoder level (the paper's GoPro model: (1, 1, 1, 28)).
        middle_blocks: blocks at the bottom (paper: 1).
        dec_blocks: blocks of each decoder level, deepest first (paper: (1, 1, 1, 1)).
        global_residual: add the input to the output (a restorer predicts a residual). A
            model that reconstructs clean images (SLKD's teacher B) turns it off: with it, the
            identity is learnt by zeroing the last convolution.
        loss_weight, data_preprocessor, init_cfg: see :class:`BaseRestorer`.

    Examples:
        >>> model = NAFNet(width=8, enc_blocks=(1, 1), middle_blocks=1, dec_blocks=(1, 1))
        >>> model(torch.rand(1, 3, 30, 22)).shape
        torch.Size([1, 3, 30, 22])
    """

    def __init__(self, in_channels: int = 3, width: int = 32,
                 enc_blocks: Sequence[int] = (1, 1, 1, 28), middle_blocks: int = 1,
                 dec_blocks: Sequence[int] = (1, 1, 1, 1), loss_weight: float = 1.0,
                 global_residual: bool = True, data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(loss_weight, data_preprocessor, init_cfg)
        if len(enc_blocks) != len(dec_blocks):
            raise ValueError(f'NAFNet: enc_blocks {tuple(enc_blocks)} and dec_blocks '
                             f'{tuple(dec_blocks)} must name the same number of levels')
        self.levels = len(enc_blocks)
        self.intro = nn.Conv2d(in_channels, width, 3, padding=1)
        self.encoders, self.downs = nn.ModuleList(), nn.ModuleList()
        channels = width
        for n in enc_blocks:
            self.encoders.append(nn.Sequential(*[NAFBlock(channels) for _ in range(n)]))
            self.downs.append(nn.Conv2d(channels, 2 * channels, 2, stride=2))
            channels *= 2
        self.middle_blks = nn.Sequential(*[NAFBlock(channels) for _ in range(middle_blocks)])
        self.ups, self.decoders = nn.ModuleList(), nn.ModuleList()
        for n in dec_blocks:
            self.ups.append(nn.Sequential(nn.Conv2d(channels, 2 * channels, 1, bias=False),
                                          nn.PixelShuffle(2)))
            channels //= 2
            self.decoders.append(nn.Sequential(*[NAFBlock(channels) for _ in range(n)]))
        self.ending = ResidualOutput(width, in_channels, residual=global_residual)

    def restore(self, x: torch.Tensor) -> torch.Tensor:
        h, w = x.shape[-2:]
        inp = self.pad_to_multiple(x, 2 ** self.levels)
        y = self.intro(inp)
        skips = []
        for encoder, down in zip(self.encoders, self.downs):
            y = encoder(y)
            skips.append(y)
            y = down(y)
        y = self.middle_blks(y)
        for decoder, up, skip in zip(self.decoders, self.ups, reversed(skips)):
            y = decoder(up(y) + skip)
        return self.ending(y, inp, (h, w))
