"""A SAGAN-style critic on segmentation logit maps (Zhang et al., "Self-Attention Generative
Adversarial Networks", ICML 2019, Sec. 3), the holistic discriminator of SKD/IFVD that SSTKD uses
(docs/methods/sstkd.md: no image input, ``adv-conv-dim = 64``, ``imsize-for-adv = 65``)."""
from typing import Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils import spectral_norm

from ...registry import MODELS

__all__ = ['SelfAttention', 'SelfAttentionDiscriminator']


class SelfAttention(nn.Module):
    """SAGAN self-attention: ``x + gamma * softmax(f(x)^T g(x)) h(x)`` with 1x1 convs, query/
    key width C/8, and gamma initialised to 0 (SAGAN Eq. 1-3)."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        inner = max(channels // 8, 1)
        self.query = nn.Conv2d(channels, inner, 1)
        self.key = nn.Conv2d(channels, inner, 1)
        self.value = nn.Conv2d(channels, channels, 1)
        self.gamma = nn.Parameter(torch.zeros(1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, c, h, w = x.shape
        q = self.query(x).flatten(2)
        k = self.key(x).flatten(2)
        attention = torch.softmax(torch.bmm(q.transpose(1, 2), k), dim=-1)  # (B, HW, HW)
        out = torch.bmm(self.value(x).flatten(2), attention.transpose(1, 2))
        return x + self.gamma * out.view(b, c, h, w)


@MODELS.register_module()
class SelfAttentionDiscriminator(nn.Module):
    """Critic of class-probability maps: ``num_layers`` spectral-normalised 4x4 stride-2 convs
    (``conv_dim * 2^i`` channels, LeakyReLU 0.1), self-attention after the layers listed in
    ``attention_after``, and a final 3x3 conv to one channel averaged over positions.

    Args:
        in_channels: number of classes of the logit maps.
        conv_dim: width of the first layer ([code: IFVD] 64).
        num_layers: stride-2 layers ([our default] 4, the SAGAN critic's depth; use fewer for
            small logit maps: the input must stay >= 1 pixel).
        attention_after: 1-based indices of the layers followed by self-attention ([our
            default] the last two, as SAGAN).
        input_size: resize the maps to this size first (bilinear), e.g. 65 as IFVD's
            ``imsize-for-adv``; None keeps their size ([our default]).
        preprocess: ``'softmax'`` (class probabilities, [our default]) or ``'none'``.

    Returns (forward): scores (B,).

    Examples:
        >>> d = SelfAttentionDiscriminator(in_channels=5, conv_dim=8, num_layers=2)
        >>> tuple(d(torch.randn(3, 5, 16, 16)).shape)
        (3,)
    """

    def __init__(self,
                 in_channels: int,
                 conv_dim: int = 64,
                 num_layers: int = 4,
                 attention_after: Optional[Sequence[int]] = None,
                 input_size: Optional[int] = None,
                 preprocess: str = 'softmax') -> None:
        super().__init__()
        if preprocess not in ('softmax', 'none'):
            raise ValueError(f"preprocess must be 'softmax' or 'none', got {preprocess!r}")
        attention_after = (set(range(max(num_layers - 1, 1), num_layers + 1))
                           if attention_after is None else set(attention_after))
        if not attention_after <= set(range(1, num_layers + 1)):
            raise ValueError(f'attention_after={sorted(attention_after)} must name layers '
                             f'1..{num_layers}')
        self.num_layers, self.input_size, self.preprocess = num_layers, input_size, preprocess
        layers, channels = [], in_channels
        for i in range(1, num_layers + 1):
            out = conv_dim * 2**(i - 1)
            layers += [spectral_norm(nn.Conv2d(channels, out, 4, 2, 1)), nn.LeakyReLU(0.1)]
            if i in attention_after:
                layers.append(SelfAttention(out))
            channels = out
        layers.append(nn.Conv2d(channels, 1, 3, padding=1))
        self.layers = nn.Sequential(*layers)

    def forward(self, logits: torch.Tensor) -> torch.Tensor:
        if self.input_size is not None:
            logits = F.interpolate(logits, size=self.input_size, mode='bilinear',
                                   align_corners=True)
        min_size = 2**self.num_layers
        if min(logits.shape[-2:]) < min_size:
            raise ValueError(
                f'SelfAttentionDiscriminator with num_layers={self.num_layers} needs maps of at '
                f'least {min_size}x{min_size}, got {tuple(logits.shape)}: lower num_layers or '
                'set input_size')
        x = logits.softmax(1) if self.preprocess == 'softmax' else logits
        return self.layers(x).mean((1, 2, 3))
