"""mmfreqkd.benchmark.readme: a suite's tables replace its README section and nothing else;
the project's README has a section for every suite."""
import os.path as osp

import pytest
from conftest import REPO_ROOT

from mmfreqkd.benchmark import SUITES, update_section
from mmfreqkd.benchmark.readme import markers


def test_section_is_replaced_and_the_rest_kept(tmp_path):
    readme = tmp_path / 'README.md'
    seg, det = markers('seg'), markers('det')
    readme.write_text(f'intro\n{seg[0]}\nold seg\n{seg[1]}\nmiddle\n{det[0]}\nold det\n{det[1]}\n')
    update_section(str(readme), 'seg', '| new | table |\n')
    assert readme.read_text() == (f'intro\n{seg[0]}\n| new | table |\n{seg[1]}\nmiddle\n'
                                  f'{det[0]}\nold det\n{det[1]}\n')
    update_section(str(readme), 'seg', r'a \1 backslash')  # text is not a regex template
    assert r'a \1 backslash' in readme.read_text()


def test_missing_section_names_the_file_and_the_markers(tmp_path):
    readme = tmp_path / 'README.md'
    readme.write_text('no sections\n')
    with pytest.raises(ValueError, match=r"README.md: no section for suite 'rotated'.*"
                       r'<!-- benchmark:rotated -->'):
        update_section(str(readme), 'rotated', 'x')
    assert readme.read_text() == 'no sections\n'


@pytest.mark.parametrize('name', sorted(SUITES))
def test_the_readme_has_a_section_for_every_suite(name):
    with open(osp.join(REPO_ROOT, 'README.md')) as f:
        content = f.read()
    start, end = markers(name)
    assert start in content and end in content
