"""LossScales: settings checked, targets by key, pattern or exclusion, multipliers kept as the
module's extra state (what a checkpoint carries)."""
import pytest
import torch

from mmfreqkd.models.algorithms.loss_scales import LossScales


def test_settings_are_checked_and_saved_as_extra_state():
    with pytest.raises(ValueError, match='target shares must be > 0'):
        LossScales(target=0)
    scales = LossScales(targets={'distill.loss_a': None, 'distill.full.*': 2.0})
    assert scales.target_of('distill.loss_a') is None and scales.target_of('b') == 1.0
    assert scales.target_of('distill.full.loss_cls') == 2.0
    scales.check_terms(['distill.loss_a', 'distill.full.loss_reg'])
    excluded = LossScales(targets={'adv.loss_d': 3.0}, excluded=('adv.*', ))
    assert excluded.target_of('adv.loss_g') is None and excluded.target_of('adv.loss_d') == 3.0
    with pytest.raises(KeyError, match=r"\['distill.full.\*'\], which match no loss term"):
        scales.check_terms(['distill.loss_a', 'distill.high.loss_reg'])
    scales.set({'distill.loss_b': 2.0})
    scales.set({'distill.loss_b': 0.1 + 0.2})  # a float with 17 significant digits
    state = scales.state_dict()
    assert all(torch.is_tensor(v) for v in state.values()), 'mmengine broadcasts each entry'
    copy = LossScales()
    copy.load_state_dict(state)
    assert copy.calibrated and copy.scales == {'distill.loss_b': 0.1 + 0.2}
    copy.load_state_dict({'_extra_state': dict(scales={'distill.loss_b': 2.0}, calibrated=True)})
    assert copy.scales == {'distill.loss_b': 2.0}
    assert copy.multiply({'distill.loss_b': torch.tensor(3.0), 'x': 1}) == {
        'distill.loss_b': torch.tensor(6.0), 'x': 1}
