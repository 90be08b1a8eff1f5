"""Whether the undistilled student has converged at a suite's schedule.

A distillation gain measured on a student stopped early can be a gain in speed of convergence,
not in what the student finally learns. The check trains the suite's no-KD student at its first
seed for shorter and longer schedules than the suite's (each a whole schedule, its learning-rate
steps scaled to it) and validates the longest one several times along the way; it calls the
schedule plateaued when doubling it moves the validation score by no more than the no-KD
student's spread over seeds.
"""
import os.path as osp
import statistics
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

__all__ = ['Convergence', 'convergence_of', 'convergence_lines', 'convergence_chart']


@dataclass
class Convergence:
    """The no-KD student's validation scores by schedule length.

    Attributes:
        iters: the suite's schedule (iterations).
        lengths: ``(schedule, final validation score)`` of each schedule trained, the suite's
            included, shortest first.
        curve: ``(iteration, validation score)`` along the longest schedule.
        spread: the no-KD student's sample standard deviation of the validation score over
            the suite's seeds (``None`` with one seed).
    """
    iters: int
    lengths: List[Tuple[int, float]]
    curve: List[Tuple[int, float]]
    spread: Optional[float]

    @property
    def gain(self) -> Optional[float]:
        """The longest schedule's score minus the suite's (``None`` when none is longer)."""
        scores = dict(self.lengths)
        longest = max(scores)
        if longest <= self.iters or self.iters not in scores:
            return None
        return scores[longest] - scores[self.iters]

    @property
    def plateaued(self) -> Optional[bool]:
        """Whether a longer schedule gains no more than the spread over seeds (``None``: no
        longer schedule or no spread to compare with)."""
        if self.gain is None or self.spread is None:
            return None
        return self.gain <= self.spread


def convergence_lines(convergence: Dict, metric: str) -> List[str]:
    """The report's paragraph and table for a :class:`Convergence` (as a dict)."""
    if not convergence:
        return []
    found = Convergence(**convergence)
    lines = ['', f'Convergence of the no-KD student (first seed, {metric} on the val split, '
             'each schedule trained whole; `convergence.png` adds the longest schedule\'s '
             'validations along the way):', '',
             '| schedule (iterations) | ' + ' | '.join(
                 f'**{n}**' if n == found.iters else str(n) for n, _ in found.lengths) + ' |',
             '|---|' + '---|' * len(found.lengths),
             f'| {metric} | ' + ' | '.join(f'{score:.2f}' for _, score in found.lengths) + ' |']
    if found.gain is None:
        return lines
    longest = max(n for n, _ in found.lengths)
    said = (f'{longest / found.iters:g}x the suite\'s schedule ({found.iters} iterations, bold) '
            f'changes it by {found.gain:+.2f}')
    if found.plateaued is None:
        return lines + ['', f'{said} (one seed: no spread to compare with).']
    verdict = ('**plateaued**: the longer schedule gains no more than' if found.plateaued else
               '**not plateaued**: the longer schedule gains more than')
    return lines + ['', f'{said}; {verdict} the no-KD student\'s standard deviation over seeds '
                    f'on val ({found.spread:.2f}).']


def convergence_chart(out_dir: str, metric: str, convergence: Dict) -> None:
    """``convergence.png``: the final validation score against the schedule length, and the
    longest schedule's validations along the way (dashed)."""
    from matplotlib.figure import Figure  # no pyplot: the global backend stays the user's

    found = Convergence(**convergence)
    fig = Figure(figsize=(5, 3.5))
    ax = fig.subplots()
    ax.plot(*zip(*found.lengths), 'o-', label='final, by schedule length')
    if len(found.curve) > 1:
        ax.plot(*zip(*found.curve), 's--', label='along the longest schedule')
    ax.axvline(found.iters, color='grey', linewidth=0.8)
    ax.set_xlabel('iterations')
    ax.set_ylabel(f'{metric} (val)')
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(osp.join(out_dir, 'convergence.png'), dpi=100)


def convergence_of(iters: int, lengths: Sequence[Tuple[int, float]],
                   curve: Sequence[Tuple[int, float]], val_values: Sequence[float]) -> Dict:
    """A :class:`Convergence` as a dict (what ``results.json`` keeps)."""
    spread = statistics.stdev(val_values) if len(val_values) > 1 else None
    return dict(iters=iters, lengths=sorted(map(list, lengths)),
                curve=[list(point) for point in curve], spread=spread)
