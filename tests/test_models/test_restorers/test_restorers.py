"""The restoration models: published parameter counts of the papers' configurations, the three
modes at any input size, 8-bit predictions, and learning on a photograph."""
import numpy as np
import pytest
import torch
from mmengine.structures import BaseDataElement
from skimage import data

from mmfreqkd.models import NAFNet, Restormer

TINY = dict(
    NAFNet=dict(width=8, enc_blocks=(1, 1), middle_blocks=1, dec_blocks=(1, 1)),
    Restormer=dict(width=8, enc_blocks=(1, 1), latent_blocks=1, dec_blocks=(1, 1),
                   heads=(1, 2, 2), refinement_blocks=1))
CLASSES = dict(NAFNet=NAFNet, Restormer=Restormer)


def _params(model):
    return sum(p.numel() for p in model.parameters())


def test_restormer_has_the_published_size():
    """Restormer's default configuration: 26.13 M parameters (Restormer paper, Table 8)."""
    assert round(_params(Restormer()) / 1e6, 2) == 26.13


def test_naf_blocks_start_as_the_identity():
    """NAFNet's block scales its two residual branches by beta and gamma, initialised at 0."""
    model = NAFNet(width=8, enc_blocks=(2, ), middle_blocks=1, dec_blocks=(1, ))
    x = torch.randn(2, 8, 12, 12)
    torch.testing.assert_close(model.encoders[0](x), x, rtol=0, atol=0)


def _batch(size=(30, 22), seed=0):
    rng = np.random.default_rng(seed)
    clean = data.astronaut()[100:100 + size[0], 200:200 + size[1]]
    noisy = np.clip(clean + rng.normal(0, 20, clean.shape), 0, 255).astype(np.uint8)
    sample = BaseDataElement(gt_img=torch.from_numpy(clean).permute(2, 0, 1).contiguous())
    return dict(inputs=[torch.from_numpy(noisy).permute(2, 0, 1).contiguous()],
                data_samples=[sample])


@pytest.mark.parametrize('name', sorted(CLASSES))
def test_modes_at_an_odd_size(name):
    model = CLASSES[name](**TINY[name])
    batch = model.data_preprocessor(_batch(), False)
    assert batch['inputs'].max() <= 1  # mean 0, std 255 by default
    assert model(batch['inputs']).shape == (1, 3, 30, 22)
    losses = model(**batch, mode='loss')
    assert set(losses) == {'loss_img'} and torch.isfinite(losses['loss_img'])
    losses['loss_img'].backward()
    assert all(p.grad is not None for p in model.parameters() if p.requires_grad)
    pred = model(**batch, mode='predict')[0].pred_img
    assert pred.shape == (3, 30, 22)
    assert pred.min() >= 0 and pred.max() <= 255 and torch.equal(pred, pred.round())
    with pytest.raises(ValueError, match="mode must be 'tensor', 'loss' or 'predict'"):
        model(batch['inputs'], mode='features')


@pytest.mark.parametrize('name', sorted(CLASSES))
def test_learns_to_denoise_a_photograph(name):
    torch.manual_seed(0)
    model = CLASSES[name](**TINY[name])
    batch = model.data_preprocessor(_batch((32, 32)), True)
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    losses = []
    for _ in range(40):
        optimizer.zero_grad()
        loss = model(**batch, mode='loss')['loss_img']
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < 0.6 * losses[0]


def test_named_errors():
    with pytest.raises(ValueError, match='same number of levels'):
        NAFNet(enc_blocks=(1, 1), dec_blocks=(1, ))
    with pytest.raises(ValueError, match='heads'):
        Restormer(enc_blocks=(1, 1), dec_blocks=(1, 1), heads=(1, 2))
    model = NAFNet(**TINY['NAFNet'])
    batch = model.data_preprocessor(_batch(), False)
    with pytest.raises(KeyError, match="no 'gt_img'"):
        model(batch['inputs'], [BaseDataElement()], mode='loss')


@pytest.mark.parametrize('name', sorted(CLASSES))
def test_pairs_of_different_sizes_in_one_batch_are_named(name):
    """Issue row 'pairs of different sizes in one restoration batch': not torch's bare "stack
    expects each tensor to be equal size", but the sizes and the fix."""
    model = CLASSES[name](**TINY[name])
    first, second = _batch((32, 32)), _batch((24, 40), seed=1)
    batch = model.data_preprocessor(
        dict(inputs=first['inputs'] + second['inputs'],
             data_samples=first['data_samples'] + second['data_samples']), True)
    with pytest.raises(ValueError, match=r"the 'gt_img' images of one batch have different "
                       r"sizes \[\(3, 32, 32\), \(3, 24, 40\)\].*PairedRandomCrop"):
        model(**batch, mode='loss')
