"""Writing files so that a kill at any moment leaves either the old file or the new one, never a
part of either; hashing them; and locking a path across processes.

* :func:`atomic_write`, :func:`replacing` and :func:`publish` write to a temporary name in the
  target's folder, flush it to disk and rename it over the target (``os.replace``: atomic on
  POSIX file systems).
* :func:`sha256_of` identifies a file by its content (the run record's trust rule).
* :func:`exclusive_lock` is an advisory ``flock`` on a lock file: the kernel releases it when its
  holder dies, so a killed holder never leaves a stale lock behind.

Examples:
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> atomic_write(os.path.join(folder, 'a.txt'), 'hello')
    >>> open(os.path.join(folder, 'a.txt')).read()
    'hello'
"""
import contextlib
import errno
import fcntl
import hashlib
import os
import os.path as osp
import tempfile
from typing import Iterator, Optional, Union

__all__ = ['atomic_write', 'replacing', 'publish', 'temporary_path', 'sha256_of', 'exclusive_lock',
           'try_exclusive_lock']


def temporary_path(path: str, suffix: str = '') -> str:
    """A fresh, unused name beside ``path`` (same folder, so renaming it over ``path`` is
    atomic), hidden and marked as partial: ``.<name>.<random>.partial<suffix>``."""
    folder, name = osp.split(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f'.{name}.', suffix='.partial' + suffix, dir=folder)
    os.close(fd)
    return tmp


def _fsync_folder(folder: str) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(tmp: str, path: str) -> None:
    """Flush the finished file ``tmp`` to disk and rename it to ``path`` (replacing it)."""
    with open(tmp, 'rb+') as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)
    _fsync_folder(osp.dirname(osp.abspath(path)))


@contextlib.contextmanager
def replacing(path: str, suffix: str = '') -> Iterator[str]:
    """A :func:`temporary_path` beside ``path`` for the caller to write; published over
    ``path`` when the context ends normally, removed when it raises (a kill leaves it to the
    next run's clean-up)."""
    tmp = temporary_path(path, suffix)
    try:
        yield tmp
        publish(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)


def atomic_write(path: str, data: Union[str, bytes]) -> None:
    """Write ``data`` (text: UTF-8) to ``path`` through a temporary file and a rename."""
    with replacing(path) as tmp, open(tmp, 'wb') as f:
        f.write(data.encode() if isinstance(data, str) else data)


def sha256_of(path: str, chunk: int = 1 << 20) -> str:
    """The hex SHA-256 of the file ``path``."""
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(chunk), b''):
            digest.update(block)
    return digest.hexdigest()


def _open_locked(path: str, blocking: bool) -> Optional[int]:
    """A descriptor of ``path`` holding its exclusive ``flock``, or None when another process
    holds it and ``blocking`` is False. Retries when the file was replaced while it waited
    (a holder that removed it on release), so the lock is always on the file at ``path``."""
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except OSError as err:
            os.close(fd)
            if err.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                return None
            raise
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)


def try_exclusive_lock(path: str) -> Optional[int]:
    """The exclusive lock of ``path`` without waiting: its descriptor, or None when held."""
    return _open_locked(path, blocking=False)


@contextlib.contextmanager
def exclusive_lock(path: str) -> Iterator[int]:
    """Hold the exclusive lock of ``path`` (waiting for its holder) inside the context; the
    lock file stays (removing it could let a waiter lock a file no newcomer sees)."""
    fd = _open_locked(path, blocking=True)
    try:
        yield fd
    finally:
        os.close(fd)
