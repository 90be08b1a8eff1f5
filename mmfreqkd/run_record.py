"""The run record: which checkpoints the runs of a work dir wrote, by content hash.

It decides two things:

* **trust** (:func:`written_by_run`): a checkpoint is unpickled fully only when its SHA-256 is
  recorded in the work dir's record, i.e. when it is byte for byte a file a run saved there.
  Lying inside the work dir is not enough: ``--work-dir .`` in a project folder holding a
  downloaded ``pretrained.pth`` must not make that file trusted.
* **the resume fall-back** (:meth:`RunRecord.newest_intact`): when ``last_checkpoint`` is
  missing, empty, or names a file that is damaged, resume continues from the newest recorded
  checkpoint whose content still matches its hash.

The record is ``<work_dir>/run_record.json`` (``{"checkpoints": [{"file", "sha256", "bytes",
"saved"}, ...]}``, oldest first), rewritten atomically after every save; only the rank that
saves checkpoints writes it.
"""
import json
import os
import os.path as osp
import time
from typing import Dict, List, Optional

from .fileio import atomic_write, sha256_of

__all__ = ['RECORD_FILE', 'RunRecord', 'written_by_run']

#: The record's file name inside the work dir.
RECORD_FILE = 'run_record.json'


class RunRecord:
    """The record of ``work_dir`` (empty when the work dir has none)."""

    def __init__(self, work_dir: str) -> None:
        self.work_dir = osp.abspath(work_dir)
        self.path = osp.join(self.work_dir, RECORD_FILE)
        self.checkpoints: List[Dict] = []
        if osp.isfile(self.path):
            with open(self.path) as f:
                try:
                    self.checkpoints = json.load(f)['checkpoints']
                except (ValueError, KeyError, TypeError) as err:
                    raise RuntimeError(f'{self.path} is not a run record ({err}); it lists '
                                       f'the checkpoints a run saved: remove it only if you '
                                       f'no longer trust them') from None

    def _name(self, path: str) -> str:
        return osp.relpath(osp.realpath(path), osp.realpath(self.work_dir))

    def add(self, path: str) -> None:
        """Record the finished checkpoint ``path`` (replacing an entry of the same name)."""
        name = self._name(path)
        self.checkpoints = [c for c in self.checkpoints if c['file'] != name]
        self.checkpoints.append(dict(file=name, sha256=sha256_of(path),
                                     bytes=osp.getsize(path), saved=time.time()))
        self._write()

    def forget(self, path: str) -> None:
        """Drop the entry of ``path`` (a checkpoint removed by ``max_keep_ckpts``)."""
        name = self._name(path)
        kept = [c for c in self.checkpoints if c['file'] != name]
        if len(kept) != len(self.checkpoints):
            self.checkpoints = kept
            self._write()

    def _write(self) -> None:
        atomic_write(self.path, json.dumps(dict(checkpoints=self.checkpoints), indent=1))

    def entry(self, path: str) -> Optional[Dict]:
        """The record's entry of the checkpoint at ``path``, or None."""
        name = self._name(path)
        return next((c for c in self.checkpoints if c['file'] == name), None)

    def intact(self, entry: Dict) -> bool:
        """Whether the file of ``entry`` exists with its recorded size and hash."""
        path = osp.join(self.work_dir, entry['file'])
        return (osp.isfile(path) and osp.getsize(path) == entry['bytes']
                and sha256_of(path) == entry['sha256'])

    def trusts(self, path: str) -> bool:
        """Whether ``path`` holds exactly the bytes of a checkpoint recorded here."""
        if not self.checkpoints or not osp.isfile(path):
            return False
        size = osp.getsize(path)
        candidates = {c['sha256'] for c in self.checkpoints if c['bytes'] == size}
        return bool(candidates) and sha256_of(path) in candidates

    def newest_intact(self) -> Optional[str]:
        """The newest recorded checkpoint whose content matches its record, or None."""
        for entry in reversed(self.checkpoints):
            if self.intact(entry):
                return osp.join(self.work_dir, entry['file'])
        return None


def written_by_run(checkpoint: str, work_dir: str) -> bool:
    """The trust rule: ``checkpoint`` is byte for byte one that a run of ``work_dir`` saved
    (its hash is in the work dir's :class:`RunRecord`). URLs never are."""
    if '://' in checkpoint or not osp.isdir(work_dir):
        return False
    return RunRecord(work_dir).trusts(os.fspath(checkpoint))
