"""Save a PNG strip per validation image: degraded | each model's restoration | clean.

Each model is ``LABEL=CONFIG,CHECKPOINT``: CONFIG is the model's own config (a restorer, e.g.
``configs/embedded/nafnet-w8_1xb8-1k_restore-rain-64x64.py``) and CHECKPOINT a checkpoint of
that model or of a distillation run that trained it (its ``architecture.`` weights, the
student, are taken then). The images are the first ``--num`` of DATA_CONFIG's validation set.

Usage:
    python tools/visualize_restoration.py DATA_CONFIG OUT.png \\
        --models "student=CFG,CKPT" "SLKD=CFG,CKPT" "teacher=CFG,CKPT" [--num 4]
        [--trust-checkpoint]
"""
import argparse
from typing import List, Tuple

import mmfreqkd  # noqa: F401  isort: skip  (the compatibility layer before configs are read)
import cv2
import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import DefaultScope
from mmengine.runner import Runner

from mmfreqkd.models import build_model
from mmfreqkd.models.algorithms.external_weights import load_external_weights


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('data_config', help='config whose val_dataloader gives the images')
    parser.add_argument('out', help='output PNG')
    parser.add_argument('--models', nargs='+', required=True, metavar='LABEL=CONFIG,CKPT',
                        help='models to compare, in column order')
    parser.add_argument('--num', type=int, default=4, help='validation images (rows)')
    parser.add_argument('--trust-checkpoint', action='store_true',
                        help='unpickle the checkpoints fully (only for files you trust)')
    return parser.parse_args(argv)


def _model_spec(spec: str) -> Tuple[str, str, str]:
    label, sep, rest = spec.partition('=')
    config, comma, checkpoint = rest.partition(',')
    if not (sep and comma and label and config and checkpoint):
        raise SystemExit(f'--models {spec!r}: expected LABEL=CONFIG,CHECKPOINT')
    return label, config, checkpoint


def _label(image: np.ndarray, text: str) -> np.ndarray:
    """``image`` (H, W, 3) RGB with a 14-px caption band above it."""
    band = np.full((14, image.shape[1], 3), 255, np.uint8)
    cv2.putText(band, text[:max(1, image.shape[1] // 6)], (1, 11), cv2.FONT_HERSHEY_PLAIN,
                0.8, (0, 0, 0), 1, cv2.LINE_AA)
    return np.concatenate([band, image], axis=0)


def restore_strip(data_config: str, models: List[str], num: int = 4,
                  trust: bool = False) -> np.ndarray:
    """The strip image (RGB): one row per validation image, columns degraded, models, clean."""
    cfg = Config.fromfile(data_config)
    loader_cfg = cfg.val_dataloader.copy()
    loader_cfg.update(batch_size=1, num_workers=0, persistent_workers=False)
    with DefaultScope.overwrite_default_scope(cfg.get('default_scope', 'mmengine')):
        dataset = Runner.build_dataloader(loader_cfg).dataset
    if len(dataset) < num:
        raise SystemExit(f'{data_config}: its validation set has {len(dataset)} images, '
                         f'fewer than --num {num}')
    samples = [dataset[i] for i in range(num)]
    columns = [('degraded', [s['inputs'] for s in samples])]
    for spec in models:
        label, config, checkpoint = _model_spec(spec)
        model = build_model(dict(cfg_path=config), f'--models {label}')
        load_external_weights(model, checkpoint, f'--models {label}', trust=trust,
                              default_prefix='architecture.')
        model.eval()
        with torch.no_grad():
            data = model.data_preprocessor(pseudo_collate(samples), False)
            outputs = model(**data, mode='predict')
        columns.append((label, [o.pred_img for o in outputs]))
    columns.append(('clean', [s['data_samples'].gt_img for s in samples]))
    rows = []
    for i in range(num):
        row = [_label(images[i].permute(1, 2, 0).clamp(0, 255).byte().cpu().numpy(), name)
               for name, images in columns]
        rows.append(np.concatenate(row, axis=1))
    return np.concatenate(rows, axis=0)


def main(argv=None):
    args = parse_args(argv)
    strip = restore_strip(args.data_config, args.models, args.num, args.trust_checkpoint)
    if not cv2.imwrite(args.out, np.ascontiguousarray(strip[..., ::-1])):
        raise SystemExit(f'could not write {args.out}')
    print(f'{args.out}: {args.num} rows x {len(args.models) + 2} columns')


if __name__ == '__main__':
    main()
