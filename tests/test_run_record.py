"""The run record: trust by content hash, the newest intact checkpoint; atomic writes."""
import os

import pytest

from mmfreqkd.fileio import atomic_write, sha256_of
from mmfreqkd.run_record import RECORD_FILE, RunRecord, written_by_run


def test_trust_is_by_content_not_by_place(tmp_path):
    (tmp_path / 'iter_1.pth').write_bytes(b'one')
    RunRecord(str(tmp_path)).add(str(tmp_path / 'iter_1.pth'))
    (tmp_path / 'downloaded.pth').write_bytes(b'two')
    assert written_by_run(str(tmp_path / 'iter_1.pth'), str(tmp_path))
    assert not written_by_run(str(tmp_path / 'downloaded.pth'), str(tmp_path))
    copy = tmp_path / 'sub' / 'copy.pth'
    copy.parent.mkdir()
    copy.write_bytes(b'one')  # the same bytes: the run's own checkpoint, wherever it lies
    assert written_by_run(str(copy), str(tmp_path))
    assert not written_by_run('https://example.org/iter_1.pth', str(tmp_path))
    assert not written_by_run(str(tmp_path / 'iter_1.pth'), str(tmp_path / 'missing'))


def test_newest_intact_skips_damaged_and_forgotten_files(tmp_path):
    record = RunRecord(str(tmp_path))
    for i in (1, 2, 3):
        (tmp_path / f'iter_{i}.pth').write_bytes(b'x' * i)
        record.add(str(tmp_path / f'iter_{i}.pth'))
    assert RunRecord(str(tmp_path)).newest_intact() == str(tmp_path / 'iter_3.pth')
    (tmp_path / 'iter_3.pth').write_bytes(b'yyy')
    assert RunRecord(str(tmp_path)).newest_intact() == str(tmp_path / 'iter_2.pth')
    record.forget(str(tmp_path / 'iter_2.pth'))
    assert RunRecord(str(tmp_path)).newest_intact() == str(tmp_path / 'iter_1.pth')
    entry = RunRecord(str(tmp_path)).entry(str(tmp_path / 'iter_1.pth'))
    assert entry['sha256'] == sha256_of(str(tmp_path / 'iter_1.pth')) and entry['bytes'] == 1


def test_a_damaged_record_is_named(tmp_path):
    (tmp_path / RECORD_FILE).write_text('{"checkp')
    with pytest.raises(RuntimeError, match=f'{RECORD_FILE} is not a run record'):
        RunRecord(str(tmp_path))


def test_atomic_write_leaves_the_old_file_when_it_fails(tmp_path):
    target = tmp_path / 'last_checkpoint'
    atomic_write(str(target), 'old')

    with pytest.raises(TypeError):
        atomic_write(str(target), object())
    assert target.read_text() == 'old'
    assert os.listdir(tmp_path) == ['last_checkpoint']  # no temporary file left behind
