"""What a benchmark result was made from: the code, the data and the commit, as hashes.

A run of the harness is reused only while everything that determines its result is unchanged
(:func:`training_code_hash` and :func:`data_hash` enter its identity,
:func:`~mmfreqkd.benchmark.experiment.content_hash`), and every report is stamped with
:func:`stamp`, so that ``tools/benchmark.py --publish-only`` can refuse a report that the
current code would not write.
"""
import glob
import hashlib
import os.path as osp
import subprocess
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, packages_distributions, version
from typing import Dict, Iterable

__all__ = ['training_code_hash', 'report_code_hash', 'data_hash', 'commit', 'stamp',
           'STACK_PACKAGES']

#: The installed packages whose versions enter the training code's hash.
STACK_PACKAGES = ('torch', 'numpy', 'mmengine', 'mmcv', 'mmdet', 'mmsegmentation', 'mmrotate',
                  'mmpretrain', 'mmrazor')

#: What the harness's reports are made of beyond the training code (relative to the root).
_REPORT_CODE = ('mmfreqkd/benchmark/*.py', 'tools/benchmark.py')
#: The training code: every module of the package but the harness, and the tools it runs.
_TRAINING_CODE = ('mmfreqkd/**/*.py', 'tools/train.py', 'tools/test.py',
                  'tools/export_student.py')


def _root() -> str:
    from .experiment import ROOT
    return ROOT


def _files_hash(patterns: Iterable[str], exclude: Iterable[str] = ()) -> str:
    """SHA-256 (12 hex digits) of the names and contents of the files matching ``patterns``
    under the repository root, ``exclude`` left out."""
    root = _root()
    excluded = {p for pattern in exclude
                for p in glob.glob(osp.join(root, pattern), recursive=True)}
    files = sorted({p for pattern in patterns
                    for p in glob.glob(osp.join(root, pattern), recursive=True)} - excluded)
    digest = hashlib.sha256()
    for path in files:
        digest.update(osp.relpath(path, root).encode() + b'\0')
        with open(path, 'rb') as f:
            digest.update(f.read() + b'\0')
    return digest.hexdigest()[:12]


def _versions() -> Dict[str, str]:
    """The installed version of each of :data:`STACK_PACKAGES`, looked up by the module it
    installs (a codebase built from source may be distributed under another name, e.g. a
    development build of mmrotate), ``absent`` when it is not installed."""
    distributions = packages_distributions()
    found = {}
    for package in STACK_PACKAGES:
        module = 'mmseg' if package == 'mmsegmentation' else package
        names = distributions.get(module, []) + [package]
        for name in names:
            try:
                found[package] = version(name)
                break
            except PackageNotFoundError:
                continue
        else:
            found[package] = 'absent'
    return found


@lru_cache(maxsize=None)
def training_code_hash() -> str:
    """What a training run's result depends on besides its config and data: the package's
    modules (the harness's own excepted: it chooses the runs, their configs and options, which
    enter a run's identity themselves), the tools it runs and the versions of the stack."""
    digest = hashlib.sha256(_files_hash(_TRAINING_CODE, exclude=_REPORT_CODE).encode())
    digest.update(repr(sorted(_versions().items())).encode())
    return digest.hexdigest()[:12]


@lru_cache(maxsize=None)
def report_code_hash() -> str:
    """:func:`training_code_hash` and the harness that turns the runs into a report."""
    digest = hashlib.sha256(training_code_hash().encode())
    digest.update(_files_hash(_REPORT_CODE).encode())
    return digest.hexdigest()[:12]


def data_hash(folder: str) -> str:
    """SHA-256 (12 hex digits) of the relative names and contents of every file under
    ``folder`` (a generated data set is identified by what it holds, not by its sizes)."""
    digest = hashlib.sha256()
    for path in sorted(glob.glob(osp.join(folder, '**', '*'), recursive=True)):
        if osp.isfile(path):
            digest.update(osp.relpath(path, folder).encode() + b'\0')
            with open(path, 'rb') as f:
                digest.update(f.read())
    return digest.hexdigest()[:12]


def commit() -> str:
    """The repository's commit, ``+changes`` when files tracked by git differ from it;
    ``unknown`` outside a git checkout."""
    def git(*args: str) -> str:
        return subprocess.run(['git', *args], cwd=_root(), capture_output=True, text=True,
                              check=True).stdout.strip()

    try:
        head = git('rev-parse', 'HEAD')
        changed = git('status', '--porcelain', '--untracked-files=no')
    except (OSError, subprocess.CalledProcessError):
        return 'unknown'
    return head + ('+changes' if changed else '')


def stamp(data_root: str) -> Dict[str, str]:
    """A report's provenance: the commit, the hashes of the code that trained its runs and of
    the code that wrote it, the hash of its data set (``data_root``, the folder its runs
    read) and the stack's versions."""
    return dict(commit=commit(), training_code=training_code_hash(),
                report_code=report_code_hash(), data=data_hash(data_root), **_versions())
