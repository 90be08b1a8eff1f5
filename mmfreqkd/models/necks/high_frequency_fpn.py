"""The neck of DS2D2's amplifier stage (Gao et al., TGRS 2025, Sec. III-C; docs/methods/ds2d2.md,
Recipe step 2): mmdet's FPN whose every output level is replaced by its high-frequency map, so the
detector's head learns to detect from high frequencies only."""
from mmdet.models.necks import FPN

from ...ops import high_frequency_map
from ...registry import MODELS

__all__ = ['HighFrequencyFPN']


@MODELS.register_module()
class HighFrequencyFPN(FPN):
    """``FPN`` followed by :func:`~mmfreqkd.ops.high_frequency_map` on every level.

    Same parameters (and state-dict keys) as ``FPN``, so the amplifier stage loads the
    teacher's checkpoint with ``load_from``. With ``frozen=True`` ([code: DS2D2], with the
    backbone frozen by ``frozen_stages``/``norm_eval``) the FPN's parameters never train and
    only the head learns.

    Args:
        wavelet, mode: the single-level DWT ([code: DS2D2] Haar, zero extension).
        frozen: freeze the FPN's parameters.
        **kwargs: ``FPN`` arguments.
    """

    def __init__(self, wavelet: str = 'haar', mode: str = 'zero', frozen: bool = True,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.wavelet, self.mode, self.frozen = wavelet, mode, frozen
        if frozen:
            self.requires_grad_(False)

    def forward(self, inputs: tuple) -> tuple:
        return tuple(high_frequency_map(level, self.wavelet, self.mode)
                     for level in super().forward(inputs))
