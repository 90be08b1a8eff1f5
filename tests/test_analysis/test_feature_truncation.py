"""FeatureTruncationHead: identity at ratio 1, half-size decoder inputs at 1/2 with logits at the
full size, loss and prediction through a stock mmseg EncoderDecoder; FLOPs by mmengine."""
import copy

import pytest
import torch
from conftest import config_path
from mmengine.config import Config
from mmengine.registry import MODELS, init_default_scope
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from mmfreqkd.analysis import FeatureTruncationHead, truncate_feature

BASE = config_path('spectral', 'deeplabv3plus_r18w16-d8_1xb8-1k_texseg-64x64.py')


def _segmentor(ratio, mode='spectral'):
    init_default_scope('mmseg')
    cfg = Config.fromfile(BASE)
    if ratio is not None:
        cfg.model.decode_head = dict(type='mmfreqkd.FeatureTruncationHead', ratio=ratio,
                                     mode=mode, head=copy.deepcopy(cfg.model.decode_head))
    torch.manual_seed(0)
    return MODELS.build(cfg.model).eval()


def _features(model, size=64):
    torch.manual_seed(1)
    return model.extract_feat(torch.randn(2, 3, size, size))


def test_ratio_one_is_the_plain_head():
    model = _segmentor(1)
    feats = _features(model)
    with torch.no_grad():
        torch.testing.assert_close(model.decode_head(feats), model.decode_head.head(feats),
                                   rtol=0, atol=0)


@pytest.mark.parametrize('mode', ['spectral', 'area', 'bilinear'])
def test_half_ratio_runs_the_decoder_on_half_size_inputs(mode):
    model = _segmentor(0.5, mode)
    feats = _features(model)
    seen = []
    model.decode_head.head.register_forward_pre_hook(
        lambda module, args: seen.append([tuple(x.shape[-2:]) for x in args[0]]))
    with torch.no_grad():
        logits = model.decode_head(feats)
        plain = model.decode_head.head(feats)
    assert seen[0] == [(s[0] // 2, s[1] // 2) for s in (f.shape[-2:] for f in feats)]
    assert logits.shape == plain.shape  # the c1 (stride 4) size of the full features


def test_loss_and_prediction_keep_the_label_size():
    model = _segmentor(0.25).train()
    samples = []
    for _ in range(2):
        sample = SegDataSample(metainfo=dict(img_shape=(64, 64), ori_shape=(64, 64),
                                             pad_shape=(64, 64)))
        sample.gt_sem_seg = PixelData(data=torch.randint(0, 5, (1, 64, 64)))
        samples.append(sample)
    inputs = torch.randn(2, 3, 64, 64)
    losses = model.loss(inputs, samples)
    assert torch.isfinite(losses['decode.loss_ce'])
    losses['decode.loss_ce'].backward()
    assert model.backbone.layer1[0].conv1.weight.grad is not None
    model.eval()
    with torch.no_grad():
        results = model.predict(inputs, samples)
    assert results[0].pred_sem_seg.data.shape == (1, 64, 64)


def test_flops_saved_by_mmengine_flop_analyzer():
    model = _segmentor(0.5)
    flops = model.decode_head.flops(_features(model))
    # convolutions scale with the area (1/4); the ASPP image-pool branch does not shrink
    assert 0.7 < flops['saved'] < 0.76 and flops['truncated'] < flops['full']


def test_truncation_modes_and_errors():
    x = torch.randn(1, 2, 9, 12)
    assert truncate_feature(x, 0.5, 'area').shape[-2:] == (4, 6)  # round(4.5) = 4 (to even)
    assert truncate_feature(x, 0.01).shape[-2:] == (1, 1)
    with pytest.raises(ValueError, match='decode_head.ratio'):
        FeatureTruncationHead(dict(type='FCNHead', in_channels=2, channels=2, num_classes=2),
                              ratio=1.5)
    with pytest.raises(ValueError, match='decode_head.mode'):
        FeatureTruncationHead(dict(type='FCNHead', in_channels=2, channels=2, num_classes=2),
                              mode='nearest')
    head = FeatureTruncationHead(dict(type='FCNHead', in_channels=2, channels=2, num_classes=2),
                                 in_index=[3])
    with pytest.raises(ValueError, match='in_index'):
        head([x])
