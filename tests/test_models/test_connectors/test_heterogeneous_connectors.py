"""tokens_to_map / TokensToMap / ProjectResize against mmpretrain's own transformers: the map a
ViT or DeiT returns with ``out_type='featmap'`` equals ours from its ``'raw'`` tokens."""
import pytest
import torch
from mmpretrain.models.backbones import (DistilledVisionTransformer, ResNet, SwinTransformer,
                                         VisionTransformer)

from mmfreqkd.models.connectors import ProjectResize, TokensToMap, tokens_to_map

VIT = dict(arch=dict(embed_dims=32, num_layers=1, num_heads=2, feedforward_channels=64),
           patch_size=16)


def _raw_and_featmap(cls, img_size, **kwargs):
    torch.manual_seed(0)
    raw = cls(img_size=img_size, out_type='raw', **VIT, **kwargs)
    featmap = cls(img_size=img_size, out_type='featmap', **VIT, **kwargs)
    featmap.load_state_dict(raw.state_dict())
    raw.eval(), featmap.eval()  # (mmpretrain's train() returns None: no chaining)
    x = torch.randn(2, 3, *img_size)
    with torch.no_grad():
        return raw(x)[-1], featmap(x)[-1]


@pytest.mark.parametrize('img_size', [(64, 64), (64, 96)])
def test_vit_tokens_with_a_class_token(img_size):
    tokens, reference = _raw_and_featmap(VisionTransformer, img_size)
    grid = (img_size[0] // 16, img_size[1] // 16)
    assert tokens.shape[1] == 1 + grid[0] * grid[1]
    assert torch.equal(tokens_to_map(tokens, grid), reference)
    # contiguous, so that mmrazor's losses can flatten it with view (its L2Loss does)
    from mmrazor.models.losses import L2Loss
    assert tokens_to_map(tokens, grid).is_contiguous()
    assert L2Loss()(tokens_to_map(tokens, grid), reference.contiguous()) == 0
    if grid[0] == grid[1]:  # a square grid is inferred on request, with its class token
        assert torch.equal(TokensToMap(grid='square')(tokens), reference)


def test_vit_tokens_without_a_class_token_on_a_non_square_grid():
    tokens, reference = _raw_and_featmap(VisionTransformer, (48, 80), with_cls_token=False)
    assert tokens.shape[1] == 3 * 5
    assert torch.equal(TokensToMap(grid=(3, 5))(tokens), reference)


def test_deit_tokens_with_class_and_distillation_tokens():
    tokens, reference = _raw_and_featmap(DistilledVisionTransformer, (64, 64))
    assert tokens.shape[1] == 2 + 16
    assert torch.equal(tokens_to_map(tokens, 'square'), reference)  # 2 extra tokens inferred
    assert torch.equal(tokens_to_map(tokens, grid=(4, 4), extra_tokens=2), reference)


@pytest.mark.parametrize('grid,extra', [((9, 16), 0), ((5, 10), 0), ((3, 12), 0), ((4, 16), 1)])
def test_tokens_of_a_non_square_grid_are_refused_without_their_grid(grid, extra):
    """Issue row: 9x16, 5x10, 3x12 and 4x16 + 1 token grids were folded into 12x12, 7x7, 6x6
    and 8x8 maps; mmpretrain's ViT on such an input is the reference of the right fold."""
    patch = 16
    img_size = (grid[0] * patch, grid[1] * patch)
    tokens, reference = _raw_and_featmap(VisionTransformer, img_size, with_cls_token=bool(extra))
    with pytest.raises(ValueError, match=rf'{tokens.shape[1]} tokens .* and no grid'):
        tokens_to_map(tokens)
    with pytest.raises(ValueError, match='and no grid'):
        TokensToMap()(tokens)
    assert torch.equal(tokens_to_map(tokens, grid), reference)


def test_unknown_grid_is_named():
    with pytest.raises(ValueError, match=r'patch grid of 20 tokens.*grid=\(h, w\)'):
        tokens_to_map(torch.zeros(1, 20, 8), 'square')
    with pytest.raises(ValueError, match=r'17 tokens \(shape \(1, 17, 8\)\) do not hold a 4x5'):
        tokens_to_map(torch.zeros(1, 17, 8), grid=(4, 5))
    with pytest.raises(ValueError, match=r'expects tokens \(B, N, C\) or a map'):
        tokens_to_map(torch.zeros(17, 8))


def test_resnet_stage_aligned_to_a_swin_stage():
    """ResNet-18 stage 3 (256 channels, stride 16) -> Swin-T stage 3 (384, stride 16) at a
    non-square input, and from stride 8 (stage 2) by resizing."""
    x = torch.randn(2, 3, 64, 96)
    swin = SwinTransformer(arch='tiny', img_size=(64, 96), out_indices=(2, ), pad_small_map=True)
    resnet = ResNet(depth=18, out_indices=(1, 2))
    swin.eval(), resnet.eval()
    with torch.no_grad():
        (teacher, ), (stage2, stage3) = swin(x), resnet(x)
    assert teacher.shape == (2, 384, 4, 6)
    assert ProjectResize(256, 384)(stage3).shape == teacher.shape
    aligned = ProjectResize(128, 384, size=teacher.shape[-2:])(stage2)
    assert aligned.shape == teacher.shape
    with pytest.raises(ValueError, match='built for 128 input channels.*\\(2, 256, 4, 6\\)'):
        ProjectResize(128, 384)(stage3)


def test_a_swin_stage_record_folds_on_its_own_grid():
    """What a Swin stage returns, (tokens, (h, w)), folds on the stage's grid: after the
    stage's norm it equals the backbone's own map output, at a non-square input."""
    x = torch.randn(2, 3, 64, 96)
    swin = SwinTransformer(arch='tiny', img_size=(64, 96), out_indices=(2, ), pad_small_map=True)
    swin.eval()
    records = []
    swin.stages[2].register_forward_hook(lambda m, i, o: records.append(o))
    with torch.no_grad():
        (reference, ) = swin(x)
        tokens, grid = records[0]
        folded = TokensToMap()((swin.norm2(tokens), grid))
    assert tuple(grid) == (4, 6)
    assert torch.equal(folded, reference)
