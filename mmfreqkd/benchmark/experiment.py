"""One run of the harness: ``tools/train.py`` on a config, resumable, with its results (or
``tools/test.py`` for a teacher given as a checkpoint).

Every run of a benchmark is an ordinary ``tools/train.py`` call on a config in ``configs/``
with ``--cfg-options`` (schedule, seed, checkpoints), on one process or several
(``torch.distributed.run``, one per GPU), so any row of a report can be rerun alone with the
command the report prints.
"""
import argparse
import glob
import hashlib
import json
import os
import os.path as osp
import re
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from mmengine.config import Config, DictAction

from ..fileio import atomic_write
from ..run_record import RunRecord

__all__ = ['ROOT', 'RunResult', 'RunEnd', 'load_config', 'resolved_config', 'run_end',
           'schedule_options', 'train', 'evaluate', 'run_state', 'data_folder', 'content_hash',
           'TornLogError', 'validation_curve']

#: The repository (or installed package) root: tools/ and configs/ lie below it.
ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

# mmengine's Config.fromfile is not thread-safe (its package lookups through pkg_resources
# race); the harness trains runs from several threads (``--jobs``).
_CONFIG_LOCK = threading.Lock()


def load_config(config: str) -> Config:
    """``Config.fromfile`` of a path relative to the repository root, one thread at a time."""
    with _CONFIG_LOCK:
        return Config.fromfile(osp.join(ROOT, config))


#: mmengine's training log line: ``Iter(train) [ 50/1000] ... eta: 0:01:02``, or for an
#: epoch-based schedule ``Epoch(train) [3][ 50/120] ...`` (the iteration within the epoch)
_PROGRESS = re.compile(r'(?:Iter|Epoch)\(train\)\s*(?:\[(\d+)\])?\s*\[\s*(\d+)/(\d+)\]'
                       r'.*?eta: ([0-9:]+(?: day[s]?, [0-9:]+)?)')


@dataclass
class RunResult:
    """What one finished run measured: its last validation record, the median training step
    time (s), the wall time this call spent (0 for a run found finished), its work dir, the
    command that reproduces it, the peak GPU memory (MiB) when the log has it, the peak
    resident memory of the training process (MiB) when the harness ran it and the run's
    final checkpoint (the evaluated one for a test) and, for a distillation run, each loss
    term's gradient share on the student averaged over the run (``grad_share/<term>`` of
    :class:`~mmfreqkd.engine.LossBalanceHook`) and, when it was scored on the test split, its
    test metrics (``metrics`` are the final validation's, on the val split)."""
    metrics: Dict[str, float]
    step_time: float
    wall: float
    work_dir: str
    command: List[str]
    memory: Optional[float] = None
    peak_rss: Optional[float] = None
    checkpoint: str = ''
    shares: Dict[str, float] = field(default_factory=dict)
    test_metrics: Dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class RunEnd:
    """Where a run ends: its last checkpoint's file name and the step of its final validation
    record (the iteration, or the epoch of an epoch-based loop)."""
    checkpoint: str
    step: int


def schedule_options(config: str, iters: int) -> List[str]:
    """``--cfg-options`` that fit the config's parameter schedulers to ``iters`` iterations:
    a scheduler spanning the whole schedule (``end`` = ``train_cfg.max_iters``) ends at
    ``iters``, milestones scale with it, and a warm-up (ending earlier) is left as it is.
    Handles one list, or one list per optimizer of an ``OptimWrapperDict``."""
    cfg = load_config(config)
    schedulers, total = cfg.param_scheduler, cfg.train_cfg.max_iters
    groups = schedulers.items() if isinstance(schedulers, dict) and 'type' not in schedulers \
        else [(None, schedulers)]
    options = []
    for name, group in groups:
        for i, scheduler in enumerate(group):
            key = f'param_scheduler.{i}' if name is None else f'param_scheduler.{name}.{i}'
            if scheduler.get('end') == total:
                options.append(f'{key}.end={iters}')
            if 'milestones' in scheduler:
                scaled = [round(m * iters / total) for m in scheduler.milestones]
                options.append(f'{key}.milestones=[{",".join(map(str, scaled))}]')
    return options


def resolved_config(config: str, options: Sequence[str] = ()) -> Config:
    """The config with ``--cfg-options`` ``options`` applied, as the tools resolve it."""
    cfg = load_config(config)
    if options:
        parser = argparse.ArgumentParser()
        parser.add_argument('--cfg-options', nargs='+', action=DictAction)
        cfg.merge_from_dict(parser.parse_args(['--cfg-options', *options]).cfg_options)
    return cfg


def run_end(config: str, options: Sequence[str] = ()) -> RunEnd:
    """The last checkpoint and final validation step of ``config`` trained with ``options``:
    ``epoch_N.pth`` / epoch N for an epoch-based loop, ``iter_N.pth`` / iteration N else."""
    loop = resolved_config(config, options).train_cfg
    if 'max_epochs' in loop:
        return RunEnd(f'epoch_{loop.max_epochs}.pth', loop.max_epochs)
    return RunEnd(f'iter_{loop.max_iters}.pth', loop.max_iters)


def data_folder(data_root: str) -> str:
    """Where the tools read ``data_root`` (a config's data path, relative to the repository
    root): an embedded set's ``data/mmfreqkd/<set>`` resolves to ``$MMFREQKD_DATA/<set>`` when
    that is set (:func:`mmfreqkd.paths.embedded_data_root`)."""
    from ..paths import CONFIG_DATA_PREFIX, embedded_data_root
    if data_root.startswith(CONFIG_DATA_PREFIX):
        return osp.join(embedded_data_root(), data_root[len(CONFIG_DATA_PREFIX):])
    return osp.join(ROOT, data_root)


def content_hash(config: str, options: Sequence[str], data_root: Optional[str] = None) -> str:
    """12 hex digits identifying a run by what determines its result: the fully resolved
    config with ``options`` applied, the training code and the stack's versions
    (:func:`~mmfreqkd.benchmark.provenance.training_code_hash`) and (when given) the names and
    contents of the files of its data set, in the folder the run reads (:func:`data_folder`).
    A run is reused exactly when this is unchanged."""
    from .provenance import data_hash, training_code_hash
    cfg = resolved_config(config, options)
    digest = hashlib.sha256(cfg.pretty_text.encode())
    digest.update(training_code_hash().encode())
    if data_root:
        digest.update(data_hash(data_folder(data_root)).encode())
    return digest.hexdigest()[:12]


class TornLogError(ValueError):
    """A line of a run's ``scalars.json`` (``path``) is not JSON (a write that was
    interrupted)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path


def _records(work_dir: str) -> List[dict]:
    """Every record of the run's ``scalars.json`` files (one per attempt), oldest first.

    Raises:
        TornLogError: naming the file and the line that is not JSON.
    """
    records = []
    for path in sorted(glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))):
        with open(path) as f:
            for number, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    records.append(json.loads(line))
                except ValueError as err:
                    raise TornLogError(path, f'{path}: line {number} is not JSON ({err}): a '
                                       f'write that was interrupted') from None
    return records


def _readable_records(work_dir: str, label: str,
                      progress: Optional[Callable[[str], None]]) -> List[dict]:
    """:func:`_records`, with each torn log moved aside to ``<file>.torn`` (kept, no longer
    read), so that the run is redone from what is intact."""
    while True:
        try:
            return _records(work_dir)
        except TornLogError as err:
            os.replace(err.path, err.path + '.torn')
            if progress:
                progress(f'{label}: {err}; moved aside to {err.path}.torn, the run is redone '
                         f'from its intact checkpoints')


def _validations(records: List[dict]) -> List[dict]:
    """The validation records (logged without a training loss), oldest first."""
    return [r for r in records if 'loss' not in r]


def _final_validation(records: List[dict], step: int) -> Optional[dict]:
    """The validation record of step ``step``."""
    found = [r for r in _validations(records) if r.get('step') == step]
    return found[-1] if found else None


def validation_curve(work_dir: str, metric: str) -> List[Tuple[int, float]]:
    """Every validation of the run in ``work_dir`` that reports ``metric``: ``(step,
    value)``, by step (a step validated again after a resume counts once, its last record)."""
    found = {r['step']: r[metric] for r in _validations(_records(work_dir))
             if metric in r and 'step' in r}
    return sorted(found.items())


def run_state(work_dir: str, end: RunEnd, records: Optional[List[dict]] = None
              ) -> Tuple[str, Optional[str]]:
    """Where a run stands, checked against what its files hold, not their names alone:

    * ``('finished', None)``: its last checkpoint is intact (byte for byte as its run record
      lists it) and its final validation is logged;
    * ``('interrupted', CKPT)``: resume from ``CKPT``, the newest intact checkpoint (one
      before the last when the final validation is missing, so that it runs again);
    * ``('new', None)``: nothing to resume from: train from the start.
    """
    records = _records(work_dir) if records is None else records
    record = RunRecord(work_dir)
    validated = _final_validation(records, end.step) is not None
    final = osp.join(work_dir, end.checkpoint)
    intact = [osp.join(work_dir, c['file']) for c in record.checkpoints if record.intact(c)]
    if validated and final in intact:
        return 'finished', None
    candidates = [c for c in intact if validated or c != final]
    return ('interrupted', candidates[-1]) if candidates else ('new', None)


def _launch(tool: str, gpus: int) -> List[str]:
    """The command prefix of ``tool``: one process, or ``gpus`` processes under torch's
    launcher (as ``tools/dist_train.sh`` starts them)."""
    if gpus == 1:
        return [sys.executable, tool]
    return [sys.executable, '-m', 'torch.distributed.run', '--standalone',
            f'--nproc_per_node={gpus}', tool]


def train(config: str, work_dir: str, iters: Optional[int], metric: str, seed: int = 0,
          options: Sequence[str] = (), label: str = '',
          progress: Optional[Callable[[str], None]] = print,
          threads: Optional[int] = None, gpus: int = 1, test: bool = False) -> RunResult:
    """Train ``config`` for ``iters`` iterations (validated at the end) in ``work_dir``;
    resume an interrupted or damaged run from its newest intact checkpoint; skip a finished
    one (:func:`run_state`); with ``test``, then score its last checkpoint on the config's test
    split (``tools/test.py``, in ``<work_dir>/test``; a finished run's test is reused).

    Args:
        config: a config path relative to the repository root.
        work_dir: the run's work dir.
        iters: iterations of the run (the config's schedulers are fitted to them); ``None``:
            the config's own schedule (iterations or epochs).
        metric: the validation key that the run reports (e.g. ``'mIoU'``).
        seed: ``randomness.seed``.
        options: further ``--cfg-options``.
        label: how the progress lines name the run.
        progress: called with progress lines (``None``: silent).
        threads: CPU threads of the run (``OMP_NUM_THREADS``; default: torch's choice).
        gpus: processes of the run, one per GPU (``torch.distributed.run``); 1: no launcher.
        test: score the run on the test split too (``RunResult.test_metrics``).

    Returns:
        The run's :class:`RunResult`.
    """
    opts = [f'randomness.seed={seed}', *options]
    if iters is not None:
        opts = [f'train_cfg.max_iters={iters}', f'train_cfg.val_interval={iters}',
                f'default_hooks.checkpoint.interval={max(1, iters // 5)}',
                f'default_hooks.logger.interval={max(1, min(50, iters // 4))}',
                *schedule_options(config, iters), *opts]
    command = [*_launch('tools/train.py', gpus), config, '--work-dir', work_dir,
               '--cfg-options', *opts] + (['--launcher', 'pytorch'] if gpus > 1 else [])
    end = run_end(config, opts)
    state, resume_from = run_state(work_dir, end, _readable_records(work_dir, label, progress))
    start = time.perf_counter()
    if state != 'finished':
        rss = _run(command + (['--resume', resume_from] if resume_from else []), label,
                   progress, threads)
        _record_peak_rss(work_dir, rss)
    elif progress:
        progress(f'{label}: finished earlier, checked and reused ({work_dir})')
    wall = time.perf_counter() - start if state != 'finished' else 0.0
    records = _readable_records(work_dir, label, progress)
    validation = _final_validation(records, end.step)
    if validation is None:
        raise RuntimeError(f'{label or config}: no validation of step {end.step} in '
                           f'{work_dir}; see its log')
    if metric not in validation:  # e.g. COCO metrics of a detector with no detections yet
        if progress:
            progress(f'{label}: the validation has no {metric!r} (no predictions?): counted as 0')
        validation = dict(validation, **{metric: 0.0})
    steps = [r['time'] for r in records if 'loss' in r and 'time' in r]
    memory = [r['memory'] for r in records if 'memory' in r]
    checkpoint = osp.join(work_dir, end.checkpoint)
    tested = _test(config, checkpoint, osp.join(work_dir, 'test'), metric, opts, label,
                   progress, threads, gpus, again=state != 'finished') if test else {}
    return RunResult(metrics={k: v for k, v in validation.items()
                              if isinstance(v, (int, float))}, test_metrics=tested,
                     step_time=statistics.median(steps) if steps else float('nan'),
                     wall=wall, work_dir=work_dir, command=command,
                     memory=max(memory) if memory else None,
                     peak_rss=_peak_rss(work_dir), checkpoint=checkpoint,
                     shares=mean_shares(records))


def _test(config: str, checkpoint: str, test_dir: str, metric: str, options: Sequence[str],
          label: str, progress: Optional[Callable[[str], None]], threads: Optional[int],
          gpus: int, again: bool) -> Dict[str, float]:
    """The test-split metrics of a run's ``checkpoint`` (a file the harness wrote, so loaded
    as trusted), scored by ``tools/test.py`` in ``test_dir``; an earlier score there is reused
    unless ``again`` (the run was trained now). A metric the test did not report (a detector
    without detections) counts as 0."""
    results = None if again else _test_results(test_dir)
    if results is None:
        _run([*_launch('tools/test.py', gpus), config, checkpoint, '--work-dir', test_dir,
              '--trust-checkpoint', '--cfg-options', *options]
             + (['--launcher', 'pytorch'] if gpus > 1 else []), f'{label} (test)', progress,
             threads)
        results = _test_results(test_dir)
    if results is None:
        raise RuntimeError(f'{label}: the test in {test_dir} wrote no metrics; see its log')
    return {k: v for k, v in dict({metric: 0.0}, **results).items()
            if isinstance(v, (int, float))}


def mean_shares(records: List[dict]) -> Dict[str, float]:
    """Each term's ``grad_share/<term>`` (the measurement of
    :class:`~mmfreqkd.engine.LossBalanceHook` last taken when the record was logged) averaged
    over the training records; a value repeated by consecutive records (logged more often
    than measured) counts once."""
    seen: Dict[str, List[float]] = {}
    for record in records:
        for key, value in record.items():
            if key.startswith('grad_share/'):
                values = seen.setdefault(key[len('grad_share/'):], [])
                if not values or values[-1] != value:
                    values.append(value)
    return {term: statistics.fmean(values) for term, values in seen.items()}


def evaluate(config: str, checkpoint: str, work_dir: str, metric: str, label: str = '',
             progress: Optional[Callable[[str], None]] = print, gpus: int = 1,
             trust: bool = False) -> RunResult:
    """Test ``checkpoint`` (a path or URL) with ``config`` in ``work_dir`` (``tools/test.py``,
    which refuses a checkpoint that leaves part of the model unloaded); skip a finished test.
    For a teacher given as published weights. ``trust``: unpickle a full training checkpoint
    (``--trust-checkpoint``); without it only weights-only files load."""
    command = [*_launch('tools/test.py', gpus), config, checkpoint, '--work-dir', work_dir] \
        + (['--launcher', 'pytorch'] if gpus > 1 else []) + (['--trust-checkpoint'] * trust)
    results = _test_results(work_dir)
    start = time.perf_counter()
    if results is None:
        _run(command, label, progress)
        results = _test_results(work_dir)
    elif progress:
        progress(f'{label}: tested earlier, reused ({work_dir})')
    if results is None or metric not in results:
        raise RuntimeError(f'{label or config}: the test in {work_dir} reported no {metric!r}; '
                           'see its log')
    return RunResult(metrics={k: v for k, v in results.items() if isinstance(v, (int, float))},
                     step_time=float('nan'), wall=time.perf_counter() - start,
                     work_dir=work_dir, command=command, checkpoint=checkpoint)


def _test_results(work_dir: str) -> Optional[dict]:
    """The metrics ``tools/test.py`` wrote (``<work_dir>/<timestamp>/<timestamp>.json``)."""
    found = sorted(glob.glob(osp.join(work_dir, '*', '*.json')))
    if not found:
        return None
    with open(found[-1]) as f:
        return json.load(f)


_RSS_FILE = 'peak_rss_mib.json'


def _peak_rss(work_dir: str) -> Optional[float]:
    path = osp.join(work_dir, _RSS_FILE)
    if not osp.exists(path):
        return None
    with open(path) as f:
        return json.load(f)['peak_rss_mib']


def _record_peak_rss(work_dir: str, rss: float) -> None:
    """Keep the largest peak resident memory over the attempts of a (resumed) run."""
    peak = max(rss, _peak_rss(work_dir) or 0.0)
    atomic_write(osp.join(work_dir, _RSS_FILE), json.dumps(dict(peak_rss_mib=peak)))


#: The line with which :data:`_MEASURE` reports the peak resident memory (KiB) of its command.
_PEAK_MARK = '__mmfreqkd_peak_rss_kib__='

# Runs argv[2:] and prints its peak resident memory (KiB) as its last line (argv[1]: the
# harness's pid). The kernel's
# ru_maxrss of a child counts the memory of the process it was forked from, so the command is
# started by this small interpreter rather than by the harness (which holds torch and the mm*
# codebases). Both die with their parent (PR_SET_PDEATHSIG: the harness killed, even with
# SIGKILL, ends its trainers: the wrapper is killed, the command terminated, which a
# torch.distributed launcher passes on to its workers).
_MEASURE = ('import ctypes, os, signal, subprocess, sys\n'
            'prctl = ctypes.CDLL(None, use_errno=True).prctl\n'
            'prctl(1, signal.SIGKILL)\n'  # PR_SET_PDEATHSIG
            'if os.getppid() != int(sys.argv[1]): sys.exit(137)\n'  # it died before prctl
            'child = subprocess.Popen(sys.argv[2:],\n'
            '                         preexec_fn=lambda: prctl(1, signal.SIGTERM))\n'
            '_, status, usage = os.wait4(child.pid, 0)\n'
            f'print("\\n{_PEAK_MARK}%d" % usage.ru_maxrss, flush=True)\n'
            'sys.exit(os.waitstatus_to_exitcode(status))\n')


def _run(command: List[str], label: str, progress: Optional[Callable[[str], None]],
         threads: Optional[int] = None) -> float:
    """Run ``command`` from the repository root, reporting its iteration and ETA; raise with
    the end of its output if it fails; return the process's peak resident memory (MiB,
    ``ru_maxrss``). The command ends with the harness, however the harness ends."""
    if progress:
        progress(f'{label}: $ {" ".join(command)}')
    env = dict(os.environ, PYTHONUNBUFFERED='1',  # the repository importable, as installed
               PYTHONPATH=os.pathsep.join(filter(None, [ROOT, os.environ.get('PYTHONPATH')])))
    if threads:
        env.update(OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    tail: List[str] = []
    peak_kib = 0
    with subprocess.Popen([sys.executable, '-c', _MEASURE, str(os.getpid()), *command], cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          env=env) as proc:
        for line in proc.stdout:
            if line.startswith(_PEAK_MARK):
                peak_kib = int(line[len(_PEAK_MARK):])
                continue
            tail = (tail + [line])[-60:]
            match = _PROGRESS.search(line)
            if match and progress:
                epoch, done, total, eta = match.groups()
                where = f'epoch {epoch}, ' if epoch else ''
                progress(f'{label}: {where}iteration {done}/{total}, eta {eta}')
        proc.wait()
        if proc.returncode != 0:
            raise RuntimeError(f'{label}: {" ".join(command)} failed ({proc.returncode}):\n'
                               + ''.join(tail))
        return peak_kib / 1024  # KiB on Linux
