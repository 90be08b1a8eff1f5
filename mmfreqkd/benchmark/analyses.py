"""Analyses a suite runs on its finished runs; each returns Markdown lines for the report."""
import json
import os.path as osp
import subprocess
import sys
from typing import Dict, List, Tuple

from .experiment import ROOT, RunResult

__all__ = ['spectral_cutoffs']

_LEVELS = ('90%', '95%', '99%')


def spectral_cutoffs(runs: Dict[str, Tuple[str, RunResult]]) -> List[str]:
    """Frequency cut-offs of the full-label model's cross-entropy and of the label maps
    (``tools/analysis/spectral_ce.py`` on the first seed's last checkpoint), and the largest
    block size whose grid still resolves the label cut-off, ``b <= 1 / (2 f_c)`` (Nyquist).

    Args:
        runs: row label -> (config, first seed's result); uses ``'full labels'``.
    """
    config, result = runs['full labels']
    out_dir = osp.join(result.work_dir, 'spectral_ce')
    report_path = osp.join(out_dir, 'spectral_report.json')
    if not osp.exists(report_path):
        subprocess.run([sys.executable, 'tools/analysis/spectral_ce.py', config,
                        result.checkpoint, '--out-dir', out_dir,
                        '--trust-checkpoint',  # a checkpoint the harness wrote itself
                        '--bin-width', str(1 / 64)], cwd=ROOT, check=True, capture_output=True)
    with open(report_path) as f:
        report = json.load(f)
    label_cutoffs = report['labels']['cutoffs_without_dc']
    lines = ['', 'Cut-off frequencies (cycles per pixel) below which the given share lies '
             '(`tools/analysis/spectral_ce.py` on the full-label model, first seed):', '',
             '| | ' + ' | '.join(_LEVELS) + ' |', '|---|---|---|---|']
    for name, cutoffs in (('CE of the trained model', report['ce']['cutoffs']),
                          ('label energy (without DC)', label_cutoffs)):
        lines.append(f'| {name} | ' + ' | '.join(f'{cutoffs[k]:.3f}' for k in _LEVELS) + ' |')
    lines.append('| largest block resolving the label cut-off, 1 / (2 f_c) | ' + ' | '.join(
        f'{1 / (2 * label_cutoffs[k]):.1f}' if label_cutoffs[k] > 0 else 'inf'
        for k in _LEVELS) + ' |')
    return lines
