"""One run per work dir: a lock file in the work dir names the run holding it.

Two runs writing to one work dir interleave their checkpoints, their ``last_checkpoint`` and
their config copy, and a later ``--resume`` continues whichever wrote last. The lock is an
advisory ``flock`` on ``<work_dir>/run.lock`` (:func:`mmfreqkd.fileio.try_exclusive_lock`),
whose content names the holder (pid, host, start time, command). The kernel releases the lock
when its holder dies, so a killed run leaves a *stale* record behind, never a held lock: the
next run takes it over with a warning naming the run that ended without releasing it.
"""
import json
import logging
import os
import os.path as osp
import socket
import sys
import time
from typing import Dict, Optional

from mmengine.logging import print_log

from ..fileio import try_exclusive_lock

__all__ = ['LOCK_FILE', 'WorkDirBusyError', 'WorkDirLock']

#: The lock's file name inside the work dir.
LOCK_FILE = 'run.lock'

#: The locks this process holds: real path of the work dir -> descriptor. A second runner of
#: the same process on the same work dir (a test building one runner after another) shares it.
_HELD: Dict[str, int] = {}


class WorkDirBusyError(RuntimeError):
    """Another run holds the work dir."""


def _describe(holder: Dict) -> str:
    started = time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(holder.get('started', 0)))
    return (f"pid {holder.get('pid')} on host {holder.get('host')!r}, started {started} "
            f"({holder.get('command', '?')})")


def _read_holder(fd: int) -> Optional[Dict]:
    os.lseek(fd, 0, os.SEEK_SET)
    text = os.read(fd, 1 << 16).decode(errors='replace')
    try:
        return json.loads(text) if text.strip() else None
    except ValueError:
        return None


class WorkDirLock:
    """The lock of ``work_dir`` for this process.

    Args:
        work_dir: the run's work dir (created if missing).

    Raises:
        WorkDirBusyError: from :meth:`acquire`, when another live process holds it; the
            message names the work dir and the holder.

    Examples:
        >>> import tempfile
        >>> lock = WorkDirLock(tempfile.mkdtemp()).acquire()
        >>> lock.release()
    """

    def __init__(self, work_dir: str) -> None:
        self.work_dir = osp.realpath(work_dir)
        self.path = osp.join(self.work_dir, LOCK_FILE)

    def acquire(self) -> 'WorkDirLock':
        if self.work_dir in _HELD:
            return self
        fd = try_exclusive_lock(self.path)
        if fd is None:
            with open(self.path, 'rb') as f:
                holder = _read_holder(f.fileno())
            raise WorkDirBusyError(
                f'work_dir={self.work_dir!r} is in use by another run: '
                f'{_describe(holder) if holder else "a run that has not written its name yet"}'
                f'. Two runs in one work dir overwrite each other\'s checkpoints; give this run '
                f'another --work-dir (or work_dir in the config), or wait for that run to end '
                f'(then `--resume` continues it).')
        stale = _read_holder(fd)
        if stale:
            print_log(f'{self.path}: taking over the lock of a run that ended without '
                      f'releasing it ({_describe(stale)})', logger='current',
                      level=logging.WARNING)
        record = dict(pid=os.getpid(), host=socket.gethostname(), started=time.time(),
                      command=' '.join(sys.argv))
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps(record).encode())
        os.fsync(fd)
        _HELD[self.work_dir] = fd
        return self

    def release(self) -> None:
        """Remove the lock file and release the lock (idempotent)."""
        fd = _HELD.pop(self.work_dir, None)
        if fd is None:
            return
        try:
            os.remove(self.path)
        except FileNotFoundError:
            pass
        os.close(fd)
