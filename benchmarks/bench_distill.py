"""Train-step time and peak memory of distillation algorithms on one pair, side by side.

Our method vs its mmrazor baseline (SSTKD vs CWD, DS2D2 vs PKD) vs the student trained alone,
on the same teacher/student pair, the same fixed random batch and the same device, in one run.
Models are built from their configs with random weights (the teacher checkpoint does not
change the cost). Step time: the median over ``--steps`` timed train steps after
``--warmup`` untimed ones, the cases interleaved step by step so that drift in machine load
hits them equally. FLOPs: one step of each case, counted by
``torch.utils.flop_counter`` (convolutions and matrix products, forward and backward), the
ratio a device bound by arithmetic would see. Peak memory: the training step's peak
above the memory held once the case is built (activations, gradients, optimizer states); CUDA:
``max_memory_allocated``; CPU: the peak resident set of a child process that runs that case
alone. Ratios are printed against the baseline.

Pairs:
    small       the embedded texture-segmentation pair (PSPNet R18 width 32 -> 16), batch 8 at
                64x64: configs/sstkd/sstkd_pspnet_r18w32_pspnet_r18w4_1xb8-1k_texseg-64x64.py
                vs configs/baselines/cwd_logits_pspnet_r18w32_pspnet_r18w4_texseg.py
    densedet    the embedded dense-detection pair (RetinaNet R18 width 32 -> 8, FPN 32 channels),
                batch 4 at 128x128 with 24 random boxes per image:
                configs/ds2d2/ds2d2_retinanet_r18w32_retinanet_r18w8_1xb4-1k_densedet-128x128.py
                vs configs/baselines/pkd_fpn_retinanet_r18w32_retinanet_r18w8_densedet.py
    dior        DS2D2's DIOR pair, RetinaNet R101-FPN -> R18-FPN (256-channel FPN and head),
                batch 2 at 800x800 (the official 2 images per GPU; 24 boxes per image):
                configs/ds2d2/ds2d2_retinanet_r101_retinanet_r18_fpn_2x_dior.py
                vs configs/baselines/pkd_fpn_retinanet_r101_retinanet_r18_fpn_2x_dior.py
    densedet-{atss,gfl,fcos,rtmdet,faster-rcnn,cascade-rcnn}, rotdet-{retinanet,fcos,rtmdet,
    oriented-rcnn}
                the same for every head family's embedded pair (configs/ds2d2/ds2d2_*; PKD: the
                RetinaNet or rotated RetinaNet pair's PKD config with the family's detectors)
    swin        SFKD's heterogeneous ImageNet pair, Swin-T -> ResNet-18, batch 32 at 224x224:
                configs/sfkd/sfkd_swin-tiny_resnet18_8xb32_in1k.py and its light refiner vs
                the same config with the feature terms replaced by mmrazor's L2Loss
    cityscapes  PSPNet R101-d8 -> R18-d8, batch 2 at 512x1024 (a GPU job):
                configs/sstkd/sstkd_pspnet_r101-d8_pspnet_r18-d8_4xb2-80k_cityscapes-512x1024.py
                vs mmrazor's cwd_logits_pspnet_r101-d8_pspnet_r18-d8_4xb2-80k_cityscapes-512x1024.py

``--ablate`` adds our method with one term switched off at a time (a distiller loss, SSTKD's
``model.adversarial`` or a DS2D2 amplifier set to None, as the ablation configs do), to see what
each term costs.

``--size H W`` and ``--batch N`` override the pair's input; a config whose data preprocessor
pads to a fixed size still computes at that size (the Cityscapes configs pad to 512x1024, so
``--pair cityscapes --device cpu`` measures the 512x1024 protocol on a CPU, about 15 minutes).

Usage:
    .venv/bin/python benchmarks/bench_distill.py [--pair small] [--device cpu] [--steps 20]
        [--size H W] [--batch N] [--ablate]
"""
import argparse
import copy
import json
import os.path as osp
import statistics
import subprocess
import sys
import time

import mmfreqkd  # noqa: F401  isort: skip  (compatibility layer first)
import torch
from mmengine.config import Config
from mmengine.model import revert_sync_batchnorm
from mmengine.optim import build_optim_wrapper
from mmengine.registry import MODELS, init_default_scope

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def _mmrazor_config(rel):
    import mmrazor
    return osp.join(osp.dirname(mmrazor.__file__), '.mim', 'configs', rel)


_SFKD_SWIN = 'configs/sfkd/sfkd_swin-tiny_resnet18_8xb32_in1k.py'
#: SFKD's feature terms replaced by mmrazor's L2Loss on the same aligned map (the feature-MSE
#: baseline of configs/sfkd/ablations/feat-mse_*.py)
_FEATURE_MSE = {
    'model.distiller.distill_losses.loss_wav': None,
    'model.distiller.distill_losses.loss_gffl': None,
    'model.distiller.distill_losses.loss_mse': dict(type='L2Loss', loss_weight=1.0),
    'model.distiller.loss_forward_mappings.loss_mse': dict(
        s_feature=dict(from_student=True, recorder='feat', connector='align'),
        t_feature=dict(from_student=False, recorder='feat', connector='tokens')),
}

PAIRS = {
    'small': dict(
        size=(64, 64), batch=8, baseline='cwd', cases=dict(
            sstkd='configs/sstkd/sstkd_pspnet_r18w32_pspnet_r18w4_1xb8-1k_texseg-64x64.py',
            cwd='configs/baselines/cwd_logits_pspnet_r18w32_pspnet_r18w4_texseg.py',
            student='configs/embedded/pspnet_r18w4-d8_1xb8-1k_texseg-64x64.py')),
    'densedet': dict(
        size=(128, 128), batch=4, baseline='pkd', cases=dict(
            ds2d2='configs/ds2d2/ds2d2_retinanet_r18w32_retinanet_r18w8_1xb4-1k_densedet-'
            '128x128.py',
            pkd='configs/baselines/pkd_fpn_retinanet_r18w32_retinanet_r18w8_densedet.py',
            student='configs/embedded/retinanet_r18w8_fpn_1xb4-1k_densedet-128x128.py')),
    'dior': dict(
        size=(800, 800), batch=2, baseline='pkd', cases=dict(
            ds2d2='configs/ds2d2/ds2d2_retinanet_r101_retinanet_r18_fpn_2x_dior.py',
            pkd='configs/baselines/pkd_fpn_retinanet_r101_retinanet_r18_fpn_2x_dior.py',
            student='configs/ds2d2/detectors/retinanet_r18_fpn_2x_dior.py')),
    'cityscapes': dict(
        size=(512, 1024), batch=2, baseline='cwd', cases=dict(
            sstkd='configs/sstkd/sstkd_pspnet_r101-d8_pspnet_r18-d8_4xb2-80k_cityscapes-'
            '512x1024.py',
            cwd=_mmrazor_config('distill/mmseg/cwd/cwd_logits_pspnet_r101-d8_pspnet_r18-d8_'
                                '4xb2-80k_cityscapes-512x1024.py'),
            student='mmseg::pspnet/pspnet_r18-d8_4xb2-80k_cityscapes-512x1024.py')),
    'swin': dict(
        size=(224, 224), batch=32, baseline='mse', cases=dict(
            sfkd=_SFKD_SWIN,
            **{'sfkd-light': (_SFKD_SWIN, {'model.distiller.connectors.ds2s.light': True})},
            mse=(_SFKD_SWIN, _FEATURE_MSE),
            student='mmpretrain::resnet/resnet18_8xb32_in1k.py')),
}


def _family_pair(ds2d2, pkd, student, teacher, size=(128, 128)):
    """DS2D2 vs mmrazor's PKD (an embedded PKD config with the family's detectors) vs the
    student, for one head family's embedded pair (configs relative to the repository)."""
    student, teacher = (osp.join(ROOT, 'configs', 'embedded', c) for c in (student, teacher))
    return dict(size=size, batch=4, baseline='pkd', cases=dict(
        ds2d2=f'configs/ds2d2/{ds2d2}',
        pkd=(f'configs/baselines/{pkd}',
             {'model.architecture.cfg_path': student, 'model.teacher.cfg_path': teacher}),
        student=student))


_DENSE_PKD = 'pkd_fpn_retinanet_r18w32_retinanet_r18w8_densedet.py'
_ROTATED_PKD = 'pkd_fpn_rotated-retinanet-rbox-le90_r18w32_r18w16_rotdet.py'
PAIRS.update({
    **{f'densedet-{family}': _family_pair(
        f'ds2d2_{family}_r18w32_{family}_r18w8_1xb4-1k_densedet-128x128.py', _DENSE_PKD,
        f'{family}_r18w8_fpn_1xb4-1k_densedet-128x128.py',
        f'{family}_r18w32_fpn_1xb4-1k_densedet-128x128.py')
       for family in ('atss', 'gfl', 'fcos', 'rtmdet')},
    **{f'densedet-{family}': _family_pair(
        f'ds2d2_{family}_r18w32_{family}_r18w16_1xb4-1k_densedet-128x128.py', _DENSE_PKD,
        f'{family}_r18w16_fpn_1xb4-1k_densedet-128x128.py',
        f'{family}_r18w32_fpn_1xb4-1k_densedet-128x128.py')
       for family in ('faster-rcnn', 'cascade-rcnn')},
    'rotdet-retinanet': _family_pair(
        'ds2d2_rotated-retinanet-rbox-le90_r18w32_r18w16_1xb4-1k_rotdet-128x128.py', _ROTATED_PKD,
        'rotated-retinanet-rbox-le90_r18w16_fpn_1xb4-1k_rotdet-128x128.py',
        'rotated-retinanet-rbox-le90_r18w32_fpn_1xb4-1k_rotdet-128x128.py'),
    **{f'rotdet-{family}': _family_pair(
        f'ds2d2_rotated-{family}-le90_r18w32_r18w16_1xb4-1k_rotdet-128x128.py', _ROTATED_PKD,
        f'rotated-{family}-le90_r18w16_fpn_1xb4-1k_rotdet-128x128.py',
        f'rotated-{family}-le90_r18w32_fpn_1xb4-1k_rotdet-128x128.py')
       for family in ('fcos', 'rtmdet')},
    'rotdet-oriented-rcnn': _family_pair(
        'ds2d2_oriented-rcnn-le90_r18w32_r18w16_1xb4-1k_rotdet-128x128.py', _ROTATED_PKD,
        'oriented-rcnn-le90_r18w16_fpn_1xb4-1k_rotdet-128x128.py',
        'oriented-rcnn-le90_r18w32_fpn_1xb4-1k_rotdet-128x128.py'),
})

#: ``--ablate``: our method's case with one term off, as ``--cfg-options``-style overrides.
ABLATIONS = {
    'sstkd': {
        'sstkd-adv': {'model.adversarial': None},
        'sstkd-str': {'model.distiller.distill_losses.loss_str': None},
        'sstkd-sta': {'model.distiller.distill_losses.loss_sta': None},
        'sstkd-kd': {'model.distiller.distill_losses.loss_kd': None},
    },
    'ds2d2': {
        'ds2d2-expl': {'model.distiller.distill_losses.loss_low': None,
                       'model.distiller.distill_losses.loss_high': None},
        'ds2d2-full': {'model.full_amplifier': None},
        'ds2d2-high': {'model.high_amplifier': None},
    },
}


def _config(path):
    if isinstance(path, (list, tuple)):  # (config path, overrides)
        cfg = _config(path[0])
        cfg.merge_from_dict(path[1])
        return cfg
    if '::' in path:
        from mmfreqkd.models import load_model_config
        return load_model_config(path)
    return Config.fromfile(path if osp.isabs(path) else osp.join(ROOT, path))


def build_case(path, pair, device):
    """(model, optim wrapper, raw batch) of one case, on ``device``; ``path`` is a config or
    a (config, overrides) pair."""
    cfg = _config(path)
    if 'teacher_ckpt' in cfg.model:
        cfg.model.teacher_ckpt = None
    distills = 'teacher_ckpt' in cfg.model or 'teachers' in cfg.model
    if distills and cfg.model.type.startswith('mmfreqkd.'):  # mmrazor's have no such switch
        cfg.model.allow_random_teacher = True
    if cfg.model.get('high_amplifier'):
        cfg.model.high_amplifier.checkpoint = None  # random weights cost the same
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    model = revert_sync_batchnorm(MODELS.build(copy.deepcopy(cfg.model))).to(device)
    model.train()
    optim_wrapper = build_optim_wrapper(model, copy.deepcopy(cfg.optim_wrapper))
    student = getattr(model, 'student', model)
    if hasattr(student, 'decode_head'):
        return model, optim_wrapper, _seg_batch(pair, student.decode_head.num_classes)
    head = getattr(student, 'bbox_head', None) or getattr(student, 'roi_head', None)
    if head is None:
        return model, optim_wrapper, _cls_batch(pair, student.head.num_classes)
    box_head = getattr(head, 'bbox_head', head)  # RoI heads hold theirs (one per stage)
    box_head = box_head[-1] if isinstance(box_head, torch.nn.ModuleList) else box_head
    return model, optim_wrapper, _det_batch(pair, box_head.num_classes,
                                            rotated=cfg.get('default_scope') == 'mmrotate')


def _det_batch(pair, num_classes, boxes_per_image=24, rotated=False):
    from mmdet.structures import DetDataSample
    from mmengine.structures import InstanceData
    gen = torch.Generator().manual_seed(0)
    h, w = pair['size']
    samples, inputs = [], []
    for _ in range(pair['batch']):
        sample = DetDataSample(metainfo=dict(img_shape=(h, w), ori_shape=(h, w),
                                             scale_factor=(1., 1.)))
        scale = min(h, w) / 128  # 6-16 px boxes at 128x128, in proportion elsewhere
        xy = torch.rand(boxes_per_image, 2, generator=gen) * (torch.tensor([w, h]) - 16 * scale)
        size = (6 + torch.rand(boxes_per_image, 2, generator=gen) * 10) * scale
        boxes = torch.cat([xy, xy + size], 1)
        if rotated:  # (cx, cy, w, h, angle), mmrotate's box type
            from mmrotate.structures.bbox import RotatedBoxes
            angle = (torch.rand(boxes_per_image, 1, generator=gen) - 0.5) * torch.pi
            boxes = RotatedBoxes(torch.cat([xy + size / 2, size, angle], 1))
        sample.gt_instances = InstanceData(
            bboxes=boxes,
            labels=torch.randint(0, num_classes, (boxes_per_image, ), generator=gen))
        samples.append(sample)
        inputs.append(torch.randint(0, 255, (3, h, w), dtype=torch.uint8, generator=gen))
    return dict(inputs=inputs, data_samples=samples)


def _seg_batch(pair, num_classes):
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample
    gen = torch.Generator().manual_seed(0)
    h, w = pair['size']
    samples, inputs = [], []
    for _ in range(pair['batch']):
        sample = SegDataSample(metainfo=dict(img_shape=(h, w), ori_shape=(h, w)))
        sample.gt_sem_seg = PixelData(data=torch.randint(0, num_classes, (1, h, w),
                                                         generator=gen))
        samples.append(sample)
        inputs.append(torch.randint(0, 255, (3, h, w), dtype=torch.uint8, generator=gen))
    return dict(inputs=inputs, data_samples=samples)


def _cls_batch(pair, num_classes):
    from mmpretrain.structures import DataSample
    gen = torch.Generator().manual_seed(0)
    h, w = pair['size']
    labels = torch.randint(0, num_classes, (pair['batch'], ), generator=gen)
    return dict(inputs=[torch.randint(0, 255, (3, h, w), dtype=torch.uint8, generator=gen)
                        for _ in labels],
                data_samples=[DataSample().set_gt_label(int(y)) for y in labels])


def _sync(device):
    if device == 'cuda':
        torch.cuda.synchronize()


def time_cases(built, device, warmup, steps):
    """Median step seconds of each case, the cases interleaved step by step."""
    times = {name: [] for name in built}
    for i in range(warmup + steps):
        for name, (model, optim_wrapper, batch) in built.items():
            _sync(device)
            start = time.perf_counter()
            model.train_step(batch, optim_wrapper)
            _sync(device)
            if i >= warmup:
                times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def cuda_peak(built, name, steps):
    model, optim_wrapper, batch = built[name]
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    base = torch.cuda.memory_allocated()
    for _ in range(steps):
        model.train_step(batch, optim_wrapper)
    torch.cuda.synchronize()
    return torch.cuda.max_memory_allocated() - base


def step_flops(built):
    """Floating-point operations of one train step of each case (forward and backward
    convolutions and matrix products, counted by ``torch.utils.flop_counter``): the compute
    ratio, independent of how fast the device runs each kind of layer."""
    from torch.utils.flop_counter import FlopCounterMode
    flops = {}
    for name, (model, optim_wrapper, batch) in built.items():
        with FlopCounterMode(display=False) as counter:
            model.train_step(batch, optim_wrapper)
        flops[name] = counter.get_total_flops()
    return flops


def _status_kib(field):
    with open('/proc/self/status') as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ':'))


def child(pair, case, steps):
    """Run one case alone on the CPU; print its training peak RSS above the built state."""
    model, optim_wrapper, batch = build_case(pair['cases'][case], pair, 'cpu')
    model.train_step(batch, optim_wrapper)  # first step: lazily created optimizer states
    with open('/proc/self/clear_refs', 'w') as f:
        f.write('5')  # reset the peak resident size (VmHWM) to the current one
    base = _status_kib('VmRSS')
    for _ in range(steps):
        model.train_step(batch, optim_wrapper)
    print(json.dumps((_status_kib('VmHWM') - base) * 1024))


def cpu_peak(pair, case, steps):
    out = subprocess.run([sys.executable, __file__, '--child', json.dumps(pair), case,
                          str(steps)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--pair', choices=sorted(PAIRS), default='small')
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--steps', type=int, default=20)
    parser.add_argument('--warmup', type=int, default=3)
    parser.add_argument('--size', type=int, nargs=2, metavar=('H', 'W'))
    parser.add_argument('--batch', type=int)
    parser.add_argument('--ablate', action='store_true',
                        help='add SSTKD with each term switched off in turn')
    parser.add_argument('--child', nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(json.loads(args.child[0]), args.child[1], int(args.child[2]))

    pair = dict(PAIRS[args.pair])
    if args.ablate:
        method = next(m for m in ABLATIONS if m in pair['cases'])
        pair['cases'] = dict(pair['cases'], **{
            name: (pair['cases'][method], overrides)
            for name, overrides in ABLATIONS[method].items()})
    if args.size:
        pair['size'] = tuple(args.size)
    if args.batch:
        pair['batch'] = args.batch
    torch.manual_seed(0)
    built = {name: build_case(path, pair, args.device) for name, path in pair['cases'].items()}
    seconds = time_cases(built, args.device, args.warmup, args.steps)
    device = torch.cuda.get_device_name() if args.device == 'cuda' else \
        f'CPU, {torch.get_num_threads()} threads'
    print(f'pair {args.pair} (batch {pair["batch"]} at {pair["size"][0]}x{pair["size"][1]}), '
          f'{device}, torch {torch.__version__}, median of {args.steps} steps')
    base = pair['baseline']
    print(f'{"case":10s} {"step ms":>9s} {"vs " + base.upper():>7s}', flush=True)
    for name in built:
        print(f'{name:10s} {seconds[name] * 1e3:9.1f} {seconds[name] / seconds[base]:6.2f}x',
              flush=True)
    flops = step_flops(built)
    print(f'{"case":10s} {"TFLOP":>9s} {"vs " + base.upper():>7s}  (one step, counted)')
    for name in built:
        print(f'{name:10s} {flops[name] / 1e12:9.3f} {flops[name] / flops[base]:6.2f}x',
              flush=True)
    peaks = {name: cuda_peak(built, name, 3) if args.device == 'cuda' else
             cpu_peak(pair, name, 3) for name in built}
    print(f'{"case":10s} {"peak MiB":>9s} {"vs " + base.upper():>7s}')
    for name in built:
        print(f'{name:10s} {peaks[name] / 2**20:9.0f} {peaks[name] / max(peaks[base], 1):6.2f}x')


if __name__ == '__main__':
    main()
