"""The embedded sets: deterministic, idempotent, and read by the stock dataset classes/metrics."""
import filecmp
import glob
import os
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
import torch

from mmfreqkd.datasets import (DEGRADATIONS, DENSEDET_CLASSES, EMBEDDED_SETS, ROTDET_CLASSES,
                               TEXCLS_CLASSES, TEXSEG_CLASSES, DataFolderError, prepare)


def _small(name, root, seed=0):
    return prepare(name, str(root), n_train=4, n_val=2, seed=seed, n_test=2,
                   n_pretrain=6 if EMBEDDED_SETS[name].n_pretrain else None)


def _same_tree(a, b):
    cmp = filecmp.dircmp(a, b)
    if cmp.left_only or cmp.right_only or cmp.diff_files or cmp.funny_files:
        return False
    return all(_same_tree(osp.join(a, d), osp.join(b, d)) for d in cmp.common_dirs)


@pytest.mark.parametrize('name', ['texseg', 'densedet', 'rotdet', 'restore', 'texcls'])
def test_generation_is_deterministic_and_seeded(tmp_path, name):
    a, b = _small(name, tmp_path / 'a'), _small(name, tmp_path / 'b')
    assert _same_tree(a, b)
    c = _small(name, tmp_path / 'c', seed=1)
    assert not _same_tree(a, c)


def test_prepare_is_idempotent(tmp_path):
    folder = _small('texseg', tmp_path)
    probe = osp.join(folder, 'img_dir', 'train', '00000.png')
    mtime = os.stat(probe).st_mtime_ns
    assert _small('texseg', tmp_path) == folder
    assert os.stat(probe).st_mtime_ns == mtime
    prepare('texseg', str(tmp_path), n_train=5, n_val=2, replace=True)  # asked: regenerated
    assert len(os.listdir(osp.join(folder, 'img_dir', 'train'))) == 5


def test_a_folder_not_generated_here_is_never_touched(tmp_path):
    """Issue row: ``MMFREQKD_DATA=U`` with a folder of the user's own in ``U/restore``."""
    own = tmp_path / 'restore' / 'my_rain13k'
    own.mkdir(parents=True)
    (own / 'keep.png').write_bytes(b'user data')
    with pytest.raises(DataFolderError, match=r'restore exists but is not a set that mmfreqkd '
                       r'generated.*MMFREQKD_DATA'):
        prepare('restore', str(tmp_path), n_train=2, n_val=1)
    assert (own / 'keep.png').read_bytes() == b'user data'
    assert sorted(os.listdir(tmp_path / 'restore')) == ['my_rain13k']
    with pytest.raises(DataFolderError):  # not even when asked to replace a set
        prepare('restore', str(tmp_path), n_train=2, n_val=1, replace=True)
    assert (own / 'keep.png').read_bytes() == b'user data'


def test_a_set_with_other_options_is_replaced_only_when_asked_and_moved_aside(tmp_path):
    """Issue row: a set generated with ``--seed 5`` was silently replaced by seed 0."""
    seeded = _small('texseg', tmp_path, seed=5)
    before = {p: open(p, 'rb').read()
              for p in glob.glob(osp.join(seeded, '**', '*.png'), recursive=True)}
    with pytest.raises(DataFolderError, match=r"seed=5 \(needed: 0\).*--replace"):
        _small('texseg', tmp_path, seed=0)
    assert all(open(p, 'rb').read() == data for p, data in before.items())
    assert _small('texseg', tmp_path, seed=5) == seeded  # its own options: reused as it is

    prepare('texseg', str(tmp_path), n_train=4, n_val=2, n_test=2, seed=0, replace=True)
    aside = glob.glob(osp.join(str(tmp_path), 'texseg.replaced-*'))
    assert len(aside) == 1 and _same_tree(aside[0], _small('texseg', tmp_path / 'ref', seed=5))
    assert _same_tree(seeded, _small('texseg', tmp_path / 'ref0', seed=0))
    assert not glob.glob(osp.join(str(tmp_path), '.texseg.*.partial'))


_GENERATE = ('import sys; from mmfreqkd.datasets import prepare; '
             'prepare("restore", sys.argv[1], n_train=40, n_val=10)')


def test_concurrent_generation_has_one_writer(tmp_path):
    """Issue row: ``dist_train.sh CONFIG 2`` on an empty ``MMFREQKD_DATA`` (both ranks
    generated at once: ``Directory not empty``): four processes, one set, as one writer's."""
    root = tmp_path / 'shared'
    procs = [subprocess.Popen([sys.executable, '-c', _GENERATE, str(root)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
             for _ in range(4)]
    outputs = [p.communicate(timeout=600)[0].decode() for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, outputs
    assert sorted(os.listdir(root)) == ['.restore.lock', 'restore']
    reference = prepare('restore', str(tmp_path / 'ref'), n_train=40, n_val=10)
    assert _same_tree(osp.join(root, 'restore'), reference)


def test_texseg_reads_with_stock_base_seg_dataset(tmp_path):
    from mmseg.datasets import BaseSegDataset
    from mmseg.utils import register_all_modules
    register_all_modules()
    root = _small('texseg', tmp_path)
    ds = BaseSegDataset(
        data_root=root, data_prefix=dict(img_path='img_dir/train', seg_map_path='ann_dir/train'),
        img_suffix='.png', seg_map_suffix='.png', metainfo=dict(classes=TEXSEG_CLASSES),
        pipeline=[dict(type='LoadImageFromFile'), dict(type='LoadAnnotations'),
                  dict(type='PackSegInputs')])
    assert len(ds) == 4
    sample = ds[0]
    labels = sample['data_samples'].gt_sem_seg.data
    assert sample['inputs'].shape == (3, 64, 64)
    assert labels.min() >= 0 and labels.max() < len(TEXSEG_CLASSES)
    assert len(labels.unique()) >= 2  # several regions


def test_texseg_classes_differ_by_texture_not_intensity(tmp_path):
    """Per-class mean intensities are close; per-class spectra are not (the point of the set)."""
    import cv2
    root = prepare('texseg', str(tmp_path), n_train=30, n_val=1)
    means = {c: [] for c in range(len(TEXSEG_CLASSES))}
    for i in range(30):
        img = cv2.imread(osp.join(root, 'img_dir', 'train', f'{i:05d}.png'), 0).astype(float)
        lab = cv2.imread(osp.join(root, 'ann_dir', 'train', f'{i:05d}.png'), 0)
        for c in means:
            if (lab == c).sum() > 50:
                means[c].append(img[lab == c].mean())
    class_means = [np.mean(v) for v in means.values()]
    assert max(class_means) - min(class_means) < 12  # out of 255


def test_densedet_is_valid_coco_and_stock_metric_scores_ground_truth_perfectly(tmp_path):
    from mmdet.datasets import CocoDataset
    from mmdet.evaluation import CocoMetric
    from pycocotools.coco import COCO
    root = _small('densedet', tmp_path)
    ann = osp.join(root, 'annotations', 'val.json')
    coco = COCO(ann)
    assert [c['name'] for c in coco.loadCats(coco.getCatIds())] == list(DENSEDET_CLASSES)
    sizes = [a['bbox'][2:] for a in coco.dataset['annotations']]
    assert len(sizes) / len(coco.getImgIds()) >= 10 and max(max(s) for s in sizes) <= 17

    ds = CocoDataset(data_root=root, ann_file='annotations/val.json',
                     data_prefix=dict(img='val/'), metainfo=dict(classes=DENSEDET_CLASSES),
                     test_mode=True, pipeline=[])
    assert len(ds) == 2
    metric = CocoMetric(ann_file=ann, metric='bbox')
    metric.dataset_meta = dict(classes=DENSEDET_CLASSES)
    for info in map(ds.get_data_info, range(len(ds))):  # ground truth, as predictions
        boxes = torch.tensor([i['bbox'] for i in info['instances']], dtype=torch.float32)
        labels = torch.tensor([i['bbox_label'] for i in info['instances']])
        metric.process({}, [dict(img_id=info['img_id'], ori_shape=(128, 128),
                                 pred_instances=dict(bboxes=boxes, labels=labels,
                                                     scores=torch.ones(len(labels))))])
    assert metric.evaluate(len(ds))['coco/bbox_mAP'] == pytest.approx(1.0)


def test_rotdet_reads_with_stock_dota_dataset_and_metric(tmp_path):
    from mmrotate.datasets import DOTADataset
    from mmrotate.evaluation import DOTAMetric
    from mmrotate.structures.bbox import qbox2rbox
    from mmrotate.utils import register_all_modules
    register_all_modules()
    root = _small('rotdet', tmp_path)
    ds = DOTADataset(data_root=root, ann_file='val/annfiles/', data_prefix=dict(
        img_path='val/images/'), metainfo=dict(classes=ROTDET_CLASSES), test_mode=True,
                     pipeline=[])
    assert len(ds) == 2
    metric = DOTAMetric(metric='mAP')
    metric.dataset_meta = dict(classes=ROTDET_CLASSES)
    for info in map(ds.get_data_info, range(len(ds))):
        qboxes = torch.tensor([i['bbox'] for i in info['instances']], dtype=torch.float32)
        labels = torch.tensor([i['bbox_label'] for i in info['instances']])
        rboxes = qbox2rbox(qboxes)
        gt = dict(bboxes=rboxes, labels=labels)
        metric.process({}, [dict(img_id=info['img_id'], gt_instances=gt, ignored_instances=dict(
            bboxes=torch.zeros(0, 5), labels=torch.zeros(0, dtype=torch.long)),
            pred_instances=dict(bboxes=rboxes, labels=labels, scores=torch.ones(len(labels))))])
    assert metric.evaluate(len(ds))['dota/mAP'] == pytest.approx(1.0)


def test_restore_pairs_share_names_and_differ_from_clean(tmp_path):
    """Every degraded folder pairs with clean/ by name; val and test crops come from the part
    of each photograph that train crops never touch, val from its top half, test from its
    bottom half."""
    import cv2
    root = _small('restore', tmp_path)
    names = sorted(os.listdir(osp.join(root, 'train', 'clean')))
    assert len(names) == 4
    for kind in DEGRADATIONS:
        assert sorted(os.listdir(osp.join(root, 'train', kind))) == names
        clean = cv2.imread(osp.join(root, 'train', 'clean', names[0])).astype(float)
        degraded = cv2.imread(osp.join(root, 'train', kind, names[0])).astype(float)
        assert clean.shape == degraded.shape and np.abs(clean - degraded).mean() > 1.0
    from skimage import data

    from mmfreqkd.datasets.generators import RESTORE_PHOTOS, RESTORE_TRAIN_SHARE
    for split in ('train', 'val', 'test'):
        for i, name in enumerate(sorted(os.listdir(osp.join(root, split, 'clean')))):
            crop = cv2.imread(osp.join(root, split, 'clean', name))[..., ::-1]
            photo = np.ascontiguousarray(getattr(data, RESTORE_PHOTOS[i % 5])()[..., :3])
            # exact location of the crop (or of its mirror image) in its photograph
            x, y = min((cv2.minMaxLoc(cv2.matchTemplate(photo, np.ascontiguousarray(c),
                                                        cv2.TM_SQDIFF))[:3:2]
                        for c in (crop, crop[:, ::-1])), key=lambda m: m[0])[1]
            cut = int(RESTORE_TRAIN_SHARE * photo.shape[1])
            half = photo.shape[0] // 2
            assert (x + crop.shape[1] <= cut) if split == 'train' else (x >= cut)
            if split != 'train':
                assert (y + crop.shape[0] <= half) if split == 'val' else (y >= half)


def test_texcls_reads_with_stock_custom_dataset_and_the_accuracy_metric(tmp_path):
    """mmpretrain's CustomDataset finds the 15 classes from the folders, in TEXCLS_CLASSES'
    order, balanced; its Accuracy metric scores the ground truth as 100 %."""
    from mmengine.registry import DefaultScope
    from mmpretrain.datasets import CustomDataset
    from mmpretrain.evaluation import Accuracy
    root = prepare('texcls', str(tmp_path), n_train=30, n_val=15, n_pretrain=45)
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        ds, pretrain = (CustomDataset(data_root=root, data_prefix=split, pipeline=[
            dict(type='LoadImageFromFile'), dict(type='PackInputs')])
            for split in ('train', 'pretrain'))
    assert ds.CLASSES == tuple(sorted(TEXCLS_CLASSES)) and len(ds) == 30
    # the teacher's split: other images of the same classes
    assert pretrain.CLASSES == ds.CLASSES and len(pretrain) == 45
    assert not np.array_equal(pretrain[0]['inputs'].numpy(), ds[0]['inputs'].numpy())
    labels = [ds.get_data_info(i)['gt_label'] for i in range(len(ds))]
    assert np.bincount(labels).tolist() == [2] * 15
    sample = ds[0]
    assert sample['inputs'].shape == (3, 32, 32)
    metric = Accuracy(topk=1)
    onehot = torch.nn.functional.one_hot(torch.tensor(labels), 15).float()
    metric.process(None, [dict(pred_score=p, gt_label=torch.tensor([g]))
                          for p, g in zip(onehot, labels)])
    assert metric.compute_metrics(metric.results)['top1'] == 100.0


@pytest.mark.parametrize('name', sorted(EMBEDDED_SETS))
def test_every_set_has_a_test_split_of_other_images(tmp_path, name):
    """Train, val and test of each set: the same number of files in val and test (2 images
    each), and no test file equal to a val or train file."""
    import hashlib
    root = _small(name, tmp_path)

    def digests(split):
        files = [p for p in glob.glob(osp.join(root, '**', split, '**', '*'), recursive=True)
                 + glob.glob(osp.join(root, split, '**', '*'), recursive=True)
                 if osp.isfile(p) and p.endswith('.png')]
        return {hashlib.sha256(open(p, 'rb').read()).hexdigest() for p in files}

    val, test, train = digests('val'), digests('test'), digests('train')
    assert test and len(test) == len(val)
    assert not test & val and not test & train


def test_a_set_generated_before_the_test_split_is_ours_and_replaced_when_asked(tmp_path):
    """A manifest written before sets had a test split (no ``n_test``) still marks the folder
    as ours: the error asks for ``--replace`` instead of calling the folder foreign."""
    import json
    folder = _small('texseg', tmp_path)
    manifest = osp.join(folder, 'manifest.json')
    with open(manifest) as f:
        old = json.load(f)
    old.pop('n_test')
    old['version'] -= 1
    with open(manifest, 'w') as f:
        json.dump(old, f)
    with pytest.raises(DataFolderError, match=r'generated with other parameters: n_test=None'):
        _small('texseg', tmp_path)
    prepare('texseg', str(tmp_path), n_train=4, n_val=2, n_test=2, replace=True)
    assert osp.isdir(osp.join(folder, 'img_dir', 'test'))
