"""Where mmfreqkd's relative paths resolve, whatever the current directory: the embedded data
sets (``data/mmfreqkd/<set>`` in the configs) and the checkpoints the quick start writes
(``work_dirs/...`` in the configs).

* Embedded sets live in ``$MMFREQKD_DATA`` if set, else in ``data/mmfreqkd`` of the source
  checkout mmfreqkd is imported from, else in ``~/.cache/mmfreqkd/data`` (an installed wheel);
  a missing set is generated on demand (seeded: the same set everywhere).
* A relative checkpoint path is looked up in the current directory, then in the checkout.
* A run of ``config`` writes to its ``work_dir``, else ``./work_dirs/<config name>``; the
  checkpoints its runs wrote are listed in its run record (:mod:`mmfreqkd.run_record`), and
  only those unpickle fully (any other file loads weights-only unless trusted explicitly).
"""
import os
import os.path as osp
from typing import Optional

from mmengine.config import Config

__all__ = ['DATA_ENV', 'checkout_root', 'embedded_data_root', 'resolve_embedded_data',
           'find_file', 'default_work_dir', 'run_work_dir']

#: The environment variable that overrides where the embedded sets live.
DATA_ENV = 'MMFREQKD_DATA'
#: How configs name the embedded sets' parent folder.
CONFIG_DATA_PREFIX = 'data/mmfreqkd/'


def checkout_root() -> Optional[str]:
    """The source checkout mmfreqkd is imported from (the folder holding ``configs/`` and
    ``tools/`` next to the package), or None for an installed wheel."""
    root = osp.dirname(osp.dirname(osp.abspath(__file__)))
    return root if all(osp.isdir(osp.join(root, d)) for d in ('configs', 'tools')) else None


def embedded_data_root() -> str:
    """The parent folder of the embedded sets (see the module docstring)."""
    if os.environ.get(DATA_ENV):
        return osp.abspath(osp.expanduser(os.environ[DATA_ENV]))
    root = checkout_root()
    if root is not None:
        return osp.join(root, 'data', 'mmfreqkd')
    return osp.join(osp.expanduser('~'), '.cache', 'mmfreqkd', 'data')


def resolve_embedded_data(cfg: Config) -> Config:
    """Rewrite every ``data/mmfreqkd/<set>...`` string of ``cfg`` to the embedded sets' folder
    (generating a missing set); other paths are left alone. Returns ``cfg``."""
    from .datasets import EMBEDDED_SETS, prepare
    root = embedded_data_root()

    def resolve(value):
        if isinstance(value, dict):
            for key in value:
                value[key] = resolve(value[key])
            return value
        if isinstance(value, list):
            return [resolve(v) for v in value]
        if isinstance(value, tuple):
            return tuple(resolve(v) for v in value)
        if isinstance(value, str) and value.startswith(CONFIG_DATA_PREFIX):
            name = value[len(CONFIG_DATA_PREFIX):].split('/', 1)[0]
            if name in EMBEDDED_SETS:
                prepare(name, root)
                return osp.join(root, value[len(CONFIG_DATA_PREFIX):])
        return value

    for key in list(cfg.keys()):
        cfg[key] = resolve(cfg[key])
    return cfg


def find_file(path: str, key: str, what: str = 'file') -> str:
    """``path`` itself when it is a URL or exists (relative: to the current directory); else
    the checkout's file of that relative path; else a ``FileNotFoundError`` naming ``key``,
    ``what`` was looked for and the places looked in."""
    if '://' in path or osp.exists(path):
        return path
    if osp.isabs(path):
        raise FileNotFoundError(f'{key}={path!r}: no such {what}')
    root = checkout_root()
    if root is not None and osp.exists(osp.join(root, path)):
        return osp.join(root, path)
    places = [os.getcwd()] + ([root] if root is not None else [])
    raise FileNotFoundError(f'{key}={path!r}: no such {what}, relative to '
                            f'{" or ".join(places)}')


def default_work_dir(config: str, root: str = './work_dirs') -> str:
    """``<root>/<config name>``: where a run of ``config`` writes when nothing says otherwise."""
    return osp.join(root, osp.splitext(osp.basename(config))[0])


def run_work_dir(cfg: Config, config: str) -> str:
    """The work dir of a run of ``config`` (read into ``cfg``): its ``work_dir``, else the
    default."""
    return cfg.get('work_dir') or default_work_dir(config)
