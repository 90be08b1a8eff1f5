"""DS2D2 on the small detection configs of every head family (RetinaNet, rotated RetinaNet,
Faster R-CNN, oriented R-CNN, Cascade R-CNN, ATSS, GFL, FCOS, RTMDet, rotated FCOS, rotated
RTMDet): all terms finite and non-zero, implicit gradients reach the student's FPN while no
teacher or amplifier parameter changes, the amplifier stage trains only the head, and bad
inputs give clear errors or zero losses."""
import itertools

import pytest
import torch
from conftest import build_for_training as build
from conftest import config_path
from conftest import training_batch as real_batch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.runner import Runner

from mmfreqkd.checkpoint import CheckpointMismatchError
from mmfreqkd.engine.loss_calibration import calibrate
from mmfreqkd.models.algorithms import DS2D2

CONFIG = config_path('ds2d2', 'ds2d2_retinanet_r18w32_retinanet_r18w8_1xb4-1k_densedet-128x128.py')
ROTATED = config_path('ds2d2',
                      'ds2d2_rotated-retinanet-rbox-le90_r18w32_r18w16_1xb4-1k_rotdet-128x128.py')
TWO_STAGE = config_path(
    'ds2d2', 'ds2d2_faster-rcnn_r18w32_faster-rcnn_r18w16_1xb4-1k_densedet-128x128.py')
ORIENTED = config_path('ds2d2',
                       'ds2d2_oriented-rcnn-le90_r18w32_r18w16_1xb4-1k_rotdet-128x128.py')
DENSE = {family: config_path(
    'ds2d2', f'ds2d2_{family}_r18w32_{family}_r18w8_1xb4-1k_densedet-128x128.py')
    for family in ('atss', 'gfl', 'fcos', 'rtmdet')}
CASCADE = config_path(
    'ds2d2', 'ds2d2_cascade-rcnn_r18w32_cascade-rcnn_r18w16_1xb4-1k_densedet-128x128.py')
ROTATED_POINTS = {family: config_path(
    'ds2d2', f'ds2d2_{family}-le90_r18w32_r18w16_1xb4-1k_rotdet-128x128.py')
    for family in ('rotated-fcos', 'rotated-rtmdet')}
AMPLIFIERS = {  # amplifier-stage config: the parts that train
    'retinanet': ('amplifier_retinanet_r18w32_fpn_1xb4-1k_densedet-128x128.py', {'bbox_head'}),
    'faster-rcnn': ('amplifier_faster-rcnn_r18w32_fpn_1xb4-1k_densedet-128x128.py',
                    {'rpn_head', 'roi_head'}),
    'rotated-retinanet': ('amplifier_rotated-retinanet-rbox-le90_r18w32_1xb4-1k_rotdet-128x128.py',
                          {'bbox_head'}),
    'oriented-rcnn': ('amplifier_oriented-rcnn-le90_r18w32_1xb4-1k_rotdet-128x128.py',
                      {'rpn_head', 'roi_head'}),
    **{family: (f'amplifier_{family}_r18w32_fpn_1xb4-1k_densedet-128x128.py', {'bbox_head'})
       for family in DENSE},
    **{family: (f'amplifier_{family}-le90_r18w32_1xb4-1k_rotdet-128x128.py', {'bbox_head'})
       for family in ROTATED_POINTS},
    'cascade-rcnn': ('amplifier_cascade-rcnn_r18w32_fpn_1xb4-1k_densedet-128x128.py',
                     {'rpn_head', 'roi_head'}),
}
TERMS = ['distill.loss_low', 'distill.loss_high', 'distill.full.loss_cls',
         'distill.full.loss_reg', 'distill.high.loss_cls', 'distill.high.loss_reg']


def load_cfg(path=CONFIG, **options):
    cfg = Config.fromfile(path)
    cfg.model.teacher_ckpt = None
    cfg.model.allow_random_teacher = True
    cfg.model.high_amplifier.checkpoint = None
    cfg.merge_from_dict(options)
    return cfg


def distill_losses(model, batch):
    data = model.data_preprocessor(batch, True)
    return model.loss(data['inputs'], data['data_samples'])


@pytest.fixture(scope='module')
def cfg(embedded_data):
    return load_cfg()


@pytest.fixture(scope='module', params=[CONFIG, ROTATED, TWO_STAGE, ORIENTED, CASCADE,
                                        *DENSE.values(), *ROTATED_POINTS.values()],
                ids=['retinanet', 'rotated-retinanet', 'faster-rcnn', 'oriented-rcnn',
                     'cascade-rcnn', *DENSE, *ROTATED_POINTS])
def any_cfg(request, embedded_data):
    return load_cfg(request.param)


def built(cfg):
    """The model initialised as the runner does, and its optim wrapper."""
    model, optim_wrapper = build(cfg)
    model.init_weights()
    return model, optim_wrapper


def test_every_term_is_finite_nonzero_and_implicit_terms_reach_the_student_fpn(any_cfg):
    cfg = any_cfg
    torch.manual_seed(0)
    model, _ = built(cfg)
    assert isinstance(model, DS2D2)
    losses = distill_losses(model, real_batch(cfg))
    fpn = list(model.student.neck.parameters())
    for term in TERMS:
        assert torch.isfinite(losses[term]) and losses[term] != 0, (term, losses[term])
        grads = torch.autograd.grad(losses[term], fpn, retain_graph=True, allow_unused=True)
        assert any(g is not None and g.abs().sum() > 0 for g in grads), term


def _state(module):
    return {k: v.clone() for k, v in module.state_dict().items()}


def test_train_steps_change_no_teacher_or_amplifier_parameter(any_cfg):
    cfg = any_cfg
    torch.manual_seed(0)
    model, optim_wrapper = built(cfg)
    teacher, amplifier = _state(model.teacher), _state(model.high_head)
    student = _state(model.student.neck)
    batch = real_batch(cfg)
    if model.loss_scales is not None:  # the embedded configs calibrate, as their runs do first
        calibrate(model, itertools.repeat(batch))
    for _ in range(2):
        log_vars = model.train_step(batch, optim_wrapper)
    assert all(torch.isfinite(v) for v in log_vars.values())
    for name, value in model.teacher.state_dict().items():
        assert torch.equal(value, teacher[name]), name
    for name, value in model.high_head.state_dict().items():
        assert torch.equal(value, amplifier[name]), name
    assert any(not torch.equal(v, student[k]) for k, v in model.student.neck.state_dict().items())


def test_images_without_boxes_give_finite_losses(any_cfg):
    cfg = any_cfg
    torch.manual_seed(0)
    model, _ = built(cfg)
    batch = real_batch(cfg)
    for sample in batch['data_samples']:
        sample.gt_instances = sample.gt_instances[:0]
    losses = distill_losses(model, batch)
    for term in TERMS:
        assert torch.isfinite(losses[term]), term


def test_amplifier_checkpoint_missing_or_mismatched(cfg, tmp_path):
    with pytest.raises(FileNotFoundError, match='high_amplifier.checkpoint'):
        build(load_cfg(**{'model.high_amplifier.checkpoint': str(tmp_path / 'none.pth')}))
    torch.save(dict(state_dict={'backbone.conv1.weight': torch.zeros(1)}), tmp_path / 'a.pth')
    with pytest.raises(CheckpointMismatchError, match='bbox_head'):
        build(load_cfg(**{'model.high_amplifier.checkpoint': str(tmp_path / 'a.pth')}))
    torch.save(dict(state_dict={'bbox_head.retina_cls.weight': torch.zeros(3, 3, 3, 3)}),
               tmp_path / 'b.pth')
    with pytest.raises(CheckpointMismatchError, match='retina_cls'):
        build(load_cfg(**{'model.high_amplifier.checkpoint': str(tmp_path / 'b.pth')}))


@pytest.mark.parametrize('detector', sorted(AMPLIFIERS))
def test_amplifier_stage_trains_only_the_head(detector, embedded_data, tmp_path):
    config, heads = AMPLIFIERS[detector]
    cfg = Config.fromfile(config_path('ds2d2', config))
    cfg.load_from = None
    cfg.work_dir = str(tmp_path)
    cfg.train_cfg.max_iters = 3
    cfg.train_cfg.val_interval = 100
    cfg.default_hooks.checkpoint.interval = 100
    runner = Runner.from_cfg(cfg)
    before = {}

    class Snapshot(Hook):  # the weights after initialisation, before the first step

        def before_train(self, runner):
            before.update({k: v.clone() for k, v in runner.model.state_dict().items()})

    runner.register_hook(Snapshot())
    runner.train()
    changed = {k.split('.')[0] for k, v in runner.model.state_dict().items()
               if not torch.equal(v, before[k])}
    assert changed == heads, changed


@pytest.mark.parametrize('stages, amplified', [('all', [0, 1, 2]), ('last', [2])])
def test_cascade_amplifies_every_stage_or_the_last(stages, amplified, embedded_data):
    """Each selected stage's box head runs on the RoIs that stage sampled, weighted by the
    head's stage_loss_weights ('all') or alone ('last')."""
    cfg = load_cfg(CASCADE, **{'model.head_adapter.stages': stages})
    torch.manual_seed(0)
    model, _ = built(cfg)
    head = model.teacher.roi_head
    calls = []
    forward = head._bbox_forward

    def spy(stage, feats, rois):
        calls.append((stage, rois))
        return forward(stage, feats, rois)

    head._bbox_forward = spy
    losses = distill_losses(model, real_batch(cfg))
    del head._bbox_forward
    assert sorted({stage for stage, _ in calls}) == amplified
    assert all(torch.isfinite(losses[k]) and losses[k] > 0 for k in TERMS)
    with pytest.raises(ValueError, match=r"model.head_adapter.stages must be 'all' or 'last'"):
        built(load_cfg(CASCADE, **{'model.head_adapter.stages': 'first'}))
    with pytest.raises(ValueError, match=r'model.head_adapter: AnchorDeltaAdapter \(RetinaHead '
                       r"family\) takes no options, got \['stages'\]"):
        built(load_cfg(CONFIG, **{'model.head_adapter': dict(stages='last')}))


def test_disw_maps_are_computed_once_per_level_and_step(cfg, monkeypatch):
    """The low and high band losses share each level's DISW maps: one computation per level
    per step, each level's maps those of its own size."""
    import mmfreqkd.models.losses.disw_feature_loss as module
    calls = []
    original = module.disw_weights

    def counting(*args, **kwargs):
        calls.append(tuple(args[2]))
        return original(*args, **kwargs)

    monkeypatch.setattr(module, 'disw_weights', counting)
    torch.manual_seed(0)
    model, _ = built(cfg)
    batch = real_batch(cfg)
    for _ in range(2):
        calls.clear()
        losses = distill_losses(model, batch)
        feats = model.distiller_module.get_record('fpn', True)
        sizes = [tuple(-(-s // 2) for s in f.shape[-2:]) for f in feats]  # the bands' size
        assert sorted(calls) == sorted(sizes), (calls, sizes)
        assert losses['distill.loss_low'] > 0 and losses['distill.loss_high'] > 0
    gt_instances, maps = module.DISWFeatureLoss._shared_maps
    boxes = [module.gt_boxes(instances) for instances in gt_instances]
    input_shape = model.data_preprocessor(batch, True)['data_samples'][0].batch_input_shape
    for (size, shape, dtype, _), weights in maps.items():
        torch.testing.assert_close(weights, original(boxes, shape, size, dtype))
        assert shape == tuple(input_shape)
