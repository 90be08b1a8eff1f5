"""Row 'a zero-byte image in the training set': the error names the file and the dataset, and
the embedded configs checkpoint often enough that a crash loses little."""
import copy
import glob
import os.path as osp
import shutil

import pytest
from mmengine.config import Config
from mmengine.registry import DATASETS, init_default_scope

from mmfreqkd.compat import DataSampleError
from conftest import CONFIGS
from runs import DS2D2, SEG_STUDENT, SSTKD


@pytest.mark.usefixtures('embedded_data')
def test_undecodable_image_names_the_file_and_the_dataset(tmp_path):
    cfg = Config.fromfile(SEG_STUDENT)
    root = tmp_path / 'texseg'
    shutil.copytree(cfg.train_dataloader.dataset.data_root, root)
    images = sorted(glob.glob(str(root / 'img_dir' / 'train' / '*.png')))
    open(images[0], 'w').close()  # zero bytes
    dataset_cfg = copy.deepcopy(cfg.train_dataloader.dataset)
    dataset_cfg.data_root = str(root)
    init_default_scope(cfg.default_scope)
    dataset = DATASETS.build(dataset_cfg)
    index = [info['img_path'] for info in dataset.load_data_list()].index(images[0])
    with pytest.raises(DataSampleError) as err:
        dataset[index]
    message = str(err.value)
    assert images[0] in message and 'BaseSegDataset' in message and str(root) in message
    dataset[(index + 1) % len(dataset)]  # the other samples load


@pytest.mark.parametrize('config', [SEG_STUDENT, SSTKD, DS2D2] + sorted(
    glob.glob(osp.join(CONFIGS, 'embedded', '*.py'))))
def test_embedded_configs_checkpoint_at_least_every_fifth_of_the_run(config):
    cfg = Config.fromfile(config)
    interval = cfg.default_hooks.checkpoint.interval
    assert interval * 5 <= cfg.train_cfg.max_iters, (config, interval)
    hooks = [h['type'] for h in cfg.get('custom_hooks', [])]
    assert {'mmfreqkd.NonFiniteGuardHook', 'mmfreqkd.RandomStateHook'} <= set(hooks)
