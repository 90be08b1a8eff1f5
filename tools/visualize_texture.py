"""Save a PNG grid of teacher vs student texture maps for one image (Fig. 4 of SSTKD).

Rows pair the teacher (T) and the student (S): the contourlet sub-bands of the low-level
feature (channel-mean magnitude per level and direction, and the coarse band) and the DTIEM
maps (equalised intensity, enhanced texture features), each pair on one colour scale.

Usage:
    python tools/visualize_texture.py CONFIG IMAGE OUT.png [--checkpoint CKPT]
        [--trust-checkpoint] [--cfg-options k=v ...]

CKPT is a checkpoint of the distillation run (teacher, student and connectors); without it the
config's teacher_ckpt is loaded and the student is as initialised.
"""
import argparse

import mmfreqkd  # noqa: F401  isort: skip  (the compatibility layer before configs are read)
from mmengine.config import Config, DictAction
from mmengine.dataset import Compose, pseudo_collate
from mmengine.model import revert_sync_batchnorm
from mmengine.registry import MODELS, DefaultScope, init_default_scope
from mmengine.runner.checkpoint import load_checkpoint

from mmfreqkd.checkpoint import trusted_checkpoints
from mmfreqkd.visualization import save_texture_grid, texture_maps


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='distillation config (SSTKD or any config with texture '
                        'losses)')
    parser.add_argument('image', help='input image file')
    parser.add_argument('out', help='output PNG')
    parser.add_argument('--checkpoint', help='checkpoint of the distillation run')
    parser.add_argument('--trust-checkpoint', action='store_true',
                        help='unpickle CHECKPOINT fully (only for files you trust)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override settings of the config, key=value (see mmengine)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmengine'))
    model = revert_sync_batchnorm(MODELS.build(cfg.model))
    model.eval()  # (mmrazor algorithms' train() returns None: no chaining)
    if args.checkpoint:
        trusted = [args.checkpoint] if args.trust_checkpoint else []
        with trusted_checkpoints(trusted, hint='pass --trust-checkpoint'):
            load_checkpoint(model, args.checkpoint, map_location='cpu')
    pipeline = [t for t in cfg.test_dataloader.dataset.pipeline
                if t['type'] != 'LoadAnnotations']
    with DefaultScope.overwrite_default_scope(cfg.get('default_scope')):
        sample = Compose(pipeline)(dict(img_path=args.image))
    data = model.data_preprocessor(pseudo_collate([sample]), False)
    grid = save_texture_grid(texture_maps(model, data['inputs']), args.out)
    print(f'{args.out}: {grid["rows"]} x {grid["columns"]} panels')


if __name__ == '__main__':
    main()
