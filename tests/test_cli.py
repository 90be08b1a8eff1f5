"""mmfreqkd.cli: the argument handling shared by the tools."""
import argparse

import pytest
from mmengine.config import Config

from mmfreqkd.cli import (add_runner_args, enable_amp, load_runner_config, schedule_options,
                          setup_cpu_distributed)
from conftest import config_path

STUDENT = config_path('embedded', 'pspnet_r18w16-d8_1xb8-1k_texseg-64x64.py')


def parse(*argv):
    parser = argparse.ArgumentParser()
    parser.add_argument('config')
    return add_runner_args(parser).parse_args([STUDENT, *argv])


@pytest.mark.parametrize('flag', ['--local-rank', '--local_rank'])
def test_both_local_rank_spellings_are_accepted(flag):
    assert parse(flag, '3').local_rank == 3


def test_work_dir_default_and_cfg_options():
    cfg = load_runner_config(parse('--cfg-options', 'train_cfg.max_iters=7'))
    assert cfg.work_dir == './work_dirs/pspnet_r18w16-d8_1xb8-1k_texseg-64x64'
    assert cfg.train_cfg.max_iters == 7 and cfg.launcher == 'none'
    assert load_runner_config(parse('--work-dir', '/tmp/x')).work_dir == '/tmp/x'


def test_amp_switches_plain_and_per_model_wrappers():
    cfg = Config(dict(optim_wrapper=dict(type='OptimWrapper', optimizer=dict(type='SGD'))))
    enable_amp(cfg)
    assert cfg.optim_wrapper.type == 'AmpOptimWrapper' and cfg.optim_wrapper.loss_scale == 'dynamic'
    cfg = Config(dict(optim_wrapper=dict(
        constructor='SeparateOptimWrapperConstructor',
        architecture=dict(type='OptimWrapper', optimizer=dict(type='SGD')),
        discriminator=dict(optimizer=dict(type='Adam')))))
    enable_amp(cfg)
    assert cfg.optim_wrapper.architecture.type == 'AmpOptimWrapper'
    assert cfg.optim_wrapper.discriminator.type == 'AmpOptimWrapper'
    cfg = Config(dict(optim_wrapper=dict(  # a default wrapper plus one per named sub-model
        type='OptimWrapper', optimizer=dict(type='SGD'),
        constructor='mmfreqkd.SeparateOptimWrapperConstructor',
        discriminator=dict(optimizer=dict(type='Adam')))))
    enable_amp(cfg)
    assert cfg.optim_wrapper.type == cfg.optim_wrapper.discriminator.type == 'AmpOptimWrapper'


def test_amp_rejects_wrappers_it_cannot_convert():
    cfg = Config(dict(optim_wrapper=dict(type='ApexOptimWrapper')))
    with pytest.raises(ValueError, match='ApexOptimWrapper'):
        enable_amp(cfg)


def test_cpu_distributed_needs_the_pytorch_launcher():
    cfg = Config(dict(launcher='slurm'))
    with pytest.raises(ValueError, match='--launcher slurm needs GPUs'):
        setup_cpu_distributed(cfg)


def test_schedule_options_keep_the_warm_up_and_scale_the_decay():
    """Shortened runs: the warm-up keeps its length, the decay ends (and steps) in proportion;
    the options parse with mmengine's own --cfg-options parser."""
    name = 'embedded/retinanet_r18w16_fpn_1xb4-1k_densedet-128x128.py'
    cfg = Config.fromfile(config_path(*name.split('/')))
    parser = argparse.ArgumentParser()
    add_runner_args(parser)
    args = parser.parse_args(['--cfg-options', *schedule_options('configs/' + name, 200)])
    cfg.merge_from_dict(args.cfg_options)
    warm_up, decay = cfg.param_scheduler
    assert (warm_up.type, warm_up.end) == ('LinearLR', 100)
    assert decay.end == 200 and decay.milestones == [150]


def test_train_and_validate_skips_a_finished_run(tmp_path, monkeypatch):
    """A run whose last checkpoint and validation exist is read back, not trained again."""
    import json

    import mmfreqkd.cli as cli
    config = 'configs/embedded/retinanet_r18w16_fpn_1xb4-1k_densedet-128x128.py'
    work_dir = tmp_path / 'retinanet_r18w16_fpn_1xb4-1k_densedet-128x128_seed3'
    (work_dir / 'run' / 'vis_data').mkdir(parents=True)
    (work_dir / 'iter_10.pth').write_bytes(b'')
    records = [dict(loss=1.0, time=0.5), dict(loss=0.9, time=0.7), {'coco/bbox_mAP': 0.25}]
    (work_dir / 'run' / 'vis_data' / 'scalars.json').write_text(
        '\n'.join(json.dumps(r) for r in records))
    monkeypatch.setattr(cli, 'run_command', lambda cmd: pytest.fail(f'trained again: {cmd}'))
    val, step, _ = cli.train_and_validate(config, str(tmp_path), 10, seed=3, suffix='_seed3',
                                          metric='coco/bbox_mAP', skip_finished=True)
    assert val['coco/bbox_mAP'] == 0.25 and step == 0.6
    with pytest.raises(pytest.fail.Exception, match='trained again'):
        cli.train_and_validate(config, str(tmp_path), 20, seed=3, suffix='_seed3',
                               metric='coco/bbox_mAP', skip_finished=True)
