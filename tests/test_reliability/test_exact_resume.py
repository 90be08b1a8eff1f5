"""Row 'kill -9, then --resume': the resumed run ends with exactly the uninterrupted run's
weights (deterministic mode), for a plain, an SSTKD and a DS2D2 run, in 1 and 2 processes.

Six iterations, a checkpoint and a validation at iteration 3, the kill after iteration 4: the
resumed run must restore the random states (dropout, flips, the critic's gradient-penalty
mixing) after mmengine re-draws three batches, and validation must not shift them."""
import glob
import os.path as osp

import pytest
import torch
from runs import DS2D2, KILL_HOOK, SEG_STUDENT, SSTKD, schedule, state_dict, train

pytestmark = pytest.mark.slow

CASES = {'plain': SEG_STUDENT, 'sstkd': SSTKD, 'ds2d2': DS2D2}


@pytest.mark.usefixtures('embedded_data')
@pytest.mark.parametrize('procs', [1, 2])
@pytest.mark.parametrize('case', list(CASES))
def test_killed_and_resumed_run_equals_the_uninterrupted_run(case, procs, tmp_path):
    config = CASES[case]
    options = schedule(config, iters=6, ckpt_interval=3, val_interval=3)
    port = 29610 + 10 * list(CASES).index(case) + procs
    train(config, tmp_path / 'full', options, procs=procs, port=port)

    (tmp_path / 'kill_hook.py').write_text(KILL_HOOK)
    crashing = tmp_path / 'crashing.py'
    crashing.write_text(
        f'_base_ = {config!r}\n'
        "custom_imports = dict(imports=['mmfreqkd', 'kill_hook'], allow_failed_imports=False)\n"
        "custom_hooks = [dict(type='mmfreqkd.NonFiniteGuardHook'), "
        "dict(type='mmfreqkd.RandomStateHook'), dict(type='KillAfterIter', at=4)]\n")
    killed = train(str(crashing), tmp_path / 'crash', options, procs=procs, port=port,
                   pythonpath=tmp_path, check=False)
    assert killed.returncode != 0, 'the run was to be killed after iteration 4'
    assert [osp.basename(p) for p in glob.glob(str(tmp_path / 'crash' / 'iter_*.pth'))] == \
        ['iter_3.pth']

    resumed = train(config, tmp_path / 'crash', options, procs=procs, port=port,
                    extra=['--resume'])
    assert 'resumed epoch: 0, iter: 3' in resumed.stdout + resumed.stderr
    full = state_dict(tmp_path / 'full' / 'iter_6.pth')
    cont = state_dict(tmp_path / 'crash' / 'iter_6.pth')
    assert full.keys() == cont.keys()
    differing = [k for k in full if not torch.equal(full[k], cont[k])]
    assert not differing, f'{len(differing)} tensors differ, e.g. {differing[:5]}'
    start = state_dict(tmp_path / 'crash' / 'iter_3.pth')
    assert any(not torch.equal(start[k], cont[k]) for k in start), 'the resumed run trained'
