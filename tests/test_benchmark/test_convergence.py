"""mmfreqkd.benchmark.convergence: the plateau verdict compares a longer schedule's gain with
the spread over seeds, and says nothing it cannot know."""
from mmfreqkd.benchmark.convergence import Convergence, convergence_lines, convergence_of


def _found(lengths, spread=0.5):
    return Convergence(iters=800, lengths=lengths, curve=[], spread=spread)


def test_a_gain_within_the_spread_is_a_plateau_and_one_beyond_it_is_not():
    assert _found([[400, 80.0], [800, 85.0], [1600, 85.4]]).plateaued is True
    rising = _found([[400, 80.0], [800, 85.0], [1600, 86.0]])
    assert rising.gain == 1.0 and rising.plateaued is False


def test_without_a_longer_schedule_or_a_spread_there_is_no_verdict():
    assert _found([[400, 80.0], [800, 85.0]]).plateaued is None
    assert _found([[800, 85.0], [1600, 90.0]], spread=None).plateaued is None
    lines = convergence_lines(convergence_of(800, [(1600, 90.0), (800, 85.0)], [], [85.0]),
                              'mIoU')
    assert lines[-1].endswith('(one seed: no spread to compare with).')
    assert '| schedule (iterations) | **800** | 1600 |' in lines


def test_the_report_states_the_verdict_and_the_numbers_behind_it():
    found = convergence_of(800, [(400, 80.0), (800, 85.0), (1600, 86.5)], [], [84.0, 85.0, 86.0])
    line = convergence_lines(found, 'mIoU')[-1]
    assert '2x' in line and '+1.50' in line and '**not plateaued**' in line and '(1.00)' in line
