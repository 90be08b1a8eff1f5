"""LossBalanceHook in a real (in-process) distillation run: it logs every term's share, and a
run with it trains exactly as one without it (statistics and random states put back)."""
import json
import math
import os.path as osp

import pytest
import torch
from conftest import config_path
from mmengine.config import Config

from mmfreqkd.benchmark.experiment import mean_shares
from mmfreqkd.cli import build_runner
from mmfreqkd.engine import LossBalanceHook

CWD = config_path('baselines', 'cwd_logits_pspnet_r18w32_pspnet_r18w4_texseg.py')


def _train(work_dir, hook):
    cfg = Config.fromfile(CWD)
    cfg.merge_from_dict({
        'train_cfg.max_iters': 4, 'train_cfg.val_interval': 4,
        'default_hooks.checkpoint.interval': 4, 'default_hooks.logger.interval': 1,
        'train_dataloader.batch_size': 2, 'train_dataloader.num_workers': 0,
        'param_scheduler.0.end': 4, 'model.teacher_ckpt': None,
        'model.allow_random_teacher': True, 'randomness.deterministic': True,
        'work_dir': str(work_dir), 'visualizer.name': f'visualizer {work_dir}'})
    if hook:
        cfg.custom_hooks = [*cfg.custom_hooks, dict(type='mmfreqkd.LossBalanceHook', interval=2)]
    runner = build_runner(cfg)
    runner.train()
    return runner


@pytest.mark.usefixtures('embedded_data')
def test_logs_the_shares_and_changes_nothing_of_the_run(tmp_path):
    with_hook, without = _train(tmp_path / 'with', True), _train(tmp_path / 'without', False)
    # (each run has a visualizer of its own name: one of the same name, made by an earlier
    # runner in this process, would write to that runner's log)
    with open(osp.join(with_hook.log_dir, 'vis_data', 'scalars.json')) as f:
        records = [json.loads(line) for line in f]
    history = with_hook.message_hub.get_scalar('train/grad_share/distill.loss_cwd')
    ratios = list(history.data[0])
    assert len(ratios) == 2 and all(math.isfinite(r) and r > 0 for r in ratios)
    cosine = with_hook.message_hub.get_scalar('train/grad_cos/distill.loss_cwd').current()
    assert -1 <= cosine <= 1
    assert 'train/grad_share/task' not in with_hook.message_hub.log_scalars  # always 1
    # the log holds each measurement as taken (not a windowed mean), from its iteration on
    logged = {r['iter']: r.get('grad_share/distill.loss_cwd') for r in records if 'iter' in r}
    assert logged == {1: None, 2: ratios[0], 3: ratios[0], 4: ratios[1]}
    assert mean_shares(records) == {'distill.loss_cwd': pytest.approx((ratios[0] + ratios[1])
                                                                      / 2)}
    trained, reference = with_hook.model.state_dict(), without.model.state_dict()
    assert all(torch.equal(trained[k], reference[k]) for k in reference)


def test_interval_must_be_positive():
    with pytest.raises(ValueError, match='interval must be at least 1, got 0'):
        LossBalanceHook(interval=0)
