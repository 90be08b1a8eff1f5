"""A compact Restormer (Zamir, Arora, Khan, Hayat, Khan and Yang, "Restormer: Efficient
Transformer for High-Resolution Image Restoration", CVPR 2022): a U-shaped transformer whose
attention runs across channels (multi-Dconv head transposed attention, MDTA, section 3.1) and
whose feed-forward network is gated (GDFN, section 3.2), at any width and depth per level."""
from typing import Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F

from ...registry import MODELS
from .base_restorer import BaseRestorer, ResidualOutput
from .nafnet import LayerNorm2d

__all__ = ['Restormer', 'TransformerBlock']


class TransposedAttention(nn.Module):
    """MDTA (eq. 2): queries, keys and values from a 1x1 then a 3x3 depth-wise convolution;
    ``softmax(K^T Q / alpha)`` is a (C/heads x C/heads) map per head, with L2-normalised
    queries and keys and a learnt temperature per head."""

    def __init__(self, channels: int, heads: int) -> None:
        super().__init__()
        if channels % heads:
            raise ValueError(f'Restormer: {channels} channels do not split into {heads} heads')
        self.heads = heads
        self.temperature = nn.Parameter(torch.ones(heads, 1, 1))
        self.qkv = nn.Conv2d(channels, 3 * channels, 1, bias=False)
        self.qkv_dw = nn.Conv2d(3 * channels, 3 * channels, 3, padding=1, groups=3 * channels,
                                bias=False)
        self.project_out = nn.Conv2d(channels, channels, 1, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, c, h, w = x.shape
        q, k, v = (t.reshape(b, self.heads, c // self.heads, h * w)
                   for t in self.qkv_dw(self.qkv(x)).chunk(3, dim=1))
        q, k = F.normalize(q, dim=-1), F.normalize(k, dim=-1)
        attn = (q @ k.transpose(-2, -1) * self.temperature).softmax(dim=-1)
        return self.project_out((attn @ v).reshape(b, c, h, w))


class GatedFeedForward(nn.Module):
    """GDFN (eq. 4): ``Conv1x1(GELU(W1 x) * W2 x)``, W1 and W2 1x1 + 3x3 depth-wise."""

    def __init__(self, channels: int, expansion: float) -> None:
        super().__init__()
        hidden = int(channels * expansion)
        self.project_in = nn.Conv2d(channels, 2 * hidden, 1, bias=False)
        self.dw = nn.Conv2d(2 * hidden, 2 * hidden, 3, padding=1, groups=2 * hidden, bias=False)
        self.project_out = nn.Conv2d(hidden, channels, 1, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x1, x2 = self.dw(self.project_in(x)).chunk(2, dim=1)
        return self.project_out(F.gelu(x1) * x2)


class TransformerBlock(nn.Module):
    """``x + MDTA(LN(x))``, then ``+ GDFN(LN(.))``."""

    def __init__(self, channels: int, heads: int, ffn_expansion: float) -> None:
        super().__init__()
        self.norm1, self.attn = LayerNorm2d(channels), TransposedAttention(channels, heads)
        self.norm2 = LayerNorm2d(channels)
        self.ffn = GatedFeedForward(channels, ffn_expansion)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.norm1(x))
        return x + self.ffn(self.norm2(x))


def _stage(channels: int, heads: int, blocks: int, ffn: float) -> nn.Sequential:
    return nn.Sequential(*[TransformerBlock(channels, heads, ffn) for _ in range(blocks)])


@MODELS.register_module()
class Restormer(BaseRestorer):
    """Restormer: a 3x3 embedding, encoder levels joined by pixel-unshuffle down-sampling
    (channels x 2), a latent level, decoder levels joined by pixel-shuffle up-sampling with the
    skip concatenated (and reduced by a 1x1 convolution except at the first level, which keeps
    twice the width), refinement blocks, a 3x3 output convolution and the input added. Any
    input size (reflect-padded to a multiple of ``2 ** levels`` and cropped back).

    Recordable outputs for distillation: ``encoders.{i}`` (width ``width * 2 ** i``),
    ``latent``, ``decoders.{i}`` (deepest first; width ``width * 2 ** (levels - 1 - i)``, and
    ``2 * width`` for the last), ``output`` (the restored image).

    Args:
        in_channels: image channels.
        width: channels of the first level (paper: 48).
        enc_blocks: transformer blocks of each encoder level (paper: (4, 6, 6)).
        latent_blocks: blocks of the latent level (paper: 8).
        dec_blocks: blocks of each decoder level, deepest first (paper: (6, 6, 4)).
        heads: attention heads of each level and the latent one (paper: (1, 2, 4, 8)).
        ffn_expansion: GDFN's hidden-width factor (paper: 2.66).
        refinement_blocks: blocks after the decoder (paper: 4).
        global_residual: add the input to the output (a restorer predicts a residual). A
            model that reconstructs clean images (SLKD's teacher B) turns it off: with it, the
            identity is learnt by zeroing the last convolution.
        loss_weight, data_preprocessor, init_cfg: see :class:`BaseRestorer`.

    Examples:
        >>> model = Restormer(width=8, enc_blocks=(1, 1), latent_blocks=1, dec_blocks=(1, 1),
        ...                   heads=(1, 2, 2), refinement_blocks=0)
        >>> model(torch.rand(1, 3, 30, 22)).shape
        torch.Size([1, 3, 30, 22])
    """

    def __init__(self, in_channels: int = 3, width: int = 48,
                 enc_blocks: Sequence[int] = (4, 6, 6), latent_blocks: int = 8,
                 dec_blocks: Sequence[int] = (6, 6, 4), heads: Sequence[int] = (1, 2, 4, 8),
                 ffn_expansion: float = 2.66, refinement_blocks: int = 4,
                 loss_weight: float = 1.0, global_residual: bool = True,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(loss_weight, data_preprocessor, init_cfg)
        levels = len(enc_blocks)
        if len(dec_blocks) != levels or len(heads) != levels + 1:
            raise ValueError(f'Restormer: enc_blocks {tuple(enc_blocks)}, dec_blocks '
                             f'{tuple(dec_blocks)} and heads {tuple(heads)} must name the same '
                             'levels (heads: one more, for the latent level)')
        self.levels = levels
        self.embed = nn.Conv2d(in_channels, width, 3, padding=1, bias=False)
        self.encoders, self.downs = nn.ModuleList(), nn.ModuleList()
        for i, n in enumerate(enc_blocks):
            channels = width * 2 ** i
            self.encoders.append(_stage(channels, heads[i], n, ffn_expansion))
            self.downs.append(nn.Sequential(
                nn.Conv2d(channels, channels // 2, 3, padding=1, bias=False),
                nn.PixelUnshuffle(2)))
        self.latent = _stage(width * 2 ** levels, heads[levels], latent_blocks, ffn_expansion)
        self.ups, self.reduces, self.decoders = (nn.ModuleList() for _ in range(3))
        for j, n in enumerate(dec_blocks):
            level = levels - 1 - j
            channels = width * 2 ** level
            self.ups.append(nn.Sequential(
                nn.Conv2d(2 * channels, 4 * channels, 3, padding=1, bias=False),
                nn.PixelShuffle(2)))
            first = level == 0
            self.reduces.append(nn.Identity() if first else
                                nn.Conv2d(2 * channels, channels, 1, bias=False))
            out = 2 * channels if first else channels
            self.decoders.append(_stage(out, heads[level], n, ffn_expansion))
        self.refinement = _stage(2 * width, heads[0], refinement_blocks, ffn_expansion)
        self.output = ResidualOutput(2 * width, in_channels, bias=False,
                                     residual=global_residual)

    def restore(self, x: torch.Tensor) -> torch.Tensor:
        h, w = x.shape[-2:]
        inp = self.pad_to_multiple(x, 2 ** self.levels, 'reflect')
        y = self.embed(inp)
        skips = []
        for encoder, down in zip(self.encoders, self.downs):
            y = encoder(y)
            skips.append(y)
            y = down(y)
        y = self.latent(y)
        for up, reduce, decoder, skip in zip(self.ups, self.reduces, self.decoders,
                                             reversed(skips)):
            y = decoder(reduce(torch.cat([up(y), skip], dim=1)))
        return self.output(self.refinement(y), inp, (h, w))
