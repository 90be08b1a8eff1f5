"""WorkDirLock between real processes: held, refused with the holder's name, released by the
kernel when the holder dies, taken over with a warning."""
import os
import signal
import subprocess
import sys

import pytest

from mmfreqkd.engine import WorkDirBusyError, WorkDirLock

_HOLD = ('import sys, time\n'
         'from mmfreqkd.engine.work_dir_lock import WorkDirLock\n'
         'WorkDirLock(sys.argv[1]).acquire()\n'
         'print("held", flush=True)\n'
         'time.sleep(300)\n')


def test_one_holder_at_a_time(tmp_path):
    holder = subprocess.Popen([sys.executable, '-c', _HOLD, str(tmp_path)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == 'held'
        with pytest.raises(WorkDirBusyError, match=rf"work_dir='{tmp_path}' is in use by "
                           rf"another run: pid {holder.pid} on host"):
            WorkDirLock(str(tmp_path)).acquire()
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    assert (tmp_path / 'run.lock').exists()  # a stale record; the kernel released the lock
    lock = WorkDirLock(str(tmp_path)).acquire()
    assert str(os.getpid()) in (tmp_path / 'run.lock').read_text()
    lock.release()
    assert not (tmp_path / 'run.lock').exists()
    WorkDirLock(str(tmp_path)).acquire().release()
