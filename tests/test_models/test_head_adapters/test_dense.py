"""Dense head adapters against mmdet's (and mmrotate's) own decoding: for every family, the
rows' boxes and scores equal what the head's ``predict_by_feat`` returns before NMS (every
prior and class kept, no clipping), and the step's assignment equals the head's loss inputs."""
import copy

import numpy as np
import pytest
import torch
from conftest import config_path, training_batch
from mmdet.structures.bbox import cat_boxes, get_box_tensor
from mmengine.config import Config, ConfigDict
from mmengine.registry import MODELS, init_default_scope

from mmfreqkd.models.head_adapters import AnchorDeltaAdapter, build_head_adapter

FAMILIES = {
    'retinanet': 'retinanet_r18w32_fpn_1xb4-1k_densedet-128x128.py',
    'atss': 'atss_r18w32_fpn_1xb4-1k_densedet-128x128.py',
    'gfl': 'gfl_r18w32_fpn_1xb4-1k_densedet-128x128.py',
    'fcos': 'fcos_r18w32_fpn_1xb4-1k_densedet-128x128.py',
    'rtmdet': 'rtmdet_r18w32_fpn_1xb4-1k_densedet-128x128.py',
    'rotated-retinanet': 'rotated-retinanet-rbox-le90_r18w32_fpn_1xb4-1k_rotdet-128x128.py',
    'rotated-fcos': 'rotated-fcos-le90_r18w32_fpn_1xb4-1k_rotdet-128x128.py',
    'rotated-rtmdet': 'rotated-rtmdet-le90_r18w32_fpn_1xb4-1k_rotdet-128x128.py',
}


@pytest.fixture(scope='module', params=sorted(FAMILIES))
def detector(request, embedded_data):
    """(config, detector in eval mode with unclipped box decoding, a preprocessed batch)."""
    cfg = Config.fromfile(config_path('embedded', FAMILIES[request.param]))
    init_default_scope(cfg.default_scope)
    torch.manual_seed(0)
    model = MODELS.build(copy.deepcopy(cfg.model))
    model.init_weights()
    model.eval()
    coder = model.bbox_head.bbox_coder
    if hasattr(coder, 'clip_border'):
        coder.clip_border = False  # the amplifiers decode without clipping to the image
    batch = model.data_preprocessor(training_batch(cfg), False)
    return cfg, model, batch


def _reference(head, feats, samples):
    """mmdet's predictions before NMS: every prior and class, sorted by score, per image."""
    cfg = ConfigDict(nms_pre=10 ** 9, score_thr=-1., min_bbox_size=-1, max_per_img=-1)
    metas = [s.metainfo for s in samples]
    return head.predict_by_feat(*head(tuple(feats)), batch_img_metas=metas, cfg=cfg,
                                rescale=False, with_nms=False)


def _student_loss_then_features(model, adapter, batch):
    """The detector's loss under the adapter's recording (what DS2D2's student forward does),
    then the FPN features."""
    with adapter.recording():
        model.loss(batch['inputs'], batch['data_samples'])
    return model.extract_feat(batch['inputs'])


def test_rows_equal_the_heads_own_predictions_before_nms(detector):
    _, model, batch = detector
    head = model.bbox_head
    _, adapter = build_head_adapter(model, model)
    with torch.no_grad():
        feats = _student_loss_then_features(model, adapter, batch)
        step = adapter.step(feats, batch['data_samples'])
        rows = adapter.rows(head, feats, step)
        expected = _reference(head, feats, batch['data_samples'])
    scores, boxes = rows.probabilities(), rows.boxes
    classes = scores.shape[1]
    per_image = scores.shape[0] // len(expected)
    for i, result in enumerate(expected):
        image = slice(i * per_image, (i + 1) * per_image)
        ours = torch.cat([scores[image].reshape(-1, 1),  # (prior, class) pairs, class fastest
                          torch.arange(classes).repeat(per_image)[:, None].float(),
                          boxes[image].repeat_interleave(classes, 0)], 1)
        theirs = torch.cat([result.scores[:, None], result.labels[:, None].float(),
                            get_box_tensor(result.bboxes)], 1)
        if boxes.shape[1] == 5:  # mmrotate's coders clip box centres to the image to predict
            size = batch['data_samples'][i].img_shape
            ours, theirs = (_centred_inside(t, size) for t in (ours, theirs))
            assert ours.shape[0] > 0.8 * per_image * classes  # most priors are compared
        assert ours.shape == theirs.shape
        torch.testing.assert_close(_sorted_rows(ours), _sorted_rows(theirs), rtol=1e-5,
                                   atol=1e-3)


def _centred_inside(table, size, margin=1.):
    """The rows of rotated boxes whose centre lies more than ``margin`` px inside the image."""
    x, y = table[:, 2], table[:, 3]
    inside = (x > margin) & (x < size[1] - margin) & (y > margin) & (y < size[0] - margin)
    return table[inside]


def _sorted_rows(table):
    """Rows in lexicographic order of (label, box to 0.1 px): one order for both tables (the
    scores of near-equal priors differ in the last bit between the two computations, so they
    cannot order the rows; boxes of different priors are pixels apart)."""
    keys = torch.cat([table[:, 1:2], (table[:, 2:] * 10).round()], 1)
    order = np.lexsort(keys.numpy().T[::-1])
    return table[torch.from_numpy(order)]


def test_step_counts_the_heads_positives_and_weights_every_prior(detector):
    cfg, model, batch = detector
    _, adapter = build_head_adapter(model, model)
    feats = _student_loss_then_features(model, adapter, batch)
    step = adapter.step(feats, batch['data_samples'])
    priors = sum(f.shape[-2] * f.shape[-1] for f in feats) * model.bbox_head.num_base_priors
    assert step.priors.shape[0] == step.weights.shape[0] == priors * len(batch['inputs'])
    assert step.avg_factor >= 1  # the embedded images have boxes the assigner accepts
    assert bool((step.weights >= 0).all()) and step.weights.sum() > 0
    strides = model.bbox_head.prior_generator.strides
    assert set(step.strides.unique().tolist()) == {float(s[0]) for s in strides}


def test_anchor_step_is_the_heads_own_assignment_computed_once(detector):
    """Anchor families: the step's priors, label weights and positives are those of mmdet's
    ``get_anchors`` and ``get_targets`` called on their own, and the head assigns once per
    step (in its loss; the step reuses that assignment)."""
    _, model, batch = detector
    head = model.bbox_head
    _, adapter = build_head_adapter(model, model)
    if not isinstance(adapter, AnchorDeltaAdapter):
        pytest.skip('a point head: FCOS assigns in its step, RTMDet by its own predictions')
    calls = []
    original = head.get_targets
    head.get_targets = lambda *args, **kwargs: calls.append(1) or original(*args, **kwargs)
    try:
        feats = _student_loss_then_features(model, adapter, batch)
        step = adapter.step(feats, batch['data_samples'])
    finally:
        del head.get_targets
    assert len(calls) == 1

    samples = batch['data_samples']
    metas = [s.metainfo for s in samples]
    anchors, valid = head.get_anchors([f.shape[-2:] for f in feats], metas, device='cpu')
    expected_priors = torch.cat([get_box_tensor(cat_boxes(a)) for a in anchors])
    targets = head.get_targets(anchors, valid, [s.gt_instances for s in samples], metas)
    label_weights, avg_factor = targets[-4], targets[-1]
    torch.testing.assert_close(step.priors, expected_priors, rtol=0, atol=0)
    torch.testing.assert_close(step.weights, torch.cat(label_weights, 1).reshape(-1).float(),
                               rtol=0, atol=0)
    assert step.avg_factor == float(avg_factor)
