"""Run a suite end to end: data, teacher (reused by content hash), extra stages, every row over
the seeds, then the report. Finished runs are never rerun; an interrupted one resumes."""
import glob
import math
import os
import os.path as osp
import re
import statistics
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable, Dict, List, Optional, Sequence, Tuple, Union

from ..fileio import replacing
from .convergence import convergence_of
from .experiment import (ROOT, RunResult, content_hash, data_folder, evaluate, load_config, train,
                         validation_curve)
from .provenance import stamp
from .report import Row, write_report
from .suites import Entry, Suite, calibrated

__all__ = ['run_suite', 'report_dir', 'model_cost', 'stale_report']


def _slug(label: str) -> str:
    return re.sub(r'[^a-z0-9]+', '-', label.lower()).strip('-')


def _command(result: RunResult) -> str:
    return ' '.join(result.command[1:])  # without the interpreter


def _loads_as_weights(path: str) -> bool:
    """Whether ``path`` loads as a plain (weights-only) checkpoint."""
    from ..checkpoint import CorruptCheckpointError, UnsafeCheckpointError, torch_load
    try:
        torch_load(path, map_location='cpu')
    except (CorruptCheckpointError, UnsafeCheckpointError):
        return False
    return True


def _export(config: str, checkpoint: str) -> str:
    """The teacher's last checkpoint as plain weights (``tools/export_student.py
    --weights-only``: the teacher may be a model only mmfreqkd builds), written under a
    temporary name and renamed into place; an existing export is reused only when it loads."""
    exported = osp.join(osp.dirname(checkpoint), 'exported.pth')
    if osp.exists(exported) and _loads_as_weights(exported):
        return exported
    with replacing(exported, suffix='.pth') as tmp:
        subprocess.run([sys.executable, 'tools/export_student.py', config, checkpoint, tmp,
                        '--trust-checkpoint', '--weights-only'],  # written by the harness
                       cwd=ROOT, check=True, capture_output=True)
    return exported


def _row(label: str, role: str, results: List[Union[RunResult, str]], scale: float,
         metric: str, ablation: bool = False, parent: Optional[str] = None) -> Row:
    """A report row from a run per seed: its result, or why it stopped. Its values are the
    test split's where the runs were scored on it (their validation's then kept beside)."""
    failures = [r for r in results if isinstance(r, str)]
    results = [r for r in results if not isinstance(r, str)]
    gpu = [r.memory for r in results if r.memory]
    host = [r.peak_rss for r in results if r.peak_rss]
    terms = {term for r in results for term in r.shares}
    shares = {term: statistics.fmean(r.shares[term] for r in results if term in r.shares)
              for term in sorted(terms)}
    return Row(label, role, [scale * (r.test_metrics or r.metrics)[metric] for r in results],
               [r.step_time for r in results], max(gpu) if gpu else None,
               [_command(r) for r in results], max(host) if host else None,
               failures=failures, shares=shares, ablation=ablation,
               val_values=[scale * r.metrics[metric] for r in results if r.test_metrics],
               parent=parent)


def _identity_row(suite: Suite, scale: float, metric: str) -> Row:
    """The row of the suite's degraded inputs scored as their own restorations, on the test
    split (the val split beside), as a row of one value compared with nothing."""
    from .identity import identity_scores
    splits = ('test', 'val') if suite.test else ('val', )
    scores = [scale * identity_scores(suite.identity, split)[metric] for split in splits]
    return Row('identity (the degraded input)', 'other', scores[:1], [],
               val_values=scores[1:])


def _expected_cost(entry: Entry) -> int:
    """Rank of a row's run time, longest first: our methods add the most losses and modules to
    the student's step, the baselines fewer, the student alone none. Submitting the longest
    runs first keeps ``jobs`` workers busy until the end instead of leaving one long run
    alone."""
    return {'method': 0, 'baseline': 1}.get(entry.role, 2)


def _train_or_reason(seed: int, *args, **kwargs) -> Union[RunResult, str]:
    """:func:`train`, or why the run stopped (``'seed N: <the error>'``): one diverging row
    (a baseline whose loss becomes non-finite under this schedule) must not cost the others."""
    try:
        return train(*args, seed=seed, **kwargs)
    except RuntimeError as err:
        errors = [line for line in str(err).splitlines() if 'Error' in line]
        reason = (errors[-1] if errors else str(err).splitlines()[0]).strip()
        # the exception's class without its module, and its first sentence
        reason = re.sub(r'^[\w.]*\.(\w+Error)', r'\1', reason).split('. ')[0]
        return f'seed {seed}: {reason}'


def _run_key(work_dir: str) -> str:
    """What identifies a run whatever its label: ``-<content hash>_seed<k>``, the end of its
    work dir's name (``<label slug>-<content hash>_seed<k>``)."""
    name = osp.basename(work_dir)
    return name[name.rindex('-'):]


def _same_run(work_dir: str) -> str:
    """``work_dir``, or, when only that exists, the work dir of the same run (:func:`_run_key`)
    under another label."""
    if osp.isdir(work_dir):
        return work_dir
    same = sorted(glob.glob(osp.join(glob.escape(osp.dirname(work_dir)),
                                     '*' + _run_key(work_dir))))
    return same[0] if same else work_dir


def model_cost(config: str, input_size: Sequence[int]) -> Tuple[float, float]:
    """Parameters (millions) and forward GFLOPs (``torch.utils.flop_counter``: convolutions
    and matrix products, as executed) of a config's model on one image of ``input_size``."""
    import torch
    from mmengine.model import revert_sync_batchnorm
    from mmengine.registry import MODELS, init_default_scope
    from torch.utils.flop_counter import FlopCounterMode

    cfg = load_config(config)
    init_default_scope(cfg.default_scope)
    model = revert_sync_batchnorm(MODELS.build(cfg.model)).eval()
    params = sum(p.numel() for p in model.parameters())
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        model(torch.zeros(1, 3, *input_size), mode='tensor')
    return params / 1e6, counter.get_total_flops() / 1e9


def _data_root(suite: Suite) -> str:
    """The suite's data set: an embedded one is generated (once); a full-size one must be
    where its configs read it."""
    from ..datasets import DEFAULT_ROOT, prepare
    from ..paths import embedded_data_root
    if suite.dataset:  # the configs' path, which the tools resolve to the same folder
        prepare(suite.dataset, embedded_data_root())
        return osp.join(DEFAULT_ROOT, suite.dataset)
    if not osp.isdir(osp.join(ROOT, suite.data_root)):
        raise FileNotFoundError(
            f'suite {suite.name!r} reads its data from {suite.data_root}/ (relative to '
            f'{ROOT}), which does not exist: {suite.data_help}')
    return suite.data_root


def stale_report(suite: Suite, results: Dict) -> Optional[str]:
    """Why the report ``results`` (a suite's ``results.json``) is not what the current code
    would write from the suite's data, or ``None`` when its code and data hashes are the
    current ones (:func:`~mmfreqkd.benchmark.provenance.stamp`)."""
    made = results.get('provenance') or {}
    if not made:
        return 'it names no code or data it was made from (written before reports were stamped)'
    now = stamp(data_folder(_data_root(suite)))
    changed = [f'{key} {made.get(key)} -> {now[key]}' for key in ('report_code', 'data')
               if made.get(key) != now[key]]
    if changed:
        return (f'it was made from commit {made.get("commit")}, and since then '
                + ', '.join(changed) + ' changed')
    return None


def report_dir(root: str, suite: str, failed: bool) -> str:
    """Where a suite's report goes: ``<root>/<suite>/``, or, when a run stopped,
    ``<root>/<suite>/failed/``, beside the last complete report instead of over it."""
    return osp.join(root, suite, 'failed') if failed else osp.join(root, suite)


def run_suite(suite: Suite, root: str, seeds: Sequence[int], iters: Optional[int] = None,
              progress: Callable[[str], None] = print, jobs: int = 1, gpus: int = 1,
              ablations: bool = False, calibrate: Optional[float] = None,
              tune: Sequence[float] = (), converge: Sequence[float] = (),
              command: Optional[str] = None) -> Dict:
    """Train every run of ``suite`` under ``root`` and write its report to
    ``<root>/<suite name>/`` (``report.md``, ``results.json``, charts); return the results,
    with ``failed=True`` when a run stopped (its report then goes to :func:`report_dir`'s
    ``failed/``, and the last complete report is kept).

    Args:
        suite: the suite.
        root: parent of the suite's work dirs (relative paths are from the repository root).
        seeds: seeds of the student rows (the teacher and stages train once, seed 0).
        iters: iterations of every run but the teacher's (default: the suite's; a suite
            without iterations runs its configs' own schedules); the teacher's schedule is
            scaled with it.
        progress: called with progress lines.
        calibrate: also train every baseline and method row but the ablations with its
            distillation terms calibrated to this gradient share (a second row per entry,
            labelled "..., calibrated to T").
        jobs: student runs trained at the same time, each on ``cpu_count // jobs`` CPU
            threads (the teacher and stages run one at a time, on every thread). On a CPU,
            2 small runs side by side on one thread each finish sooner than one after the
            other on two; step times are then those of one thread.
        gpus: processes of every run, one per GPU (``torch.distributed.run``).
        ablations: also train the suite's ablation rows (the report names those left out).
        tune: gradient shares: every baseline and method row but the ablations is first trained
            at the first seed as configured and with its distillation terms calibrated to each
            share (:func:`~mmfreqkd.benchmark.suites.calibrated`), and the setting with the best
            validation score (val split; the test split is not scored for a choice) is then
            trained at every seed; the report lists each row's grid and choice. An ablation row
            trains at the setting chosen for the row it takes a part from (its ``parent``), so
            that it differs from that row by the part alone.
        converge: schedule factors: the no-KD student is also trained at the first seed for
            each ``factor * iters`` iterations (validated only), the longest of them validated
            4 times along the way; the report says whether the suite's schedule has plateaued
            (:mod:`~mmfreqkd.benchmark.convergence`). Needs ``iters``.
        command: the command that runs the suite, recorded in the report.
    """
    iters = iters or suite.iters
    teacher_iters = iters
    if iters and suite.teacher_iters:
        teacher_iters = max(1, round(suite.teacher_iters * iters / suite.iters))
    root = osp.join(ROOT, root)
    metric, title, scale = suite.metric
    data_root = _data_root(suite)
    made_from = stamp(data_folder(data_root))

    def run_dir(config: str, options: List[str], name: str, length: Optional[int]) -> str:
        # named by what determines the run, so an edited config or teacher trains anew
        length_option = [f'train_cfg.max_iters={length}'] if length else []
        return osp.join(root, name.format(content_hash(
            config, [*length_option, *options], data_root)))

    entries = [e for e in suite.entries if ablations or not e.ablation]
    if calibrate is not None:
        entries += [calibrated(e, calibrate) for e in entries
                    if e.role in ('baseline', 'method') and not e.ablation]
    left_out = [e.label for e in suite.entries if e.ablation and not ablations]
    grids = {e.label: [e] + [calibrated(e, share) for share in tune] for e in entries
             if tune and e.role in ('baseline', 'method') and not e.ablation}
    if converge and not iters:
        raise ValueError(f'suite {suite.name!r}: the convergence check scales a schedule of '
                         'iterations; this suite runs its configs\' own schedules')
    lengths = sorted({max(1, round(iters * f)) for f in converge} - {iters}) if converge else []
    total = (suite.teacher is not None) + len(suite.stages) + len(entries) * len(seeds) \
        + sum(len(grid) for grid in grids.values()) + len(lengths)
    done = 0

    def step(label: str) -> str:
        nonlocal done
        done += 1
        return f'[{done}/{total}] {label}'

    rows, artifacts = [], {}
    if suite.teacher_checkpoint:
        teacher = evaluate(suite.teacher, suite.teacher_checkpoint,
                           run_dir(suite.teacher, [], f'teachers/{suite.name}-{{}}', None),
                           metric, label=step('teacher (test)'), progress=progress,
                           gpus=gpus)
        artifacts['teacher'] = suite.teacher_checkpoint
    elif suite.teacher is not None:
        teacher_dir = run_dir(suite.teacher, [], f'teachers/{suite.name}-{{}}', teacher_iters)
        teacher = train(suite.teacher, teacher_dir, teacher_iters, metric,
                        label=step('teacher'), progress=progress, gpus=gpus, test=suite.test)
        artifacts['teacher'] = _export(suite.teacher, teacher.checkpoint)
    if artifacts:
        rows.append(_row('teacher', 'teacher', [teacher], scale, metric))
    for stage in suite.stages:
        options = stage.options(artifacts)
        stage_dir = run_dir(stage.config, options, f'{suite.name}/runs/{stage.artifact}-{{}}',
                            iters)
        result = train(stage.config, stage_dir, iters, metric, options=options,
                       label=step(stage.artifact), progress=progress, gpus=gpus,
                       test=suite.test and stage.row is not None)
        artifacts[stage.artifact] = result.checkpoint
        if stage.row:
            rows.append(_row(stage.row, 'other', [result], scale, metric))
    if suite.identity:
        rows.append(_identity_row(suite, scale, metric))

    threads = max(1, (os.cpu_count() or 1) // jobs) if jobs > 1 else None

    queued: Dict[Tuple[str, bool], Tuple[Future, str]] = {}

    def submit(pool: ThreadPoolExecutor, entry: Entry, seed: int, length: Optional[int],
               label: str, extra: Sequence[str] = (), test: bool = False) -> Future:
        """Queue ``entry``'s run at ``seed`` for ``length`` iterations (its options, then
        ``extra``), in the work dir its content names; a run whose content equals one already
        queued or trained under another label (a grid point equal to the row as configured,
        a row relabelled) is that run."""
        options = [*entry.options(artifacts), *extra]
        name = run_dir(entry.config, options, f'{suite.name}/runs/{_slug(entry.label)}-{{}}',
                       length)
        work_dir = _same_run(f'{name}_seed{seed}')
        key = (_run_key(work_dir), test)
        if key in queued:
            future, same = queued[key]
            if progress:
                progress(f'{step(label)}: the same run as {same}')
            return future
        future = pool.submit(_train_or_reason, seed, entry.config, work_dir, length, metric,
                             options=options, label=step(label), progress=progress,
                             threads=threads, gpus=gpus, test=test)
        queued[key] = future, label
        return future

    def train_all(batch: List[Entry], batch_seeds: Sequence[int], test: bool
                  ) -> Dict[str, List[Union[RunResult, str]]]:
        with ThreadPoolExecutor(jobs) as pool:
            futures = {entry.label: [submit(pool, entry, seed, iters,
                                            f'{entry.label}, seed {seed}', test=test)
                                     for seed in batch_seeds]
                       for entry in sorted(batch, key=_expected_cost)}  # the longest first
            return {entry.label: [f.result() for f in futures[entry.label]] for entry in batch}

    tuning, chosen = [], {}
    if grids:  # chosen on the val split: these runs are not scored on test
        tried = train_all([c for grid in grids.values() for c in grid], seeds[:1], test=False)
        shares = {}
        for label, grid in grids.items():
            scores = [None if isinstance(tried[c.label][0], str)
                      else scale * tried[c.label][0].metrics[metric] for c in grid]
            best = max(range(len(grid)), key=lambda i: -math.inf if scores[i] is None
                       else scores[i])
            chosen[label] = grid[best]
            shares[label] = tune[best - 1] if best else None
            tuning.append(dict(row=label, settings=['as configured', *map(str, tune)],
                               scores=scores, chosen=best))
        # an ablation trains at the setting chosen for the row it takes a part from
        entries = [chosen.get(e.label) or (calibrated(e, shares[e.parent])
                                           if shares.get(e.parent) is not None else e)
                   for e in entries]
    results = train_all(entries, seeds, suite.test)
    for entry in entries:
        parent = chosen[entry.parent].label if entry.parent in chosen else entry.parent
        rows.append(_row(entry.label, entry.role, results[entry.label], scale, metric,
                         entry.ablation, parent))
        if suite.flops_per_row:
            rows[-1].gflops = model_cost(entry.config, suite.input_size)[1]
    convergence = None
    if lengths:
        student = suite.student
        longest = max(lengths + [iters])
        with ThreadPoolExecutor(jobs) as pool:
            futures = {length: submit(
                pool, student, seeds[0], length,
                f'{student.label}, {length} iterations (convergence)',
                [f'train_cfg.val_interval={max(1, length // 4)}'] if length == longest else [])
                for length in reversed(lengths)}
        trained = {length: future.result() for length, future in futures.items()}
        trained[iters] = results[student.label][0]
        student_row = next(r for r in rows if r.label == student.label)
        convergence = convergence_of(
            iters, [(n, scale * r.metrics[metric]) for n, r in trained.items()
                    if not isinstance(r, str)],
            [(n, scale * v) for n, v in validation_curve(trained[longest].work_dir, metric)]
            if not isinstance(trained[longest], str) else [],
            student_row.val_values or student_row.values)
    extra = suite.analysis({e.label: (e.config, results[e.label][0])
                            for e in entries
                            if not isinstance(results[e.label][0], str)}
                           ) if suite.analysis else []
    if left_out:
        extra = ['', f'Ablation rows not run (`--ablations` runs them): {", ".join(left_out)}.'
                 ] + extra
    if threads:
        extra = ['', f'Step times: the rows trained {jobs} at a time on {threads} CPU thread(s) '
                 'each; the teacher and stages alone, on every thread.'] + extra
    params, gflops = model_cost(suite.student.config, suite.input_size)
    schedule = f'{iters} iterations per run' if iters else "each config's own schedule"
    if teacher_iters != iters:
        schedule += f' ({teacher_iters} for the teacher)'
    failed = any(row.failures for row in rows)
    return write_report(
        report_dir(root, suite.name, failed),
        f'Suite {suite.name}: {suite.dataset or suite.data_root}, {schedule}, seeds '
        f'{list(seeds)}', title, rows,
        dict(parameters=f'{params:.2f} M', GFLOPs=f'{gflops:.3f} (forward, one '
             f'{suite.input_size[0]}x{suite.input_size[1]} image)'), extra, made_from,
        tuning, convergence, command) | dict(failed=failed)
