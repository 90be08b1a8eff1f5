"""The Denoised Texture Intensity Equalization Module (DTIEM) of SSTKD (Ji et al., CVPR 2022,
Sec. 3.3), built on STLNet's Quantization and Counting Operator and Texture Enhance Module (Zhu
et al., CVPR 2021, Sec. 3.2-3.3). The steps follow docs/methods/sstkd.md:

1. embedding ``x = conv1x1(LeakyReLU(BN(conv3x3(F))))``, global average ``g``, intensity map
   ``S_i = cos(x_i, g)``;
2. denoising ``S`` with a k x k average filter ([our default] k = 3);
3. quantisation and counting (QCO) with N levels ([code] N = 128), iterated ([our default] 2
   passes): levels whose normalised count is below ``noise_ratio / N`` ([our default] 1/4) are
   noise bins, their pixels are dropped and the N levels re-placed over the range of the
   retained intensities;
4. level statistics ``[L; C]`` -> conv1d(2 -> 64) + LeakyReLU -> conv1d(64 -> E), fused with
   ``g`` (conv1d(2E -> E) + BN + ReLU) and enhanced by TEM attention over levels
   (``softmax(k^T q)``, value ``v``) -> conv1d(E -> out) + BN + ReLU;
5. redistribution to pixels, ``out = f . E^T`` (pixels of noise bins get zeros), and
   ([our default]) the histogram-equalised intensity as one extra channel.

The module has learnable parameters. In SSTKD the teacher's statistics are a target, not
something to learn: the teacher side goes through a second, frozen DTIEM (``frozen=True``: its
weights are drawn once at initialisation, saved with the checkpoints and never updated; its
normalisation layers keep their initial statistics). A DTIEM shared by both sides can reach the
constant solution: the student-side updates change the weights that also make the target, and
the loss falls to zero with every channel dead (docs/methods/sstkd.md).
"""
from typing import Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmrazor.models.architectures.connectors.base_connector import BaseConnector

from ...ops import histogram_equalize, scatter_levels, soft_quantize_sparse
from ...registry import MODELS
from ._checks import check_feature_map

__all__ = ['DTIEMConnector']


@MODELS.register_module()
class DTIEMConnector(BaseConnector):
    """Statistical-texture features of a low-level feature map (see the module docstring).

    Args:
        in_channels: channels of the input feature (the teacher's, after alignment).
        embed_channels: E, width of the embedding and of the level features ([code] 128).
        out_channels: channels of the redistributed texture features ([code] 256).
        n_levels: quantisation levels N ([code] 128).
        iterations: quantisation passes; each pass after the first drops noise bins
            ([our default] 2).
        noise_ratio: a level is a noise bin when its normalised count is below
            ``noise_ratio / n_levels`` ([our default] 0.25).
        denoise_kernel: size of the average filter applied to the intensity map; 1 disables
            it ([our default] 3).
        equalize: append the histogram-equalised intensity as an extra output channel
            ([our default] True).
        frozen: a fixed transform (the teacher side of SSTKD): no parameter requires a
            gradient and the module stays in eval mode whatever ``train()`` asks.
        init_cfg: mmengine initialisation config.

    Returns (forward):
        (B, out_channels + equalize, H, W).

    Examples:
        >>> dtiem = DTIEMConnector(in_channels=8, embed_channels=16, out_channels=12,
        ...                        n_levels=16)
        >>> tuple(dtiem(torch.randn(2, 8, 10, 12)).shape)
        (2, 13, 10, 12)
    """

    def __init__(self,
                 in_channels: int,
                 embed_channels: int = 128,
                 out_channels: int = 256,
                 n_levels: int = 128,
                 iterations: int = 2,
                 noise_ratio: float = 0.25,
                 denoise_kernel: int = 3,
                 equalize: bool = True,
                 frozen: bool = False,
                 init_cfg: dict = None) -> None:
        super().__init__(init_cfg)
        if iterations < 1 or denoise_kernel < 1 or denoise_kernel % 2 == 0:
            raise ValueError(f'DTIEMConnector: iterations >= 1 and an odd denoise_kernel >= 1 '
                             f'needed, got iterations={iterations}, '
                             f'denoise_kernel={denoise_kernel}')
        self.in_channels, self.n_levels, self.iterations = in_channels, n_levels, iterations
        self.noise_ratio, self.denoise_kernel, self.equalize = (noise_ratio, denoise_kernel,
                                                                equalize)
        act = dict(type='LeakyReLU', negative_slope=0.01)
        self.embed = nn.Sequential(
            ConvModule(in_channels, embed_channels, 3, padding=1, norm_cfg=dict(type='BN'),
                       act_cfg=act), nn.Conv2d(embed_channels, embed_channels, 1))
        self.level_stats = nn.Sequential(
            nn.Conv1d(2, 64, 1), nn.LeakyReLU(0.01), nn.Conv1d(64, embed_channels, 1))
        self.fuse = ConvModule(2 * embed_channels, embed_channels, 1, conv_cfg=dict(
            type='Conv1d'), norm_cfg=dict(type='BN1d'), act_cfg=dict(type='ReLU'))
        self.query, self.key, self.value = (nn.Conv1d(embed_channels, embed_channels, 1)
                                            for _ in range(3))
        self.project = ConvModule(embed_channels, out_channels, 1, conv_cfg=dict(
            type='Conv1d'), norm_cfg=dict(type='BN1d'), act_cfg=dict(type='ReLU'))
        self.frozen = frozen
        if frozen:
            self.requires_grad_(False)
            self.eval()

    def train(self, mode: bool = True) -> 'DTIEMConnector':
        """``nn.Module.train``; a frozen DTIEM stays in eval mode."""
        return super().train(mode and not self.frozen)

    def intensity(self, x: torch.Tensor) -> torch.Tensor:
        """Denoised intensity map (B, H*W): cosine similarity of every embedded pixel with the
        global average, smoothed by the average filter."""
        g = x.mean((2, 3), keepdim=True)
        s = F.cosine_similarity(x, g.expand_as(x), dim=1, eps=1e-6).unsqueeze(1)
        if self.denoise_kernel > 1:
            s = F.avg_pool2d(s, self.denoise_kernel, 1, self.denoise_kernel // 2,
                             count_include_pad=False)
        return s.flatten(1)

    @torch.no_grad()
    def retained(self, s: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Iterative re-quantisation: (pixel mask (B, L), low (B,), high (B,)) of the pixels
        left after dropping noise bins ``iterations - 1`` times."""
        keep = torch.ones_like(s, dtype=torch.bool)
        lo, hi = s.min(1).values, s.max(1).values
        for _ in range(self.iterations - 1):
            _, index, weight, counts = soft_quantize_sparse(s, self.n_levels, (lo, hi))
            nearest = index.gather(2, weight.argmax(2, keepdim=True))[..., 0]
            noisy = counts < self.noise_ratio / self.n_levels
            keep = keep & ~noisy.gather(1, nearest)
            keep = torch.where(keep.any(1, keepdim=True), keep, torch.ones_like(keep))
            lo = torch.where(keep, s, s.new_tensor(float('inf'))).min(1).values
            hi = torch.where(keep, s, s.new_tensor(float('-inf'))).max(1).values
        return keep, lo, hi

    def enhance(self, levels: torch.Tensor, counts: torch.Tensor,
                g: torch.Tensor) -> torch.Tensor:
        """Level features (B, out, N): statistics fused with the global feature, then TEM."""
        stats = self.level_stats(torch.stack([levels, counts], 1))
        stats = self.fuse(torch.cat([stats, g.expand(-1, -1, stats.shape[2])], 1))
        q, k, v = self.query(stats), self.key(stats), self.value(stats)
        attention = torch.softmax(torch.bmm(k.transpose(1, 2), q), dim=1)  # (B, N, N)
        return self.project(torch.bmm(v, attention))

    def forward_train(self, feature: torch.Tensor) -> torch.Tensor:
        check_feature_map(type(self).__name__, feature, self.in_channels)
        b, _, h, w = feature.shape
        x = self.embed(feature)
        s = self.intensity(x.float())
        keep, lo, hi = self.retained(s)
        levels, index, weight, counts = soft_quantize_sparse(s, self.n_levels, (lo, hi))
        assign = scatter_levels(index, weight * keep.unsqueeze(2), self.n_levels)
        f = self.enhance(levels.to(x.dtype), counts.to(x.dtype), x.mean((2, 3))[..., None])
        out = torch.bmm(f, assign.to(f.dtype).transpose(1, 2)).view(b, -1, h, w)
        if not self.equalize:
            return out
        equalized = histogram_equalize(s, self.n_levels) * keep
        return torch.cat([out, equalized.to(out.dtype).view(b, 1, h, w)], 1)
