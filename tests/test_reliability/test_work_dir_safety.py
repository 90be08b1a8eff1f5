"""Rows 'two training runs on one work dir', 'killed while a checkpoint is saved with
max_keep_ckpts=1', 'a truncated or empty last checkpoint', 'a pickle under the work dir' and
'max_iters <= 0': real training processes of a tiny embedded config."""
import json
import os
import os.path as osp
import signal
import subprocess
import sys
import time

import pytest
import torch
from conftest import REPO_ROOT, TouchOnLoad
from runs import SEG_STUDENT, schedule, train

from mmfreqkd.run_record import RECORD_FILE, RunRecord, written_by_run

#: Kills its process (SIGKILL, no clean-up) half-way through writing checkpoint ``iter_<AT>``:
#: the bytes reach the disk in two halves, the process dies between them.
KILL_DURING_SAVE = '''
import os
import signal

from mmengine.fileio.backends import LocalBackend

AT = int(os.environ['KILL_DURING_SAVE_OF'])
_put = LocalBackend.put


def put(self, obj, filepath):
    if isinstance(obj, bytes) and 'iter_%d' % AT in os.path.basename(str(filepath)):
        with open(filepath, 'wb') as f:
            f.write(obj[:len(obj) // 2])
            f.flush()
            os.fsync(f.fileno())
        os.kill(os.getpid(), signal.SIGKILL)
    return _put(self, obj, filepath)


LocalBackend.put = put
'''


def _with_plugin(tmp_path, name, source):
    (tmp_path / f'{name}.py').write_text(source)
    config = tmp_path / f'{name}_config.py'
    config.write_text(f'_base_ = {SEG_STUDENT!r}\n'
                      f"custom_imports = dict(imports=['mmfreqkd', '{name}'], "
                      'allow_failed_imports=False)\n')
    return str(config)


def _popen_train(work_dir, iters):
    """A training run of ``iters`` iterations in the background."""
    return subprocess.Popen(
        [sys.executable, 'tools/train.py', SEG_STUDENT, '--work-dir', str(work_dir),
         '--cfg-options', *schedule(SEG_STUDENT, iters, iters)],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=dict(os.environ, PYTHONUNBUFFERED='1'))


def _wait_for_lock(work_dir, proc, timeout=300):
    """The lock record of the run ``proc`` once it holds ``work_dir`` and has copied its
    whole config there (the end of its runner's construction; the copy ends with work_dir)."""
    lock, copy = osp.join(work_dir, 'run.lock'), osp.join(work_dir, osp.basename(SEG_STUDENT))
    deadline = time.time() + timeout
    while time.time() < deadline:
        if osp.exists(copy) and open(copy).read().rstrip().endswith(f"work_dir = '{work_dir}'") \
                and osp.exists(lock) and osp.getsize(lock):
            return json.loads(open(lock).read())
        assert proc.poll() is None, proc.communicate()[0][-3000:]
        time.sleep(0.2)
    raise AssertionError('the first run did not take its work dir in time')


@pytest.mark.slow
@pytest.mark.usefixtures('embedded_data')
def test_a_second_run_on_a_work_dir_in_use_stops_at_once(tmp_path):
    """Row 'two training runs started on the same --work-dir': the second stops before it
    writes anything, naming the work dir and the holder; after a kill -9 of the holder, the
    next run takes the stale lock over with a warning and trains."""
    work = tmp_path / 'shared'
    first = _popen_train(work, 5000)
    try:
        holder = _wait_for_lock(str(work), first)
        assert holder['pid'] == first.pid
        logs = sorted(d for d in os.listdir(work) if osp.isdir(work / d))
        second = train(SEG_STUDENT, work, schedule(SEG_STUDENT, 2, 2), check=False)
        assert second.returncode != 0
        assert 'WorkDirBusyError' in second.stderr
        assert f"work_dir='{work}' is in use by another run: pid {first.pid}" in second.stderr
        # nothing of the first run overwritten: its config copy, no log folder of the second
        copied = (work / osp.basename(SEG_STUDENT)).read_text()
        assert 'max_iters=5000' in copied and 'max_iters=2,' not in copied
        assert sorted(d for d in os.listdir(work) if osp.isdir(work / d)) == logs
        assert first.poll() is None
    finally:
        first.send_signal(signal.SIGKILL)
        first.communicate()
    third = train(SEG_STUDENT, work, schedule(SEG_STUDENT, 2, 2))
    log = third.stdout + third.stderr
    assert f'taking over the lock of a run that ended without releasing it (pid {first.pid}' \
        in log
    assert osp.isfile(work / 'iter_2.pth') and not osp.exists(work / 'run.lock')


@pytest.mark.usefixtures('embedded_data')
def test_kill_while_saving_with_max_keep_ckpts_1_leaves_a_checkpoint_to_resume(tmp_path):
    """Row 'max_keep_ckpts=1, process killed while a checkpoint is being saved': the old
    checkpoint stays until the new one is complete, no partial file carries a checkpoint's
    name, last_checkpoint names an intact file, and --resume continues to the end."""
    config = _with_plugin(tmp_path, 'kill_during_save', KILL_DURING_SAVE)
    work = tmp_path / 'run'
    options = [*schedule(SEG_STUDENT, 4, 1), 'default_hooks.checkpoint.max_keep_ckpts=1']
    killed = subprocess.run(
        [sys.executable, 'tools/train.py', config, '--work-dir', str(work), '--cfg-options',
         *options], cwd=REPO_ROOT, capture_output=True, text=True, timeout=900,
        env=dict(os.environ, PYTHONPATH=str(tmp_path), KILL_DURING_SAVE_OF='3'))
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-3000:]
    assert sorted(f for f in os.listdir(work) if f.endswith('.pth')) == ['iter_2.pth']
    pointer = (work / 'last_checkpoint').read_text()
    assert pointer == str(work / 'iter_2.pth')
    assert RunRecord(str(work)).intact(RunRecord(str(work)).entry(pointer))
    resumed = train(SEG_STUDENT, work, options, extra=['--resume'])
    assert 'resumed epoch: 0, iter: 2' in resumed.stdout + resumed.stderr
    assert sorted(f for f in os.listdir(work) if f.endswith('.pth')) == ['iter_4.pth']
    assert not [f for f in os.listdir(work) if f.endswith('.partial')]


@pytest.fixture(scope='module')
def two_checkpoints(embedded_data, tmp_path_factory):
    work = tmp_path_factory.mktemp('two')
    train(SEG_STUDENT, work, schedule(SEG_STUDENT, 4, 2))
    return work


@pytest.mark.parametrize('damage, newest_intact', [('truncated', 2), ('missing', 2),
                                                   ('empty pointer', 4)])
def test_resume_falls_back_to_the_newest_intact_checkpoint(two_checkpoints, tmp_path, damage,
                                                           newest_intact):
    """Row 'the checkpoint named by last_checkpoint is truncated, or last_checkpoint is
    empty': resume continues from the newest intact checkpoint and says so; the run then ends
    with the uninterrupted run's weights."""
    work = tmp_path / 'run'
    work.mkdir()
    for name in ('iter_2.pth', 'iter_4.pth', RECORD_FILE):  # the record names them relatively
        (work / name).write_bytes((two_checkpoints / name).read_bytes())
    (work / 'last_checkpoint').write_text(str(work / 'iter_4.pth'))
    latest = work / 'iter_4.pth'
    if damage == 'truncated':
        latest.write_bytes(latest.read_bytes()[:1000])
    elif damage == 'empty pointer':
        (work / 'last_checkpoint').write_text('')
    else:
        latest.unlink()
    resumed = train(SEG_STUDENT, work, schedule(SEG_STUDENT, 4, 2), extra=['--resume'])
    log = resumed.stdout + resumed.stderr
    fallback = work / f'iter_{newest_intact}.pth'
    assert f'resuming from the newest intact checkpoint instead: {fallback}' in log
    assert f'resumed epoch: 0, iter: {newest_intact}' in log
    resumed_end, uninterrupted_end = (
        torch.load(p, map_location='cpu', weights_only=False)['state_dict']
        for p in (work / 'iter_4.pth', two_checkpoints / 'iter_4.pth'))
    assert all(torch.equal(resumed_end[k], uninterrupted_end[k]) for k in uninterrupted_end)


def test_only_recorded_checkpoints_are_trusted(two_checkpoints, tmp_path):
    """Row 'a pickle that runs code, placed anywhere under the work dir': trust follows the run
    record's hashes, not the file's place; load_from of such a file does not run its code."""
    work = tmp_path / 'project'
    work.mkdir()
    marker = tmp_path / 'ran'
    planted = work / 'pretrained.pth'
    torch.save(dict(state_dict={}, payload=TouchOnLoad(str(marker))), planted)
    assert not written_by_run(str(planted), str(work))
    assert written_by_run(str(two_checkpoints / 'iter_2.pth'), str(two_checkpoints))
    tampered = two_checkpoints / 'copy.pth'
    tampered.write_bytes((two_checkpoints / 'iter_2.pth').read_bytes() + b'x')
    assert not written_by_run(str(tampered), str(two_checkpoints))
    loaded = train(SEG_STUDENT, work, [*schedule(SEG_STUDENT, 1, 1), f'load_from={planted}'],
                   check=False)
    assert loaded.returncode != 0 and not marker.exists()
    assert f"Refusing to unpickle load_from='{planted}'" in loaded.stderr


@pytest.mark.usefixtures('embedded_data')
def test_a_schedule_without_iterations_is_an_error(tmp_path):
    """Row 'train_cfg.max_iters=-3': an error naming the key, not an exit 0 with nothing
    trained."""
    result = train(SEG_STUDENT, tmp_path / 'w', [*schedule(SEG_STUDENT, 2, 2),
                                                 'train_cfg.max_iters=-3'], check=False)
    assert result.returncode != 0
    assert 'train_cfg.max_iters=-3: a run must train at least one iter' in result.stderr
