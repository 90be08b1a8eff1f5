"""Row 'a zero-byte image in the training set': the error names the file and the dataset, and
the embedded configs checkpoint often enough that a crash loses little."""
import copy
import glob
import os.path as osp
import shutil
from unittest import mock

import pytest
from conftest import CONFIGS
from mmengine.config import Config
from mmengine.registry import DATASETS, init_default_scope
from runs import DS2D2, SEG_STUDENT, SSTKD

from mmfreqkd.compat import DataSampleError


def _dataset_with_an_empty_image(tmp_path, pipeline=None):
    """The embedded training set, copied, with its first image truncated to zero bytes; the
    dataset, the image's path and its index."""
    cfg = Config.fromfile(SEG_STUDENT)
    root = tmp_path / 'texseg'
    shutil.copytree(cfg.train_dataloader.dataset.data_root, root)
    images = sorted(glob.glob(str(root / 'img_dir' / 'train' / '*.png')))
    open(images[0], 'w').close()
    dataset_cfg = copy.deepcopy(cfg.train_dataloader.dataset)
    dataset_cfg.data_root = str(root)
    if pipeline is not None:
        dataset_cfg.pipeline = pipeline
    init_default_scope(cfg.default_scope)
    dataset = DATASETS.build(dataset_cfg)
    index = [info['img_path'] for info in dataset.load_data_list()].index(images[0])
    return dataset, images[0], index, root


@pytest.mark.usefixtures('embedded_data')
def test_undecodable_image_names_the_file_and_the_dataset(tmp_path):
    dataset, image, index, root = _dataset_with_an_empty_image(tmp_path)
    with pytest.raises(DataSampleError) as err:
        dataset[index]
    message = str(err.value)
    assert image in message and 'BaseSegDataset' in message and str(root) in message
    dataset[(index + 1) % len(dataset)]  # the other samples load


@pytest.mark.usefixtures('embedded_data')
def test_configured_skip_draws_another_sample_and_counts(tmp_path):
    pipeline = [dict(type='mmfreqkd.SkipUnreadable', max_skipped=1,
                     transforms=[dict(type='LoadImageFromFile'), dict(type='LoadAnnotations')]),
                dict(type='PackSegInputs')]
    dataset, image, index, _ = _dataset_with_an_empty_image(tmp_path, pipeline)
    with mock.patch('mmfreqkd.datasets.skip_unreadable.print_log') as log:
        sample = dataset[index]
    assert sample['data_samples'].img_path != image  # another sample was drawn
    assert image in log.call_args.args[0] and '1 skipped so far' in log.call_args.args[0]
    with pytest.raises(RuntimeError, match='more than max_skipped=1'):
        dataset[index]


@pytest.mark.parametrize('config', [SEG_STUDENT, SSTKD, DS2D2] + sorted(
    glob.glob(osp.join(CONFIGS, 'embedded', '*.py'))))
def test_embedded_configs_checkpoint_at_least_every_fifth_of_the_run(config):
    cfg = Config.fromfile(config)
    interval = cfg.default_hooks.checkpoint.interval
    assert interval * 5 <= cfg.train_cfg.max_iters, (config, interval)
    hooks = [h['type'] for h in cfg.get('custom_hooks', [])]
    assert {'mmfreqkd.NonFiniteGuardHook', 'mmfreqkd.RandomStateHook'} <= set(hooks)
