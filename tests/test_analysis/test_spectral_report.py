"""SpectralReport: accumulated over images of different sizes, its CE is torch's cross-entropy
over all labelled pixels; cut-offs, JSON and plots."""
import json

import pytest
import torch
import torch.nn.functional as F

from mmfreqkd.analysis import SpectralReport


def _batch(seed, size, ignore_share=0.2):
    gen = torch.Generator().manual_seed(seed)
    logits = 2 * torch.randn(2, 4, *size, generator=gen)
    labels = torch.randint(0, 4, (2, *size), generator=gen)
    labels[torch.rand(2, *size, generator=gen) < ignore_share] = 255
    return logits, labels


def test_total_is_the_cross_entropy_over_all_labelled_pixels():
    report = SpectralReport(num_classes=4, bin_width=1 / 32)
    batches = [_batch(0, (16, 16)), _batch(1, (24, 10)), _batch(2, (8, 8), ignore_share=1.0)]
    errors = [report.add(*b) for b in batches]
    assert max(errors[:2]) < 1e-12
    total = sum(float(F.cross_entropy(z.double(), y, ignore_index=255, reduction='sum'))
                for z, y in batches)
    n = sum(int((y != 255).sum()) for _, y in batches)
    summary = report.summary()
    assert summary['ce']['total'] == pytest.approx(total / n, rel=1e-10)
    assert summary['n_images'] == 6
    assert summary['ce']['cumulative_fraction'][-1] == pytest.approx(1.0)
    assert set(summary['ce']['cutoffs']) == {'90%', '95%', '99%'}
    assert len(summary['frequencies']) == len(summary['ce']['profile']) == 24


def test_features_and_saved_report(tmp_path):
    report = SpectralReport(num_classes=4)
    report.add(*_batch(0, (16, 16)))
    smooth = torch.ones(2, 3, 16, 16)
    report.add_feature('smooth', smooth)
    summary = report.summary()
    assert summary['features']['smooth']['profile'][0] == pytest.approx(2 * 3)  # DC only
    assert sum(summary['features']['smooth']['profile'][1:]) == pytest.approx(0, abs=1e-12)
    paths = report.save(str(tmp_path), meta=dict(config='x.py'))
    assert sorted(p.rsplit('/', 1)[-1] for p in paths) == [
        'ce_spectrum.png', 'label_feature_spectra.png', 'spectral_report.json']
    with open(tmp_path / 'spectral_report.json') as f:
        assert json.load(f)['config'] == 'x.py'
    assert all((tmp_path / name).stat().st_size > 1000 for name in
               ('ce_spectrum.png', 'label_feature_spectra.png'))


def test_empty_report_and_bad_feature_are_named():
    report = SpectralReport(num_classes=2)
    with pytest.raises(ValueError, match='no batch'):
        report.summary()
    with pytest.raises(ValueError, match=r"'f'.*\(2, 3\)"):
        report.add_feature('f', torch.zeros(2, 3))
