"""The projector branch of OFA-KD on a CNN student's stage (Hao et al., NeurIPS 2023; official
code: github.com/Hao840/OFAKD, ``distillers/ofa.py`` and ``distillers/utils.py``): the stage's
feature map is brought to the student's last resolution and turned into class logits, which
:class:`~mmfreqkd.OFALoss` compares with the teacher's ("one for all": the two networks meet in
the logit space, whatever their architectures)."""
import torch
import torch.nn as nn
from mmengine.model.weight_init import constant_init, kaiming_init, trunc_normal_init
from mmrazor.models.architectures.connectors.base_connector import BaseConnector

from ...registry import MODELS
from ._checks import check_feature_map

__all__ = ['OFAProjector', 'separable_block']


def separable_block(in_channels: int, out_channels: int) -> nn.Sequential:
    """Two depthwise-separable 3x3 convolutions, the first of stride 2, each followed by BN and
    ReLU (official ``SepConv``)."""
    def separable(c_in, c_out, stride):
        return [nn.Conv2d(c_in, c_in, 3, stride, 1, groups=c_in, bias=False),
                nn.Conv2d(c_in, c_out, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU()]

    return nn.Sequential(*separable(in_channels, in_channels, 2),
                         *separable(in_channels, out_channels, 1))


@MODELS.register_module()
class OFAProjector(BaseConnector):
    """``Linear(GAP(blocks(F_s)))``: the logits of a student stage [code: OFAKD].

    ``downsamples`` separable blocks (:func:`separable_block`, each halving the resolution;
    each doubles the channels, the last gives ``out_channels``), or, with ``downsamples=0``
    (the last stage), one 1x1 convolution; then global average pooling and a linear layer to
    ``num_classes``. Initialised as the official projectors (Kaiming fan-out convolutions,
    BN 1/0, linear layers truncated normal std 0.02, biases 0).

    Args:
        in_channels: the stage's channels.
        out_channels: the features' width before the classifier (official: the larger of the
            student's and the teacher's final feature widths).
        num_classes: the classes of the teacher's head.
        downsamples: the stages between this one and the student's last (official:
            ``4 - stage`` for a four-stage CNN).

    Examples:
        >>> branch = OFAProjector(8, 96, num_classes=15, downsamples=2)
        >>> branch(torch.randn(2, 8, 16, 16)).shape
        torch.Size([2, 15])
    """

    def __init__(self, in_channels: int, out_channels: int, num_classes: int,
                 downsamples: int, init_cfg: dict = None) -> None:
        super().__init__(init_cfg)
        if downsamples < 0 or min(in_channels, out_channels, num_classes) < 1:
            raise ValueError(f'OFAProjector: channels and classes must be >= 1 and downsamples '
                             f'>= 0, got in_channels={in_channels}, out_channels={out_channels}, '
                             f'num_classes={num_classes}, downsamples={downsamples}')
        self.in_channels = in_channels
        if downsamples == 0:
            blocks = [nn.Conv2d(in_channels, out_channels, 1)]
        else:
            widths = [in_channels * 2 ** i for i in range(downsamples)] + [out_channels]
            blocks = [separable_block(c_in, c_out) for c_in, c_out in zip(widths, widths[1:])]
        self.blocks = nn.Sequential(*blocks)
        self.classifier = nn.Linear(out_channels, num_classes)

    def init_weights(self) -> None:
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                kaiming_init(m, mode='fan_out', nonlinearity='relu', distribution='normal')
            elif isinstance(m, nn.BatchNorm2d):
                constant_init(m, 1, bias=0)
            elif isinstance(m, nn.Linear):
                trunc_normal_init(m, std=0.02, bias=0)

    def forward_train(self, feature: torch.Tensor) -> torch.Tensor:
        check_feature_map(type(self).__name__, feature, self.in_channels)
        return self.classifier(self.blocks(feature).mean((2, 3)))
