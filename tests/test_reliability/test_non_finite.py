"""Row 'data_preprocessor.std=[0,0,0]' (every loss NaN from iteration 1): the run stops at
once, naming the loss terms, the iteration and the last good checkpoint, and writes no
checkpoint; configured, it skips steps instead, and a non-finite checkpoint is never saved."""
import glob
from types import SimpleNamespace

import pytest
import torch
from mmengine.optim import OptimWrapper
from runs import SEG_STUDENT, schedule, train

from mmfreqkd.engine import NonFiniteError, NonFiniteGuardHook

NAN_INPUT = 'model.data_preprocessor.std=[0,0,0]'


@pytest.mark.usefixtures('embedded_data')
def test_nan_losses_stop_the_run_before_any_checkpoint(tmp_path):
    result = train(SEG_STUDENT, tmp_path, schedule(SEG_STUDENT, 4, 2) + [NAN_INPUT], check=False)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert 'NonFiniteError: iteration 1: non-finite loss terms' in log
    assert "'decode.loss_ce': nan" in log
    assert 'Last good checkpoint: none yet' in log
    assert not glob.glob(str(tmp_path / '*.pth')) and not (tmp_path / 'last_checkpoint').exists()


@pytest.mark.usefixtures('embedded_data')
def test_configured_skips_then_stop(tmp_path):
    config = tmp_path / 'skipping.py'
    config.write_text(f'_base_ = {SEG_STUDENT!r}\n'
                      "custom_hooks = [dict(type='mmfreqkd.NonFiniteGuardHook', max_skips=2)]\n")
    result = train(str(config), tmp_path / 'run', schedule(SEG_STUDENT, 4, 2) + [NAN_INPUT],
                   check=False)
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert log.count('the optimizer step is skipped') == 2
    assert 'NonFiniteError: iteration 3' in log


def _runner(model, optim_wrapper, tmp_path):
    return SimpleNamespace(model=model, optim_wrapper=optim_wrapper, iter=6,
                           work_dir=str(tmp_path))


class _Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = torch.nn.Linear(2, 1)

    def parse_losses(self, losses):
        return sum(losses.values()), dict(losses, loss=sum(losses.values()))


def test_non_finite_gradient_is_not_applied(tmp_path):
    model = _Model()
    wrapper = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1))
    hook = NonFiniteGuardHook()
    runner = _runner(model, wrapper, tmp_path)
    hook.before_train(runner)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    loss, _ = model.parse_losses(dict(loss_a=model.layer(torch.ones(1, 2)).sum()))
    loss.backward()
    model.layer.weight.grad[0, 0] = float('inf')
    with pytest.raises(NonFiniteError, match=r'iteration 7: non-finite gradients .*layer.weight'):
        wrapper.step()
    assert all(torch.equal(v, before[k]) for k, v in model.state_dict().items())


def test_checkpoint_with_non_finite_weights_is_refused(tmp_path):
    model = _Model()
    hook = NonFiniteGuardHook()
    state = model.state_dict()
    state['layer.bias'] = torch.tensor([float('nan')])
    with pytest.raises(NonFiniteError, match='layer.bias'):
        hook.before_save_checkpoint(_runner(model, None, tmp_path), dict(state_dict=state))
