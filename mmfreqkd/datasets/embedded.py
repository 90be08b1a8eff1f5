"""The embedded default data sets: what each one is, and generating it on demand.

The sets are small enough that a CPU run of the quick start takes minutes, and they are
generated (never shipped as binaries). :func:`prepare` is idempotent: a set whose manifest
records the same parameters is left untouched.

Examples:
    >>> from mmfreqkd.datasets import prepare
    >>> root = prepare('texseg', 'data/mmfreqkd')  # doctest: +SKIP
    >>> sorted(os.listdir(root))  # doctest: +SKIP
    ['ann_dir', 'img_dir', 'manifest.json']
"""
import json
import os
import os.path as osp
import shutil
from dataclasses import asdict, dataclass
from typing import Callable, Dict, Optional

from . import generators

__all__ = ['EmbeddedSet', 'EMBEDDED_SETS', 'DEFAULT_ROOT', 'prepare']

#: Where configs expect the sets, relative to the working directory (the repo root).
DEFAULT_ROOT = 'data/mmfreqkd'

#: Bump when a generator changes its output, so stale sets are regenerated.
GENERATOR_VERSION = 3


@dataclass(frozen=True)
class EmbeddedSet:
    """One embedded set: its generator and default sizes. ``n_pretrain`` images go to a third
    split, ``pretrain``, from which a teacher learns what its students never see (as a
    teacher pre-trained on a larger data set); 0: no such split."""
    generate: Callable
    n_train: int
    n_val: int
    size: int
    seed: int = 0
    n_pretrain: int = 0
    description: str = ''

    def params(self, **overrides) -> Dict:
        params = {k: v for k, v in asdict(self).items() if k not in ('generate', 'description')}
        params.update({k: v for k, v in overrides.items() if v is not None})
        return params


EMBEDDED_SETS: Dict[str, EmbeddedSet] = dict(
    texseg=EmbeddedSet(generators.generate_texseg, 240, 60, 64,
                       description='texture segmentation, 5 classes (mmseg folder layout)'),
    densedet=EmbeddedSet(generators.generate_densedet, 160, 40, 128,
                         description='dense small objects, 3 classes (COCO json)'),
    rotdet=EmbeddedSet(generators.generate_rotdet, 160, 40, 128,
                       description='oriented objects, 2 classes (DOTA txt)'),
    restore=EmbeddedSet(generators.generate_restore, 400, 60, 64,
                        description='crops of real photographs, clean and with rain, blur, '
                        'noise and haze (paired folders)'),
    texcls=EmbeddedSet(generators.generate_texcls, 600, 600, 32, n_pretrain=6000,
                       description='texture-and-shape classification, 15 classes '
                       '(mmpretrain folder layout; the teacher learns from pretrain/)'),
)


def prepare(name: str,
            root: str = DEFAULT_ROOT,
            force: bool = False,
            n_train: Optional[int] = None,
            n_val: Optional[int] = None,
            seed: Optional[int] = None,
            n_pretrain: Optional[int] = None) -> str:
    """Generate the embedded set ``name`` under ``root/name`` unless it is already there.

    Args:
        name: one of :data:`EMBEDDED_SETS`.
        root: parent folder of the sets.
        force: regenerate even if an identical set exists.
        n_train, n_val, seed, n_pretrain: override the set's defaults.

    Returns:
        The set's folder.
    """
    if name not in EMBEDDED_SETS:
        raise KeyError(f'unknown embedded set {name!r}; choose from {sorted(EMBEDDED_SETS)}')
    spec = EMBEDDED_SETS[name]
    params = dict(spec.params(n_train=n_train, n_val=n_val, seed=seed, n_pretrain=n_pretrain),
                  version=GENERATOR_VERSION)
    folder = osp.join(root, name)
    manifest = osp.join(folder, 'manifest.json')
    if not force and osp.isfile(manifest):
        with open(manifest) as f:
            if json.load(f) == params:
                return folder
    if osp.isdir(folder):
        shutil.rmtree(folder)
    for split in ('pretrain', 'train', 'val'):
        if params[f'n_{split}']:
            spec.generate(folder, split, params[f'n_{split}'], params['size'], params['seed'])
    os.makedirs(folder, exist_ok=True)
    with open(manifest, 'w') as f:
        json.dump(params, f, indent=1)
    return folder
