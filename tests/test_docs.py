"""README and docs stand alone: every relative link resolves, every file of the repository they
name exists, and nothing points outside the repository."""
import glob
import os.path as osp
import re

import pytest
from conftest import REPO_ROOT

DOCS = ['README.md'] + sorted(osp.relpath(p, REPO_ROOT) for p in glob.glob(
    osp.join(REPO_ROOT, 'docs', '**', '*.md'), recursive=True))
LINK = re.compile(r'\]\(([^)\s]+)\)')
#: `path/to/file.ext` in backticks: a file of the repository (no wildcards or alternatives)
FILE = re.compile(r'`((?:configs|tools|mmfreqkd|docs|benchmarks|tests|requirements)/'
                  r'[\w./-]+\.(?:py|md|sh|txt|yml|json))`')


@pytest.mark.parametrize('doc', DOCS)
def test_links_and_file_references_resolve(doc):
    text = open(osp.join(REPO_ROOT, doc), encoding='utf-8').read()
    missing = []
    for target in LINK.findall(text):
        if re.match(r'[a-z]+://', target) or target.startswith(('#', 'mailto:')):
            continue
        path = target.split('#', 1)[0]
        if not osp.exists(osp.normpath(osp.join(REPO_ROOT, osp.dirname(doc), path))):
            missing.append(f'link {target}')
    for path in FILE.findall(text):
        if not osp.exists(osp.join(REPO_ROOT, path)):
            missing.append(f'file {path}')
    assert not missing, missing


@pytest.mark.parametrize('doc', DOCS)
def test_nothing_points_outside_the_repository(doc):
    text = open(osp.join(REPO_ROOT, doc), encoding='utf-8').read()
    outside = [t for t in LINK.findall(text) if t.startswith('../') and not osp.normpath(
        osp.join(REPO_ROOT, osp.dirname(doc), t)).startswith(REPO_ROOT)]
    assert not outside and 'shared/' not in text, outside


@pytest.mark.parametrize('doc', [d for d in DOCS if d.startswith('docs/methods/')])
def test_each_method_note_carries_the_provenance_legend(doc):
    text = open(osp.join(REPO_ROOT, doc), encoding='utf-8').read()
    assert '**Provenance.**' in text and '**[our default]**' in text
