"""SpectralMonitorHook's band shares by hand and its errors (training runs with the hook are in
tests/test_tools/test_spectral_ce.py)."""
from types import SimpleNamespace

import pytest
import torch

from mmfreqkd.engine import SpectralMonitorHook, band_fractions


def test_band_shares_split_rings_at_equal_fractions_of_nyquist():
    # rings of 1/8 cycles per pixel: 0, .125, .25, .375, .5, .625 -> bands of width 1/4
    profile = torch.tensor([4.0, 2.0, 1.0, -1.0, 1.0, 1.0])
    shares = band_fractions(profile, 1 / 8, 2)
    assert shares == pytest.approx([6 / 8, 2 / 8])  # rings >= 1/4 (and beyond Nyquist): 2
    assert sum(band_fractions(profile, 1 / 8, 4)) == pytest.approx(1.0)


def test_a_model_without_decode_head_is_named():
    hook = SpectralMonitorHook()
    runner = SimpleNamespace(model=torch.nn.Linear(2, 2))
    with pytest.raises(ValueError, match='decode_head.*Linear'):
        hook.before_run(runner)
    with pytest.raises(ValueError, match='interval'):
        SpectralMonitorHook(interval=0)
