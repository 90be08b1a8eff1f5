"""Which frequencies a segmentation model's cross-entropy lives in (Parseval), over a data split.

Runs a stock mmseg model, or the student of any distillation config, over the ``val`` (or
``test``) split and writes ``spectral_report.json`` and PNG plots: the per-ring contributions to
the cross-entropy, their cumulative fraction and the cut-off frequencies holding 90/95/99 % of
it, the radial spectra of the label maps and of chosen features (``--features``, module names
such as ``decode_head.bottleneck``). Prints the Parseval self-check: the contributions of every
image must add up to its plain cross-entropy (exit status 1 otherwise).

``--grid label`` (default) compares the model's logits, resized to the annotation like mmseg's
prediction, with the annotation; ``--grid logits`` compares the raw logits with the annotation
nearest-resized to the logit grid.

Usage:
    python tools/analysis/spectral_ce.py CONFIG CHECKPOINT [--split val] [--max-images N]
        [--features NAME ...] [--grid label|logits] [--out-dir DIR] [--bin-width W]
        [--trust-checkpoint] [--device cpu] [--cfg-options k=v ...]

A checkpoint inside the config's work_dir loads as trusted; any other file loads weights-only
unless --trust-checkpoint is given. Frequencies are in cycles per pixel of the chosen grid.
"""
import argparse
import os
import os.path as osp
import sys

import mmfreqkd  # noqa: F401  isort: skip  (compatibility layer and registries first)
import torch
import torch.nn.functional as F
from mmengine.config import Config, DictAction
from mmengine.registry import MODELS, init_default_scope
from mmengine.runner import Runner
from mmengine.utils import ProgressBar

from mmfreqkd.analysis import SpectralReport
from mmfreqkd.checkpoint import load_state_dict_checked, torch_load, trusted_checkpoints
from mmfreqkd.export import student_config, student_state_dict
from mmfreqkd.paths import run_work_dir
from mmfreqkd.run_record import written_by_run

#: The self-check's tolerance on |sum_k l(k) - CE| / CE (the sums run in float64).
PARSEVAL_TOLERANCE = 1e-8


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--split', choices=['val', 'test'], default='val')
    parser.add_argument('--max-images', type=int, help='stop after this many images')
    parser.add_argument('--features', nargs='*', default=[],
                        help='module names whose outputs get a radial spectrum')
    parser.add_argument('--grid', choices=['label', 'logits'], default='label')
    parser.add_argument('--bin-width', type=float, default=1 / 128,
                        help='ring width in cycles per pixel')
    parser.add_argument('--out-dir', help='default: work_dirs/spectral_ce/<config name>')
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--trust-checkpoint', action='store_true',
                        help='unpickle the checkpoint fully (only for files you trust)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args(argv)


def build_model(cfg: Config, checkpoint: str, trust: bool, device: str):
    """The (student) segmentor of ``cfg`` with the checkpoint's weights, in eval mode."""
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    model = MODELS.build(cfg.model)
    with trusted_checkpoints([checkpoint] if trust else [],
                             hint='pass --trust-checkpoint to tools/analysis/spectral_ce.py'):
        ckpt = torch_load(checkpoint, map_location='cpu')
    load_state_dict_checked(model, student_state_dict(ckpt), what=f'checkpoint {checkpoint}')
    return model.to(device).eval()


def record_features(model, names):
    """Forward hooks keeping the latest output of each named module: (records, handles)."""
    modules = dict(model.named_modules())
    records, handles = {}, []
    for name in names:
        if name not in modules:
            close = [n for n in modules if n.startswith(name.rsplit('.', 1)[0])][:10]
            raise ValueError(f'--features {name!r} is not a module of the model; '
                             f'modules nearby: {close}')

        def keep(_module, _inputs, output, name=name):
            records.setdefault(name, []).append(output)
        handles.append(modules[name].register_forward_hook(keep))
    return records, handles


def logits_and_labels(model, data, grid: str):
    """(logits, labels) pairs of one preprocessed batch on the chosen grid, one per image."""
    if grid == 'label':
        results = model.predict(data['inputs'], data['data_samples'])
        return [(r.seg_logits.data[None], r.gt_sem_seg.data.to(r.seg_logits.data.device))
                for r in results]
    logits = model(data['inputs'], data['data_samples'], mode='tensor')
    pairs = []
    for z, sample in zip(logits, data['data_samples']):
        label = sample.gt_sem_seg.data[None].float().to(z.device)
        label = F.interpolate(label, size=z.shape[-2:], mode='nearest')[0].long()
        pairs.append((z[None], label))
    return pairs


def main(argv=None):
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    trust = args.trust_checkpoint or written_by_run(args.checkpoint,
                                                    run_work_dir(cfg, args.config))
    student = student_config(cfg, stock=False)
    model = build_model(student, args.checkpoint, trust, args.device)
    head = model.decode_head
    report = SpectralReport(head.num_classes, getattr(head, 'ignore_index', 255),
                            args.bin_width)
    records, handles = record_features(model, args.features)
    loader = Runner.build_dataloader(student[f'{args.split}_dataloader'])
    total = len(loader.dataset)
    if args.max_images is not None:
        total = min(args.max_images, total)
    progress = ProgressBar(total)
    with torch.no_grad():
        for batch in loader:
            data = model.data_preprocessor(batch, False)
            for logits, labels in logits_and_labels(model, data, args.grid):
                if report.n_images < total:
                    report.add(logits, labels)
                    progress.update()
            for name, outputs in records.items():
                for output in outputs:
                    report.add_feature(name, output)
                outputs.clear()
            if report.n_images >= total:
                break
    for handle in handles:
        handle.remove()
    out_dir = args.out_dir or osp.join('work_dirs', 'spectral_ce',
                                       osp.splitext(osp.basename(args.config))[0])
    os.makedirs(out_dir, exist_ok=True)
    paths = report.save(out_dir, meta=dict(config=args.config, checkpoint=args.checkpoint,
                                           split=args.split, grid=args.grid))
    summary = report.summary()
    error = summary['parseval_max_relative_error']
    print(f'\nParseval self-check: max |sum_k l(k) - CE| / CE = {error:.2e} over '
          f'{report.n_images} images ({"ok" if error < PARSEVAL_TOLERANCE else "FAILED"})')
    print(f'CE = {summary["ce"]["total"]:.4f}; cut-offs (cycles/pixel): '
          f'CE {summary["ce"]["cutoffs"]}, labels without DC '
          f'{summary["labels"]["cutoffs_without_dc"]}')
    print('wrote ' + ', '.join(paths))
    return 0 if error < PARSEVAL_TOLERANCE else 1


if __name__ == '__main__':
    sys.exit(main())
