"""The Contourlet Decomposition Module (CDM) of SSTKD (Ji et al., CVPR 2022, Sec. 3.2, Fig. 3).

A fixed linear transform (no learnable parameters; our default, docs/methods/sstkd.md): an
iterated Laplacian pyramid with the 9-7 filters whose band-pass levels are split by a
directional filter bank, realised as smooth angular wedges in the Fourier plane
(:func:`mmfreqkd.ops.contourlet`). The structural-texture knowledge is the set of
directional sub-bands and the coarse band.
"""
from typing import List, Sequence, Union

import torch
from mmrazor.models.architectures.connectors.base_connector import BaseConnector

from ...ops import contourlet
from ...registry import MODELS
from ._checks import check_feature_map

__all__ = ['ContourletConnector']


@MODELS.register_module()
class ContourletConnector(BaseConnector):
    """Contourlet decomposition of a (low-level) feature map.

    Used on both sides with the same settings; on the student side put a channel alignment
    (mmrazor's ``ConvModuleConnector``: 1x1 conv + BN) before it in the connector chain of
    :class:`~mmfreqkd.models.distillers.FreqKDDistiller`, so both decompose features of the
    teacher's width.

    Args:
        levels: Laplacian-pyramid levels J ([our default] 3).
        n_dirs: directional sub-bands per level, an int for every level or one per level,
            finest first ([our default]: 8 = 2^3).
        filters: pyramid filters (``'9-7'``).
        mode: border extension of the pyramid (``'reflect'``, ``'symmetric'``, ``'periodic'``).
        in_channels: if given, the expected channel count (a clear error otherwise).
        standardize: first standardise every map over its positions (zero mean, unit variance
            per sample and channel), so teacher and student bands compare structure, not the
            scale of two networks' features, which can differ by orders of magnitude
            ([our default] True).
        eps: added to the standard deviation.
        materialize: return every level's sub-bands as a (B, C, K, H, W) tensor; False returns
            them as :class:`~mmfreqkd.ops.DirectionalSubbands` (the level's half-plane
            spectrum, ``.materialize()`` gives the tensor), from which
            :class:`~mmfreqkd.models.losses.StructuralTextureLoss` gets its per-direction
            errors by Parseval without forming the K sub-bands: the same loss in less time
            and memory ([our default] False).
        init_cfg: unused (no parameters); kept for the connector interface.

    Returns (forward):
        A list ``[d_1, ..., d_J, a_J]``: ``d_j`` of shape (B, C, n_dirs_j, H_j, W_j) (or its
        ``DirectionalSubbands``), finest first (``H_1 = H``, ``H_{j+1} = ceil(H_j / 2)``; any
        size works), ``a_J`` the coarse band (B, C, H_{J+1}, W_{J+1}).

    Examples:
        >>> cdm = ContourletConnector(levels=3, n_dirs=8, standardize=False, materialize=True)
        >>> bands = cdm(torch.randn(2, 4, 30, 30))
        >>> [tuple(b.shape) for b in bands]
        [(2, 4, 8, 30, 30), (2, 4, 8, 15, 15), (2, 4, 8, 8, 8), (2, 4, 4, 4)]
    """

    def __init__(self,
                 levels: int = 3,
                 n_dirs: Union[int, Sequence[int]] = 8,
                 filters: str = '9-7',
                 mode: str = 'reflect',
                 in_channels: int = None,
                 standardize: bool = True,
                 eps: float = 1e-5,
                 materialize: bool = False,
                 init_cfg: dict = None) -> None:
        super().__init__(init_cfg)
        dirs = [n_dirs] * levels if isinstance(n_dirs, int) else list(n_dirs)
        if levels < 1 or len(dirs) != levels or min(dirs) < 1:
            raise ValueError(f'ContourletConnector: levels={levels} needs n_dirs as one int '
                             f'>= 1 or {levels} of them, got n_dirs={n_dirs}')
        self.levels, self.n_dirs = levels, dirs
        self.filters, self.mode, self.in_channels = filters, mode, in_channels
        self.standardize, self.eps, self.materialize = standardize, eps, materialize

    def forward_train(self, feature: torch.Tensor) -> List[torch.Tensor]:
        check_feature_map(type(self).__name__, feature, self.in_channels)
        if self.standardize:
            mean = feature.mean((2, 3), keepdim=True)
            std = feature.std((2, 3), keepdim=True, unbiased=False)
            feature = (feature - mean) / (std + self.eps)
        bands, coarse = contourlet(feature, self.levels, self.n_dirs, self.filters, self.mode,
                                   self.materialize)
        return bands + [coarse]
