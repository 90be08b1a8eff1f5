"""mmfreqkd.cli: the argument handling shared by the tools."""
import argparse

import pytest
from conftest import config_path
from mmengine.config import Config

from mmfreqkd.cli import add_runner_args, enable_amp, load_runner_config, setup_cpu_distributed

STUDENT = config_path('embedded', 'pspnet_r18w4-d8_1xb8-1k_texseg-64x64.py')


def parse(*argv):
    parser = argparse.ArgumentParser()
    parser.add_argument('config')
    return add_runner_args(parser).parse_args([STUDENT, *argv])


@pytest.mark.parametrize('flag', ['--local-rank', '--local_rank'])
def test_both_local_rank_spellings_are_accepted(flag):
    assert parse(flag, '3').local_rank == 3


def test_work_dir_default_and_cfg_options():
    cfg = load_runner_config(parse('--cfg-options', 'train_cfg.max_iters=7'))
    assert cfg.work_dir == './work_dirs/pspnet_r18w4-d8_1xb8-1k_texseg-64x64'
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
        constructor='mmfreqkd.SubModelOptimWrapperConstructor',
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
