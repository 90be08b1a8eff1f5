"""Importing mmfreqkd (every subpackage that plots) and drawing its figures leaves matplotlib's
global backend as the user set it (a notebook's inline backend keeps working)."""
import subprocess
import sys

SCRIPT = '''
import matplotlib
matplotlib.use('svg')
import numpy as np
import mmfreqkd, mmfreqkd.analysis, mmfreqkd.benchmark, mmfreqkd.engine, mmfreqkd.visualization
from mmfreqkd.visualization import save_texture_grid
panel = ('band', np.zeros((4, 4)), np.ones((4, 4)))
save_texture_grid([panel], sys.argv[1])
print(matplotlib.get_backend())
'''


def test_import_and_plots_keep_the_users_backend(tmp_path):
    out = tmp_path / 'grid.png'
    result = subprocess.run([sys.executable, '-c', 'import sys\n' + SCRIPT, str(out)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == 'svg'
    assert out.read_bytes().startswith(b'\x89PNG')  # the figure itself is still a PNG
