"""mmfreqkd.mmcls_alias: mmrazor's stock classification distillation configs, read unmodified
from mmrazor's installed package, build and train on mmpretrain (mmcls is not installed)."""
import importlib.util
import os.path as osp
import sys

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import init_default_scope

from mmfreqkd import mmcls_alias

pytestmark = pytest.mark.skipif(not mmcls_alias.active(),
                                reason='a real mmcls is installed: no alias')

MMRAZOR_CONFIGS = osp.join(osp.dirname(importlib.util.find_spec('mmrazor').origin), '.mim',
                           'configs', 'distill', 'mmcls')


def test_mmcls_modules_and_classes_are_mmpretrains():
    import mmcls.models
    import mmpretrain.models
    from mmcls.models.losses.cross_entropy_loss import soft_cross_entropy
    from mmpretrain.models.losses.cross_entropy_loss import soft_cross_entropy as reference
    assert mmcls.models is mmpretrain.models and soft_cross_entropy is reference
    assert MMENGINE_MODELS.get('mmcls.CrossEntropyLoss') is mmpretrain.models.CrossEntropyLoss


def test_importing_the_alias_leaves_mmpretrains_own_spec():
    """``find_spec('mmpretrain')`` still locates mmpretrain (its configs are found through it)
    once ``mmcls`` was imported."""
    import mmcls.models  # noqa: F401
    for name in ('mmpretrain', 'mmpretrain.models'):
        spec = importlib.util.find_spec(name)
        assert spec.name == name
        assert osp.isdir(osp.join(spec.submodule_search_locations[0]))
        assert spec.origin == sys.modules[name].__file__


def test_mmcls_config_paths_read_mmpretrains_configs():
    ours = Config.fromfile(osp.join(MMRAZOR_CONFIGS, 'kd',
                                    'kd_logits_resnet34_resnet18_8xb32_in1k.py'))
    from mmengine.hub import get_config
    reference = get_config('mmpretrain::resnet/resnet18_8xb32_in1k.py').train_dataloader
    assert ours.train_dataloader.dataset.pipeline == reference.dataset.pipeline
    # a config mmpretrain renamed
    assert get_config('mmcls::deit/deit-base_pt-16xb64_in1k.py').model.backbone.arch == 'deit-base'


def _stock(path):
    cfg = Config.fromfile(osp.join(MMRAZOR_CONFIGS, path))
    # the published teacher weights are a download
    cfg.model.teacher_ckpt = None
    cfg.model.teacher.pretrained = False
    init_default_scope('mmrazor')
    return MMENGINE_MODELS.build(cfg.model)


@pytest.mark.parametrize('path, loss', [
    ('kd/kd_logits_resnet34_resnet18_8xb32_in1k.py', 'loss_kl'),
    ('dkd/dkd_resnet34_resnet18_8xb32_in1k.py', 'loss_dkd'),
    ('fitnets/fitnets_backbone_logits_resnet50_resnet18_8xb32_in1k.py', 'loss_s4'),
])
def test_stock_configs_build_and_train_a_step(path, loss):
    from mmengine.hub import get_model
    from mmengine.optim import OptimWrapper
    from mmpretrain.structures import DataSample
    model = _stock(path)
    student = get_model('mmpretrain::resnet/resnet18_8xb32_in1k.py')
    assert {k: v.shape for k, v in model.architecture.state_dict().items()} == \
        {k: v.shape for k, v in student.state_dict().items()}
    torch.manual_seed(0)
    batch = dict(inputs=[torch.randint(0, 255, (3, 64, 64), dtype=torch.uint8)
                         for _ in range(2)],
                 data_samples=[DataSample().set_gt_label(i) for i in (3, 7)])
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.01))
    log_vars = model.train_step(batch, optim)
    terms = [k for k in log_vars if loss in k]
    assert terms and all(torch.isfinite(torch.as_tensor(log_vars[k])) for k in terms)
