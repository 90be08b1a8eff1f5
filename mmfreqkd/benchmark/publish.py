"""Publish a suite's results in Markdown files, so the published tables are the harness's own
output, never typed by hand: its full tables between the markers ``<!-- benchmark:NAME -->``
and ``<!-- /benchmark:NAME -->`` (:func:`update_section`), and its line(s) of the one-table
summary of every suite between ``<!-- benchmark:summary -->`` and its closing marker
(:func:`update_summary`)."""
import re
from typing import Dict, List, Optional, Sequence

from .report import interval, mean_spread, paired_difference, verdict

__all__ = ['markers', 'section_text', 'update_section', 'summary_lines', 'update_summary']

#: The summary table's header: a line per comparison of one of our methods.
SUMMARY_HEADER = ('| suite | metric | teacher | student, no KD | best baseline | ours '
                  '| ours minus best baseline (95 % interval) | ours minus no KD |\n'
                  '|---|---|---|---|---|---|---|---|')


def markers(name: str):
    """The opening and closing marker of section ``name`` (a suite's name or ``summary``)."""
    return f'<!-- benchmark:{name} -->', f'<!-- /benchmark:{name} -->'


def _find_section(path: str, name: str) -> 're.Match':
    """Section ``name`` of ``path``'s text (group 1: what lies between its markers).

    Raises:
        ValueError: naming the file and the missing marker when the section does not exist.
    """
    start, end = markers(name)
    with open(path) as f:
        match = re.search(re.escape(start) + r'\n(.*?)' + re.escape(end), f.read(), re.S)
    if not match:
        raise ValueError(f'{path}: no section for {name!r}; add the lines {start} and {end} '
                         'where its table belongs')
    return match


def section_text(path: str, name: str) -> str:
    """What lies between section ``name``'s markers in ``path``.

    Raises:
        ValueError: naming the file and the missing marker when the section does not exist.
    """
    return _find_section(path, name).group(1)


def update_section(path: str, name: str, text: str) -> None:
    """Replace what lies between section ``name``'s markers in ``path`` by ``text``.

    Raises:
        ValueError: naming the file and the missing marker when the section does not exist.
    """
    match = _find_section(path, name)
    start, end = markers(name)
    content = match.string
    with open(path, 'w') as f:
        f.write(f'{content[:match.start()]}{start}\n{text.rstrip()}\n{end}'
                f'{content[match.end():]}')


def summary_lines(name: str, results: Dict) -> List[str]:
    """Suite ``name``'s lines of the summary table from its ``results.json``: one per our
    method (ablation rows left to the suite's report) compared with the best baseline, with
    its paired difference to the no-KD student too (a baseline can be worse than no
    distillation); none for a suite without a teacher."""
    rows = {row['label']: row for row in results['rows']}
    teacher = next((row for row in results['rows'] if row['role'] == 'teacher'), None)
    student = next((row for row in results['rows'] if row['role'] == 'student'), None)
    if teacher is None or student is None:
        return []

    def cell(row: Dict) -> str:
        return mean_spread(row['values']) if row['values'] else 'stopped'

    def difference(comparison: Dict) -> str:
        return f'{comparison["mean"]:+.2f} {interval(comparison)}, {verdict(comparison)}'

    head = f'| {name} | {results["metric"]} | {cell(teacher)} | {cell(student)} |'
    if not results['comparison_valid']:
        return [f'{head} withheld: the teacher does not beat the no-KD student | - | - | - |']
    lines = []
    for c in results['comparisons']:
        ours = rows[c['method']]
        if ours.get('ablation'):  # reports written before the flag name none
            continue
        versus_student = ('-' if student.get('failures') else  # older reports lack it
                          difference(paired_difference(ours['values'], student['values'])))
        lines.append(f'{head} {c["baseline"]}: {cell(rows[c["baseline"]])} | {c["method"]}: '
                     f'{cell(ours)} | {difference(c)} | {versus_student} |')
    return lines


def update_summary(path: str, name: str, lines: List[str], order: Sequence[str],
                   made_from: Optional[str] = None) -> None:
    """Replace suite ``name``'s lines of the summary table in ``path`` by ``lines``, keep the
    other suites' lines, and sort the suites by ``order`` (unknown names last). ``made_from``:
    what the suite's report was made from (:func:`~mmfreqkd.benchmark.report.provenance_line`),
    listed under the table, a line per suite."""
    table: Dict[str, List[str]] = {}
    stamps: Dict[str, str] = {}
    for line in _find_section(path, 'summary').group(1).splitlines()[2:]:
        if line.startswith('|'):
            table.setdefault(line.split('|')[1].strip(), []).append(line)
        elif line.startswith('- '):
            stamps[line[2:].split(':')[0]] = line
    table[name] = lines
    if made_from:
        stamps[name] = f'- {name}: {made_from}'
    rank = {suite: i for i, suite in enumerate(order)}

    def ranked(names):
        return sorted(names, key=lambda suite: rank.get(suite, len(rank)))

    footnotes = [stamps[suite] for suite in ranked(stamps)]
    update_section(path, 'summary', '\n'.join(
        [SUMMARY_HEADER] + [line for suite in ranked(table) for line in table[suite]]
        + ([''] + footnotes if footnotes else [])))
