"""A stock mmdet project that only adds `custom_imports=['mmfreqkd']` trains as before."""
import os.path as osp

import pytest
from tools_helpers import run_tool, write_config


@pytest.mark.slow
@pytest.mark.usefixtures('embedded_data')
def test_stock_mmdet_config_trains_with_the_plugin_imported(tmp_path, embedded_data):
    import mmdet
    stock_train = osp.join(osp.dirname(mmdet.__file__), '.mim', 'tools', 'train.py')
    data = embedded_data['densedet'] + '/'
    # The stock RetinaNet-R18 config, unchanged but for: the plugin import, a data set that
    # exists here (the embedded COCO-format set), no download of ImageNet weights, 2 iterations.
    cfg = write_config(tmp_path / 'retinanet_with_plugin.py', f'''
        _base_ = 'mmdet::retinanet/retinanet_r18_fpn_1x_coco.py'
        custom_imports = dict(imports=['mmfreqkd'], allow_failed_imports=False)
        metainfo = dict(classes=('square', 'disk', 'triangle'))
        model = dict(backbone=dict(init_cfg=None), bbox_head=dict(num_classes=3))
        train_dataloader = dict(
            batch_size=2, num_workers=0, persistent_workers=False,
            dataset=dict(data_root='{data}', metainfo=metainfo,
                         ann_file='annotations/train.json', data_prefix=dict(img='train/')))
        train_cfg = dict(_delete_=True, type='IterBasedTrainLoop', max_iters=2)
        val_cfg = None
        val_dataloader = None
        val_evaluator = None
        test_cfg = None
        test_dataloader = None
        test_evaluator = None
        param_scheduler = []
        default_hooks = dict(logger=dict(interval=1), checkpoint=dict(by_epoch=False,
                                                                      interval=2))
        log_processor = dict(by_epoch=False)
        ''')
    result = run_tool([stock_train, cfg, '--work-dir', str(tmp_path / 'work')])
    log = result.stdout + result.stderr
    assert 'Iter(train) [2/2]' in log
    assert (tmp_path / 'work' / 'iter_2.pth').exists()
