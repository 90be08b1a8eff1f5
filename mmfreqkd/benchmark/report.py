"""The harness's report: ``report.md``, ``results.json`` and PNG charts of one suite's runs.

Statistics: mean ± sample standard deviation over seeds; for each of our methods against the
best baseline, the paired difference over seeds (same seed = same data order and student
initialisation) with its 95 % Student-t interval, called significant when the interval
excludes 0.
"""
import json
import math
import os
import os.path as osp
import statistics
from dataclasses import asdict, dataclass, field
from typing import Dict, List, Optional, Sequence

from ..engine.loss_balance import verdict as balance_verdict
from ..fileio import atomic_write
from .convergence import convergence_chart, convergence_lines

__all__ = ['Row', 'paired_difference', 'mean_spread', 'interval', 'verdict', 'write_report',
           'provenance_line']


@dataclass
class Row:
    """One line of a report: a run label, its role (``teacher``, ``student``, ``baseline`` or
    ``method``), the task metric per seed, the median step time (s) per seed, the peak GPU
    memory (MiB, from the training log, on a GPU), the commands that reproduce the runs and
    the peak resident memory of the training process (MiB) and, where rows are different
    models, the model's forward GFLOPs. ``failures``: why a seed's run stopped (e.g. a
    non-finite loss); such a row is reported over its other seeds and compared with none.
    ``shares``: each distillation term's gradient share on the student, averaged over the
    training and the seeds. ``ablation``: one of our methods with a part removed (reported,
    left out of the summary table); ``parent``: the label of the row it takes the part from,
    with which it is compared too. ``val_values``: where ``values`` are scored on the test
    split, the same runs' final validation (on the val split, which chooses settings)."""
    label: str
    role: str
    values: List[float]
    step_times: List[float]
    memory: Optional[float] = None
    commands: List[str] = field(default_factory=list)
    peak_rss: Optional[float] = None
    gflops: Optional[float] = None
    failures: List[str] = field(default_factory=list)
    shares: Dict[str, float] = field(default_factory=dict)
    ablation: bool = False
    val_values: List[float] = field(default_factory=list)
    parent: Optional[str] = None

    @property
    def peak_memory(self) -> Optional[float]:
        """GPU memory where the run logged it, else host memory."""
        return self.memory or self.peak_rss

    @property
    def mean(self) -> float:
        return statistics.mean(self.values)


def mean_spread(values: Sequence[float]) -> str:
    """``mean`` for one value, ``mean ± std`` (sample standard deviation) for several."""
    if len(values) == 1:
        return f'{values[0]:.2f}'
    return f'{statistics.mean(values):.2f} ± {statistics.stdev(values):.2f}'


def paired_difference(ours: Sequence[float], baseline: Sequence[float]) -> Dict:
    """Mean of ``ours[i] - baseline[i]`` and its 95 % Student-t interval (``None`` with fewer
    than 2 pairs), and whether the interval excludes 0."""
    if len(ours) != len(baseline):
        raise ValueError(f'paired runs need the same seeds: {len(ours)} vs {len(baseline)}')
    diffs = [a - b for a, b in zip(ours, baseline)]
    mean = statistics.mean(diffs)
    if len(diffs) < 2:
        return dict(mean=mean, low=None, high=None, significant=False, n=len(diffs))
    from scipy.stats import t
    half = t.ppf(0.975, len(diffs) - 1) * statistics.stdev(diffs) / math.sqrt(len(diffs))
    return dict(mean=mean, low=mean - half, high=mean + half,
                significant=bool(mean - half > 0 or mean + half < 0), n=len(diffs))


def interval(comparison: Dict) -> str:
    """A paired difference's 95 % interval, e.g. ``[-0.96, +1.46]``."""
    if comparison['low'] is None:
        return 'n/a (1 seed)'
    return f'[{comparison["low"]:+.2f}, {comparison["high"]:+.2f}]'


def verdict(comparison: Dict) -> str:
    """``better``, ``worse`` or ``not significant`` for a paired difference."""
    if not comparison['significant']:
        return 'not significant'
    return 'better' if comparison['mean'] > 0 else 'worse'


def _comparisons(rows: List[Row]) -> List[Dict]:
    """Each method against the best baseline; each variant against the reference; each
    ablation against the row it takes a part from, too (rows whose every seed finished: the
    differences are paired by seed)."""
    comparisons = []
    rows = [r for r in rows if not r.failures]
    for ours, theirs in (('method', 'baseline'), ('variant', 'reference')):
        candidates = [r for r in rows if r.role == theirs]
        if not candidates:
            continue
        best = max(candidates, key=lambda r: r.mean)
        comparisons += [dict(method=r.label, baseline=best.label,
                             **paired_difference(r.values, best.values))
                        for r in rows if r.role == ours]
    by_label = {r.label: r for r in rows}
    comparisons += [dict(method=r.label, baseline=r.parent,
                         **paired_difference(r.values, by_label[r.parent].values))
                    for r in rows if r.parent in by_label]
    return comparisons


def _teacher_gap(rows: List[Row]) -> Optional[float]:
    teacher = [r for r in rows if r.role == 'teacher']
    student = [r for r in rows if r.role == 'student' and r.values]
    if not teacher or not student:
        return None
    return teacher[0].mean - student[0].mean


def write_report(out_dir: str, title: str, metric: str, rows: List[Row],
                 student_info: Optional[Dict] = None, extra: Sequence[str] = (),
                 provenance: Optional[Dict[str, str]] = None,
                 tuning: Sequence[Dict] = (), convergence: Optional[Dict] = None,
                 command: Optional[str] = None) -> Dict:
    """Write ``report.md``, ``summary.md`` (its tables without the title and commands),
    ``scores.md`` (the scores and paired differences alone, which a rerun reproduces exactly),
    ``results.json`` and the charts of ``rows`` to ``out_dir``; return the results dict. A
    comparison whose teacher does not beat the no-KD student is not reported: a warning stands
    in its place (distillation has nothing to transfer then). ``extra``: Markdown lines of a
    suite's analysis, added after the tables. ``provenance``: what the runs were made from
    (:func:`~mmfreqkd.benchmark.provenance.stamp`), stated under the tables. ``tuning``: per
    tuned row, its ``settings``, their validation ``scores`` (``None``: the run stopped) and
    the index ``chosen``, tabled and plotted (``tuning.png``). ``convergence``: the no-KD
    student's scores by schedule length (:class:`~mmfreqkd.benchmark.convergence.Convergence`
    as a dict), tabled and plotted (``convergence.png``). ``command``: the command that made
    the report (``tools/benchmark.py ...``), recorded for publishing it."""
    os.makedirs(out_dir, exist_ok=True)
    gap = _teacher_gap(rows)
    valid = gap is None or gap > 0
    comparisons = _comparisons(rows) if valid else []
    student = next((r for r in rows if r.role in ('student', 'reference')), None)
    lines = [f'# {title}', '']
    if not valid:
        lines += [f'> **WARNING: the teacher does not beat the no-KD student** ({metric} '
                  f'{gap:+.2f}): there is nothing to distil, so no comparison is reported. '
                  'Train the teacher longer or use a narrower student.', '']
    lines += _table(rows, metric, student)
    if any(r.val_values for r in rows):
        lines += ['', f'{metric}, test: each run scored on the held-out test split, which no '
                  'choice is made on; val: the same runs\' final validation, on the val split. '
                  'Spreads and differences below are of the test scores.']
    if valid and gap is not None and len(student.values) > 1:
        spread = statistics.stdev(student.values)
        lines += ['', f'Teacher minus no-KD student: {gap:+.2f} {metric}; the no-KD student\'s '
                  f'standard deviation over seeds is {spread:.2f} ({spread / gap:.2f} of that '
                  'gap).']
    lines += _difference_table(comparisons, metric)
    if student_info:
        who = 'Student' if any(r.role == 'teacher' for r in rows) else f'Model ({student.label})'
        lines += ['', f'{who}: ' + ', '.join(f'{k} {v}' for k, v in student_info.items())]
    stopped = [f'- {r.label}, {reason}' for r in rows for reason in r.failures]
    if stopped:
        lines += ['', 'Runs that stopped (reported over their other seeds, compared with '
                  'nothing):', '', *stopped]
    lines += _share_table(rows)
    lines += _tuning_table(tuning, metric)
    lines += convergence_lines(convergence, metric)
    lines += list(extra)
    lines += ['', f'Peak memory: {_memory_kind(rows)}.']
    if provenance:
        lines += ['', provenance_line(provenance)]
    summary = lines[2:]  # without the title: what the README shows
    lines += ['', 'Every run is an ordinary training command (first seed shown; others differ in '
              '`randomness.seed` and the work dir):', '']
    lines += [f'- {r.label}: `{r.commands[0]}`' for r in rows if r.commands]
    results = dict(title=title, metric=metric, teacher_gap=gap, comparison_valid=valid,
                   rows=[asdict(r) for r in rows], comparisons=comparisons,
                   student=student_info or {}, provenance=provenance or {},
                   tuning=list(tuning), convergence=convergence, command=command)
    atomic_write(osp.join(out_dir, 'report.md'), '\n'.join(lines) + '\n')
    atomic_write(osp.join(out_dir, 'summary.md'), '\n'.join(summary) + '\n')
    atomic_write(osp.join(out_dir, 'scores.md'),
                 '\n'.join(_score_table(rows, metric) + _difference_table(comparisons, metric))
                 + '\n')
    atomic_write(osp.join(out_dir, 'results.json'), json.dumps(results, indent=2))
    _charts(out_dir, metric, rows)
    if tuning:
        _tuning_chart(out_dir, metric, tuning)
    if convergence:
        convergence_chart(out_dir, metric, convergence)
    return results


def _difference_table(comparisons: List[Dict], metric: str) -> List[str]:
    """Each comparison's paired difference over seeds, its interval and verdict."""
    if not comparisons:
        return []
    return ['', f'Paired differences over seeds ({metric}, each row minus the one it is '
            'compared with, 95 % Student-t interval):', '', '| run | vs | difference '
            '| 95 % interval | verdict |', '|---|---|---|---|---|'] + [
        f'| {c["method"]} | {c["baseline"]} | {c["mean"]:+.2f} | {interval(c)} '
        f'| {verdict(c)} |' for c in comparisons]


def _score_table(rows: List[Row], metric: str) -> List[str]:
    """The rows' scores alone (no times or memory, which vary from run to run): what a
    rerun of the suite from nothing reproduces to the last digit (``scores.md``)."""
    val = any(r.val_values for r in rows)
    lines = [f'| run | role | {metric}' + (', test | val' if val else '') + ' | seeds |',
             '|---|---|---|' + ('---|' if val else '') + '---|']
    for row in rows:
        score = mean_spread(row.values) if row.values else 'stopped'
        validation = (f' {mean_spread(row.val_values) if row.val_values else "-"} |'
                      if val else '')
        lines.append(f'| {row.label} | {row.role} | {score} |{validation} {len(row.values)} |')
    return lines


def _tuning_table(tuning: Sequence[Dict], metric: str) -> List[str]:
    """Each tuned row's validation score per setting, the chosen one in bold."""
    if not tuning:
        return []
    settings = tuning[0]['settings']
    lines = ['', f'Tuning: every distillation row at the first seed, as configured and with its '
             f'terms calibrated to each gradient share; {metric} on the val split, the chosen '
             'setting in bold (it is the row above, at every seed):', '',
             '| row | ' + ' | '.join(settings) + ' |', '|---|' + '---|' * len(settings)]
    for tuned in tuning:
        cells = ['stopped' if score is None else f'{score:.2f}' for score in tuned['scores']]
        cells[tuned['chosen']] = f'**{cells[tuned["chosen"]]}**'
        lines.append(f'| {tuned["row"]} | ' + ' | '.join(cells) + ' |')
    return lines


def _tuning_chart(out_dir: str, metric: str, tuning: Sequence[Dict]) -> None:
    """``tuning.png``: each tuned row's validation score against the gradient share (the
    configured setting as a dashed line)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 4))
    ax = fig.subplots()
    for index, tuned in enumerate(tuning):
        color = f'C{index % 10}'
        shares = [float(s) for s in tuned['settings'][1:]]
        points = [(x, y) for x, y in zip(shares, tuned['scores'][1:]) if y is not None]
        if points:
            ax.plot(*zip(*points), 'o-', color=color, label=tuned['row'])
        if tuned['scores'][0] is not None:
            ax.axhline(tuned['scores'][0], color=color, linestyle='--', linewidth=0.8)
    ax.set_xscale('log')
    ax.set_xlabel('gradient share of each distillation term (dashed: as configured)')
    ax.set_ylabel(f'{metric} (val)')
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(osp.join(out_dir, 'tuning.png'), dpi=100)


def provenance_line(provenance: Dict[str, str]) -> str:
    """What a report was made from, in one line: the commit, the code and data hashes and the
    stack's versions."""
    made = dict(provenance)
    head = (f'Made from commit `{made.pop("commit")}`: training code `{made.pop("training_code")}`'
            f', report code `{made.pop("report_code")}`, data `{made.pop("data")}`')
    return head + '; ' + ', '.join(f'{k} {v}' for k, v in made.items()) + '.'


def _share_table(rows: List[Row]) -> List[str]:
    """Each distillation row's terms with their gradient shares (see :class:`Row`)."""
    rows = [r for r in rows if r.shares]
    if not rows:
        return []
    lines = ['', "Gradient share of each distillation term on the student (the norm of its "
             "gradient over the task loss's, logged every 50 iterations by LossBalanceHook, "
             "mean over the training and the seeds; 'off' below 0.01, 'dominates' above 10):",
             '', '| run | term: share |', '|---|---|']
    for row in rows:
        terms = [f'{name.replace("distill.", "")} {share:.3g}'
                 + (f' ({balance_verdict(share)})' if balance_verdict(share) else '')
                 for name, share in row.shares.items()]
        lines.append(f'| {row.label} | {", ".join(terms)} |')
    return lines


def _memory_kind(rows: List[Row]) -> str:
    if any(r.memory for r in rows):
        return 'GPU memory allocated, as mmengine logs it'
    return 'peak resident memory of the training process (host RAM)'


def _table(rows: List[Row], metric: str, base: Optional[Row]) -> List[str]:
    """The main table; step times relative to ``base`` (the no-KD student or reference)."""
    flops = any(r.gflops for r in rows)
    val = any(r.val_values for r in rows)
    base_step = statistics.median(base.step_times) if base and base.step_times else None
    versus = 'no-KD' if base is None or base.role == 'student' else base.label
    lines = [f'| run | role | {metric}' + (', test | val' if val else '') + ' | seeds | step '
             f'time (s) | step vs {versus} | peak memory (MiB) |' + (' GFLOPs |' if flops else ''),
             '|---|---|---|---|---|---|---|' + ('---|' if val else '') + ('---|' if flops else '')]
    for row in rows:
        seeds = f'{len(row.values)}' + (f' ({len(row.failures)} stopped)' if row.failures
                                        else '')
        if not row.values:
            lines.append(f'| {row.label} | {row.role} | stopped |' + (' - |' if val else '')
                         + f' {seeds} | - | - | - |' + (' - |' if flops else ''))
            continue
        step = statistics.median(row.step_times) if row.step_times else None
        ratio = f'{step / base_step:.2f}x' if base_step and step else '-'
        memory = f'{row.peak_memory:.0f}' if row.peak_memory else '-'
        validation = (f' {mean_spread(row.val_values)} |' if row.val_values else ' - |'
                      ) if val else ''
        lines.append(f'| {row.label} | {row.role} | {mean_spread(row.values)} |{validation} '
                     f'{seeds} | {"-" if step is None else f"{step:.3f}"} | {ratio} | {memory} |'
                     + (f' {row.gflops:.4f} |' if flops else ''))
    return lines


def _charts(out_dir: str, metric: str, rows: List[Row]) -> None:
    """``metric.png`` (mean and std per run), ``step_time.png`` (median step time and peak
    memory per run) and ``metric_vs_time.png``."""
    from matplotlib.figure import Figure  # no pyplot: the global backend stays the user's

    rows = [r for r in rows if r.values]
    labels = [r.label for r in rows]
    means = [r.mean for r in rows]
    stds = [statistics.stdev(r.values) if len(r.values) > 1 else 0 for r in rows]
    steps = [statistics.median(r.step_times) if r.step_times else 0 for r in rows]
    memory = [r.peak_memory or 0 for r in rows]
    for name, panels in (('metric', [(means, stds, metric)]),
                         ('step_time', [(steps, None, 'step time (s)'),
                                        (memory, None, 'peak memory (MiB)')])):
        fig = Figure(figsize=(1.6 * len(rows) + 2, 3.5 * len(panels)))
        axes = fig.subplots(len(panels), 1, squeeze=False)
        for ax, (values, errors, ylabel) in zip(axes[:, 0], panels):
            ax.bar(range(len(rows)), values, yerr=errors, capsize=4, color='#4477aa')
            ax.set_xticks(range(len(rows)), labels, rotation=20, ha='right')
            ax.set_ylabel(ylabel)
        fig.tight_layout()
        fig.savefig(osp.join(out_dir, f'{name}.png'), dpi=100)
    fig = Figure(figsize=(5, 3.5))
    ax = fig.subplots()
    trained = [i for i, r in enumerate(rows) if r.step_times]  # rows of a training run
    steps, means, stds, labels = ([values[i] for i in trained]
                                  for values in (steps, means, stds, labels))
    ax.errorbar(steps, means, yerr=stds, fmt='o', capsize=4)
    for x, y, label in zip(steps, means, labels):
        ax.annotate(label, (x, y), textcoords='offset points', xytext=(4, 4), fontsize=8)
    ax.set_xlabel('step time (s)')
    ax.set_ylabel(metric)
    fig.tight_layout()
    fig.savefig(osp.join(out_dir, 'metric_vs_time.png'), dpi=100)
