"""The benchmark harness: each of our methods against mmrazor's baselines and the undistilled
student, on the same data, schedule, student initialisation and seeds, with a report of means,
spreads, paired differences, step times and charts (``tools/benchmark.py SUITE``)."""
from .experiment import (RunEnd, RunResult, content_hash, evaluate, run_end, run_state,
                         schedule_options, train)
from .harness import model_cost, report_dir, run_suite, stale_report
from .publish import summary_lines, update_section, update_summary
from .report import Row, mean_spread, paired_difference, write_report
from .suites import FULL_SUITES, SUITES, Entry, Stage, Suite

__all__ = [
    'RunEnd', 'RunResult', 'content_hash', 'evaluate', 'run_end', 'run_state',
    'schedule_options', 'train', 'run_suite', 'report_dir', 'FULL_SUITES',
    'model_cost', 'stale_report',
    'Row', 'mean_spread', 'paired_difference', 'write_report', 'SUITES', 'Entry',
    'Stage', 'Suite', 'update_section', 'summary_lines', 'update_summary'
]
