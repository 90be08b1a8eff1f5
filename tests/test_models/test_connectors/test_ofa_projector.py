"""OFAProjector on the stages of mmpretrain's CIFAR ResNet-18: every stage's branch ends at the
last stage's resolution (the official design: one stride-2 block per stage skipped) and gives
class logits; initialised as the official projectors."""
import pytest
import torch
from mmpretrain.models.backbones import ResNet_CIFAR

from mmfreqkd.models.connectors import OFAProjector


def test_each_stage_branch_reaches_the_last_stage_resolution_and_gives_logits():
    torch.manual_seed(0)
    backbone = ResNet_CIFAR(depth=18, stem_channels=4, base_channels=4, out_indices=(0, 1, 2, 3))
    stages = backbone(torch.randn(2, 3, 32, 32))
    last = stages[-1]
    for index, feature in enumerate(stages):
        branch = OFAProjector(feature.shape[1], 96, num_classes=15,
                              downsamples=len(stages) - 1 - index)
        branch.init_weights()
        mapped = branch.blocks(feature)
        assert mapped.shape == (2, 96, *last.shape[2:]), index
        assert branch(feature).shape == (2, 15)


def test_initialisation_is_the_official_one():
    torch.manual_seed(0)
    branch = OFAProjector(16, 256, num_classes=1000, downsamples=1)
    branch.init_weights()
    weight = branch.classifier.weight
    # timm's trunc_normal_(std=.02), as mmengine's, cuts at +-2 (absolute): N(0, 0.02^2)
    assert float(weight.std()) == pytest.approx(0.02, rel=0.05)
    assert not branch.classifier.bias.any()
    pointwise = branch.blocks[0][5]  # 1x1 convolution to 256 channels: fan-out 256
    assert float(pointwise.weight.std()) == pytest.approx((2 / 256) ** 0.5, rel=0.1)


def test_a_feature_of_other_channels_is_named():
    with pytest.raises(ValueError, match='OFAProjector'):
        OFAProjector(8, 96, 15, 1)(torch.randn(2, 4, 8, 8))
