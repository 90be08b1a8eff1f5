"""The embedded default data sets: what each one is, and generating it on demand.

The sets are small enough that a CPU run of the quick start takes minutes, and they are
generated (never shipped as binaries). :func:`prepare` is idempotent: a set whose manifest
records the same parameters is left untouched, and it never deletes what it did not write.

Examples:
    >>> from mmfreqkd.datasets import prepare
    >>> root = prepare('texseg', 'data/mmfreqkd')  # doctest: +SKIP
    >>> sorted(os.listdir(root))  # doctest: +SKIP
    ['ann_dir', 'img_dir', 'manifest.json']
"""
import glob
import json
import logging
import os
import os.path as osp
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from typing import Callable, Dict, Optional

from mmengine.logging import print_log

from ..fileio import exclusive_lock
from ..paths import DATA_ENV
from . import generators

__all__ = ['EmbeddedSet', 'EMBEDDED_SETS', 'DEFAULT_ROOT', 'DataFolderError', 'prepare']

#: Where configs expect the sets, relative to the working directory (the repo root).
DEFAULT_ROOT = 'data/mmfreqkd'

#: Bump when a generator changes its output, so stale sets are regenerated.
GENERATOR_VERSION = 4
#: The file in which :func:`prepare` records a set's parameters (what makes a folder ours).
MANIFEST = 'manifest.json'


@dataclass(frozen=True)
class EmbeddedSet:
    """One embedded set: its generator and default sizes. Three splits: ``train``, ``val`` (on
    which runs are validated and settings chosen) and ``test`` (on which results are reported,
    never used for a choice). ``n_pretrain`` images go to a fourth split, ``pretrain``, from
    which a teacher learns what its students never see (as a teacher pre-trained on a larger
    data set); 0: no such split."""
    generate: Callable
    n_train: int
    n_val: int
    size: int
    seed: int = 0
    n_pretrain: int = 0
    n_test: int = 0
    description: str = ''

    def params(self, **overrides) -> Dict:
        params = {k: v for k, v in asdict(self).items() if k not in ('generate', 'description')}
        params.update({k: v for k, v in overrides.items() if v is not None})
        return params


EMBEDDED_SETS: Dict[str, EmbeddedSet] = dict(
    texseg=EmbeddedSet(generators.generate_texseg, 240, 60, 64, n_test=60,
                       description='texture segmentation, 5 classes (mmseg folder layout)'),
    densedet=EmbeddedSet(generators.generate_densedet, 160, 40, 128, n_test=40,
                         description='dense small objects, 3 classes (COCO json)'),
    rotdet=EmbeddedSet(generators.generate_rotdet, 160, 40, 128, n_test=40,
                       description='oriented objects, 2 classes (DOTA txt)'),
    restore=EmbeddedSet(generators.generate_restore, 400, 60, 64, n_test=60,
                        description='crops of real photographs, clean and with rain, blur, '
                        'noise and haze (paired folders)'),
    texcls=EmbeddedSet(generators.generate_texcls, 600, 600, 32, n_pretrain=6000, n_test=600,
                       description='texture-and-shape classification, 15 classes '
                       '(mmpretrain folder layout; the teacher learns from pretrain/)'),
)


class DataFolderError(RuntimeError):
    """A set's folder holds something :func:`prepare` must not replace: a folder it did not
    generate, or a set generated with other parameters (replaced only when asked to)."""


def _manifest_of(folder: str) -> Optional[Dict]:
    """The parameters ``folder``'s manifest records, or None when it has no manifest of ours
    (a manifest of ours holds exactly the keys :func:`prepare` writes, or those of a version
    before the ``test`` split: such a set is ours, generated with other parameters)."""
    try:
        with open(osp.join(folder, MANIFEST)) as f:
            found = json.load(f)
    except (OSError, ValueError):
        return None
    keys = set(EmbeddedSet.__dataclass_fields__) - {'generate', 'description'} | {'version'}
    ours = isinstance(found, dict) and set(found) in (keys, keys - {'n_test'})
    return found if ours else None


def _difference(found: Dict, wanted: Dict) -> str:
    return ', '.join(f'{key}={found.get(key)!r} (needed: {wanted[key]!r})'
                     for key in sorted(wanted) if found.get(key) != wanted[key])


def _check_replaceable(name: str, folder: str, found: Optional[Dict], params: Dict,
                       replace: bool) -> None:
    if found is None:
        raise DataFolderError(
            f'{folder} exists but is not a set that mmfreqkd generated (no {MANIFEST} of '
            f'ours in it), so the embedded {name!r} set cannot be written there and nothing in '
            f'it was touched. Move that folder away, or point ${DATA_ENV} (or --root) to '
            f'another parent folder.')
    if not replace:
        raise DataFolderError(
            f'{folder} holds the {name!r} set generated with other parameters: '
            f'{_difference(found, params)}. Nothing was changed. To regenerate it run '
            f'`python tools/generate_data.py {name} --root {osp.dirname(folder)} --replace` '
            f'(the current set is moved aside to {osp.basename(folder)}.replaced-<time>, not '
            f'deleted), or point ${DATA_ENV} to another parent folder.')


def prepare(name: str,
            root: str = DEFAULT_ROOT,
            replace: bool = False,
            n_train: Optional[int] = None,
            n_val: Optional[int] = None,
            seed: Optional[int] = None,
            n_pretrain: Optional[int] = None,
            n_test: Optional[int] = None) -> str:
    """Generate the embedded set ``name`` under ``root/name`` unless it is already there.

    Nothing that :func:`prepare` did not write is ever deleted or overwritten: the set is
    generated into a temporary folder beside the target and renamed into place; a target
    without our manifest is an error naming it; a set generated with other parameters is
    replaced only with ``replace=True``, and then moved aside to
    ``<name>.replaced-<time>``. One process generates at a time (a file lock beside the
    set): the ranks of a distributed run, or two runs, wait for the first writer and then
    find its set.

    Args:
        name: one of :data:`EMBEDDED_SETS`.
        root: parent folder of the sets.
        replace: regenerate the set even if it exists (moving the existing one aside).
        n_train, n_val, seed, n_pretrain, n_test: override the set's defaults.

    Returns:
        The set's folder.

    Raises:
        DataFolderError: ``root/name`` is not ours, or holds other parameters and ``replace``
            is False.
    """
    if name not in EMBEDDED_SETS:
        raise KeyError(f'unknown embedded set {name!r}; choose from {sorted(EMBEDDED_SETS)}')
    spec = EMBEDDED_SETS[name]
    params = dict(spec.params(n_train=n_train, n_val=n_val, seed=seed, n_pretrain=n_pretrain,
                              n_test=n_test),
                  version=GENERATOR_VERSION)
    folder = osp.join(root, name)
    with exclusive_lock(osp.join(root, f'.{name}.lock')):
        exists = osp.lexists(folder)
        found = _manifest_of(folder) if exists else None
        if found == params and not replace:
            return folder
        if exists:
            _check_replaceable(name, folder, found, params, replace)
        for partial in glob.glob(osp.join(root, f'.{name}.*.partial')):
            shutil.rmtree(partial)  # a generation of ours that was killed: under our lock
        tmp = tempfile.mkdtemp(prefix=f'.{name}.', suffix='.partial', dir=root)
        for split in ('pretrain', 'train', 'val', 'test'):
            if params[f'n_{split}']:
                spec.generate(tmp, split, params[f'n_{split}'], params['size'], params['seed'])
        with open(osp.join(tmp, MANIFEST), 'w') as f:
            json.dump(params, f, indent=1)
        if exists:
            aside = f'{folder}.replaced-{time.strftime("%Y%m%d-%H%M%S")}'
            os.rename(folder, aside)
            print_log(f'{folder}: the set generated with {_difference(found, params)} was '
                      f'moved aside to {aside}', logger='current', level=logging.WARNING)
        os.rename(tmp, folder)
    return folder
