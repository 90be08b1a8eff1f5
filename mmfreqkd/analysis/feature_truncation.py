"""Feature truncation for mmseg decode heads (Chen, Chiu and Wu, "Spectral Analysis for Semantic
Segmentation", arXiv 2012.14123; docs/methods/spectral.md).

The cross-entropy, and with it the gradient reaching the decoder, lives mostly in low
frequencies, so the decoder can run on features whose high frequencies are removed and whose
grid is shrunk accordingly: fewer FLOPs, little loss of mIoU. :class:`FeatureTruncationHead`
wraps any stock decode head: it shrinks the head's input features by ``ratio`` (ideal low-pass +
exact down-sampling, or area / anti-aliased bilinear resizing), runs the head, and up-samples
its logits to the size the head would have produced on the full features.
"""
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule

from ..ops import spectral_downsample
from ..registry import MODELS

__all__ = ['FeatureTruncationHead', 'truncate_feature']

MODES = ('spectral', 'area', 'bilinear')


def truncate_feature(x: torch.Tensor, ratio: float, mode: str = 'spectral') -> torch.Tensor:
    """Shrink (B, C, H, W) to ``(max(1, round(H * ratio)), max(1, round(W * ratio)))``.

    ``'spectral'``: ideal low-pass + exact down-sampling
    (:func:`~mmfreqkd.ops.spectral_downsample`); ``'area'``: average pooling
    (``F.interpolate(mode='area')``); ``'bilinear'``: anti-aliased bilinear resizing.
    """
    if mode not in MODES:
        raise ValueError(f'truncation mode must be one of {MODES}, got {mode!r}')
    size = tuple(max(1, round(s * ratio)) for s in x.shape[-2:])
    if size == tuple(x.shape[-2:]):
        return x
    if mode == 'spectral':
        return spectral_downsample(x, size)
    if mode == 'area':
        return F.interpolate(x, size=size, mode='area')
    return F.interpolate(x, size=size, mode='bilinear', align_corners=False, antialias=True)


@MODELS.register_module()
class FeatureTruncationHead(BaseModule):
    """Runs a stock mmseg decode head on truncated features; a drop-in ``decode_head``.

    Args:
        head: the decode head's config (e.g. ``dict(type='DepthwiseSeparableASPPHead', ...)``),
            built in the mmseg scope unless it sets ``_scope_``.
        ratio: side-length ratio of the truncated features, in (0, 1]; 1 is the plain head
            ([our default] 0.5).
        mode: ``'spectral'`` (ideal low-pass + exact down-sampling, [our default]), ``'area'``
            or ``'bilinear'`` (anti-aliased); see :func:`truncate_feature`.
        in_index: indices of the backbone features to truncate; None truncates every feature
            the head receives ([our default]). ``in_index=[0]`` with DeepLabV3+'s head keeps
            the ASPP input and runs the c1 skip path and the fused decoder at half (ratio 0.5)
            resolution.
        init_cfg: unused; the wrapped head initialises itself.

    The head's logits are bilinearly up-sampled to the size it gives on the full features;
    ``loss`` and ``predict`` then run the head's own ``loss_by_feat`` / ``predict_by_feat``.
    Recorders address the wrapped head as ``decode_head.head.xxx``.

    Examples:
        >>> import mmseg.models  # noqa: F401  (registers the stock heads)
        >>> from mmengine.registry import init_default_scope
        >>> init_default_scope('mmseg')
        >>> head = FeatureTruncationHead(
        ...     dict(type='FCNHead', in_channels=8, channels=8, num_classes=3, num_convs=1),
        ...     ratio=0.5)
        >>> tuple(head([torch.randn(2, 8, 16, 16)]).shape)
        (2, 3, 16, 16)
    """

    def __init__(self,
                 head: dict,
                 ratio: float = 0.5,
                 mode: str = 'spectral',
                 in_index: Optional[Sequence[int]] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg)
        if not 0 < ratio <= 1:
            raise ValueError(f'decode_head.ratio must be in (0, 1], got {ratio}')
        if mode not in MODES:
            raise ValueError(f'decode_head.mode must be one of {MODES}, got {mode!r}')
        self.head = MODELS.build(dict(head, _scope_=head.get('_scope_', 'mmseg')))
        self.ratio, self.mode = ratio, mode
        self.in_index = None if in_index is None else list(in_index)

    @property
    def align_corners(self) -> bool:
        return self.head.align_corners

    @property
    def num_classes(self) -> int:
        return self.head.num_classes

    @property
    def out_channels(self) -> int:
        return self.head.out_channels

    def init_weights(self) -> None:
        self.head.init_weights()

    def truncate(self, inputs: Sequence[torch.Tensor]) -> List[torch.Tensor]:
        """The head's inputs, those selected by ``in_index`` truncated."""
        chosen = range(len(inputs)) if self.in_index is None else self.in_index
        bad = [i for i in chosen if not -len(inputs) <= i < len(inputs)]
        if bad:
            raise ValueError(f'decode_head.in_index {self.in_index} names features the head '
                             f'does not receive ({len(inputs)} inputs)')
        chosen = {i % len(inputs) for i in chosen}
        return [truncate_feature(x, self.ratio, self.mode) if i in chosen else x
                for i, x in enumerate(inputs)]

    def forward(self, inputs: Sequence[torch.Tensor]) -> torch.Tensor:
        if self.ratio == 1:
            return self.head(inputs)
        small = self.truncate(inputs)
        logits = self.head(small)
        return F.interpolate(logits, size=_full_size(logits, inputs, small, self.ratio),
                             mode='bilinear', align_corners=self.align_corners)

    def loss(self, inputs, batch_data_samples, train_cfg) -> Dict[str, torch.Tensor]:
        return self.head.loss_by_feat(self.forward(inputs), batch_data_samples)

    def predict(self, inputs, batch_img_metas, test_cfg) -> torch.Tensor:
        return self.head.predict_by_feat(self.forward(inputs), batch_img_metas)

    def flops(self, inputs: Sequence[torch.Tensor]) -> Dict[str, float]:
        """Multiply-accumulates of the head on ``inputs`` at full size and truncated
        (mmengine's ``FlopAnalyzer``; the truncation itself, an FFT or a pooling, not counted),
        and the fraction saved."""
        from mmengine.analysis import FlopAnalyzer

        def count(features):
            analyzer = FlopAnalyzer(self.head, (list(features), ))
            analyzer.unsupported_ops_warnings(False).uncalled_modules_warnings(False)
            return float(analyzer.total())
        with torch.no_grad():
            full, truncated = count(inputs), count(self.truncate(inputs))
        return dict(full=full, truncated=truncated, saved=1 - truncated / full)


def _full_size(logits: torch.Tensor, inputs: Sequence[torch.Tensor],
               small: Sequence[torch.Tensor], ratio: float) -> Tuple[int, int]:
    """The logit size of the head on the full inputs: the full size of the input whose
    truncated size the logits have, else the logit size divided by ``ratio``."""
    for full, truncated in zip(inputs, small):
        if truncated.shape[-2:] == logits.shape[-2:]:
            return tuple(full.shape[-2:])
    return tuple(round(s / ratio) for s in logits.shape[-2:])
