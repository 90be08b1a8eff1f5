"""mmfreqkd.benchmark.provenance: a data set is identified by its files' contents, the code by
its modules' contents, a run's identity follows the training code, and the commit is git's."""
import subprocess

import pytest
from conftest import REPO_ROOT

from mmfreqkd.benchmark import content_hash, provenance

RETINANET = 'configs/embedded/retinanet_r18w8_fpn_1xb4-1k_densedet-128x128.py'


def _tree(root, files):
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return str(root)


def test_data_hash_follows_contents_and_names_not_copies(tmp_path):
    files = {'img/a.png': b'abc', 'ann/a.txt': b'1 2 3'}
    reference = provenance.data_hash(_tree(tmp_path / 'one', files))
    assert provenance.data_hash(_tree(tmp_path / 'copy', files)) == reference
    # same sizes, one byte different
    assert provenance.data_hash(_tree(tmp_path / 'byte', dict(files, **{'img/a.png': b'abd'}))
                                ) != reference
    renamed = {'img/b.png': b'abc', 'ann/a.txt': b'1 2 3'}
    assert provenance.data_hash(_tree(tmp_path / 'renamed', renamed)) != reference


def test_code_hash_follows_the_files_it_covers_and_skips_the_excluded(tmp_path, monkeypatch):
    root = _tree(tmp_path, {'pkg/a.py': b'x = 1\n', 'pkg/bench/r.py': b'y = 2\n'})
    monkeypatch.setattr(provenance, '_root', lambda: root)
    before = provenance._files_hash(['pkg/**/*.py'], exclude=['pkg/bench/*.py'])
    (tmp_path / 'pkg' / 'bench' / 'r.py').write_bytes(b'y = 3\n')
    assert provenance._files_hash(['pkg/**/*.py'], exclude=['pkg/bench/*.py']) == before
    assert provenance._files_hash(['pkg/**/*.py']) != \
        provenance._files_hash(['pkg/**/*.py'], exclude=['pkg/bench/*.py'])
    (tmp_path / 'pkg' / 'a.py').write_bytes(b'x = 2\n')
    assert provenance._files_hash(['pkg/**/*.py'], exclude=['pkg/bench/*.py']) != before


def test_a_runs_identity_follows_the_training_code(monkeypatch):
    """A run trained by other code is never reused: its work dir's name changes with it."""
    base = content_hash(RETINANET, [])
    monkeypatch.setattr(provenance, 'training_code_hash', lambda: 'other0code00')
    assert content_hash(RETINANET, []) != base


def test_the_report_code_covers_the_training_code(monkeypatch):
    base = provenance.report_code_hash()
    provenance.report_code_hash.cache_clear()
    monkeypatch.setattr(provenance, 'training_code_hash', lambda: 'other0code00')
    try:
        assert provenance.report_code_hash() != base
    finally:
        provenance.report_code_hash.cache_clear()


def test_commit_is_gits_head_and_says_when_tracked_files_changed():
    def git(*args):
        return subprocess.run(['git', *args], cwd=REPO_ROOT, capture_output=True, text=True)

    head = git('rev-parse', 'HEAD')
    if head.returncode != 0:
        pytest.skip('not a git checkout')
    changed = bool(git('status', '--porcelain', '--untracked-files=no').stdout.strip())
    assert provenance.commit() == head.stdout.strip() + ('+changes' if changed else '')


def test_stamp_names_the_stack_versions(tmp_path):
    from importlib.metadata import version
    made = provenance.stamp(_tree(tmp_path, {'a': b'1'}))
    assert made['torch'] == version('torch') and made['mmengine'] == version('mmengine')
    assert set(provenance.STACK_PACKAGES) <= set(made)
    # each codebase by the module it installs, whatever its distribution's name
    import mmrotate
    import mmseg
    assert (made['mmrotate'], made['mmsegmentation']) == (mmrotate.__version__,
                                                          mmseg.__version__)
    assert made['data'] == provenance.data_hash(str(tmp_path))
