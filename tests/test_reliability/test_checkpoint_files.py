"""Rows 'an empty / a truncated checkpoint', '--resume /any/path.pth' and '--resume with an
empty or mistyped work dir': errors name the file and the config key or flag; a file outside
the run's work dir is external (weights-only unless trusted); nothing to resume is said
plainly."""

import pytest
import torch
from conftest import TouchOnLoad
from runs import SEG_STUDENT, schedule, tool, train

from mmfreqkd.checkpoint import CorruptCheckpointError, torch_load, trusted_checkpoints


def _damaged(tmp_path):
    good = tmp_path / 'good.pth'
    torch.save(dict(state_dict=dict(w=torch.randn(64, 64))), good)
    files = dict(empty=tmp_path / 'empty.pth', truncated=tmp_path / 'truncated.pth',
                 text=tmp_path / 'notes.pth')
    files['empty'].write_bytes(b'')
    files['truncated'].write_bytes(good.read_bytes()[:good.stat().st_size // 2])
    files['text'].write_text('not a checkpoint\n')
    return files


@pytest.mark.parametrize('kind', ['empty', 'truncated', 'text'])
@pytest.mark.parametrize('trusted', [False, True])
def test_damaged_files_are_named_with_their_config_key(kind, trusted, tmp_path):
    path = str(_damaged(tmp_path)[kind])
    with trusted_checkpoints([path] if trusted else [], key='model.teacher_ckpt'):
        with pytest.raises(CorruptCheckpointError) as err:
            torch_load(path)
    assert f"model.teacher_ckpt='{path}'" in str(err.value)
    assert ('empty (0 bytes)' if kind == 'empty' else 'cannot be read') in str(err.value)


@pytest.mark.usefixtures('embedded_data')
def test_tools_test_names_the_damaged_file_and_load_from(tmp_path):
    path = str(_damaged(tmp_path)['truncated'])
    result = tool(['tools/test.py', SEG_STUDENT, path, '--work-dir', str(tmp_path / 'w')],
                  check=False)
    assert result.returncode != 0
    assert f"CorruptCheckpointError: load_from='{path}'" in result.stderr


@pytest.fixture(scope='module')
def finished_run(embedded_data, tmp_path_factory):
    work = tmp_path_factory.mktemp('finished')
    train(SEG_STUDENT, work, schedule(SEG_STUDENT, 2, 2))
    return work


def test_resume_from_a_file_outside_the_work_dir_is_external(finished_run, tmp_path):
    outside = tmp_path / 'elsewhere.pth'
    ckpt = torch.load(finished_run / 'iter_2.pth', map_location='cpu', weights_only=False)
    marker = tmp_path / 'ran'
    ckpt['payload'] = TouchOnLoad(str(marker))
    torch.save(ckpt, outside)
    options = schedule(SEG_STUDENT, 3, 3)
    refused = train(SEG_STUDENT, tmp_path / 'new', options, extra=['--resume', str(outside)],
                    check=False)
    assert refused.returncode != 0 and not marker.exists()
    assert f"Refusing to unpickle resume='{outside}'" in refused.stderr
    assert 'pass --trust-checkpoint to tools/train.py' in refused.stderr
    trusted = train(SEG_STUDENT, tmp_path / 'new', options,
                    extra=['--resume', str(outside), '--trust-checkpoint'])
    assert 'resumed epoch: 0, iter: 2' in trusted.stdout + trusted.stderr
    assert marker.exists()  # the user vouched for the file


def test_tools_test_refusal_names_its_own_flag(finished_run, tmp_path):
    outside = tmp_path / 'copy.pth'
    outside.write_bytes((finished_run / 'iter_2.pth').read_bytes())  # pickles HistoryBuffer
    result = tool(['tools/test.py', SEG_STUDENT, str(outside), '--work-dir',
                   str(tmp_path / 'w')], check=False)
    assert result.returncode != 0
    assert 'pass --trust-checkpoint to tools/test.py' in result.stderr
    assert 'mmengine.logging.history_buffer.HistoryBuffer' in result.stderr
    tool(['tools/test.py', SEG_STUDENT, str(outside), '--work-dir', str(tmp_path / 'w'),
          '--trust-checkpoint'])


@pytest.mark.usefixtures('embedded_data')
def test_resume_with_nothing_to_resume_says_so(tmp_path):
    result = train(SEG_STUDENT, tmp_path / 'typo', schedule(SEG_STUDENT, 1, 1),
                   extra=['--resume'])
    log = result.stdout + result.stderr
    assert 'there is no checkpoint to resume from' in log
    assert str(tmp_path / 'typo') in log
    assert 'latest checkpoint None' not in log
