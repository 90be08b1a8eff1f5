"""The Triton Haar kernels, run by Triton's interpreter on the CPU (``TRITON_INTERPRET=1``, read
when Triton is imported, hence the fresh interpreter): the same coefficients as PyWavelets and
an exact round trip, incl. ragged rows (w not a power of two) and a 2x2 input."""
import json
import os
import subprocess
import sys

import pytest

pytest.importorskip('triton')

SCRIPT = r'''
import json, numpy as np, pywt, torch
from mmfreqkd.ops import _haar_triton as kernels
errors = []
for n, h, w in [(3, 6, 10), (2, 64, 130), (1, 2, 2), (2, 4, 2048)]:
    x = torch.randn(n, h, w, dtype=torch.float64)
    bands = kernels.haar_analysis(x)
    ca, (ch, cv, cd) = pywt.dwt2(x.numpy(), 'haar', mode='zero', axes=(-2, -1))
    errors.append(max(float(np.abs(b.numpy() - r).max()) for b, r in zip(bands, (ca, ch, cv, cd))))
    # synthesis from strided bands (a transposed copy viewed back) and from contiguous ones
    strided = [b.transpose(1, 2).contiguous().transpose(1, 2) for b in bands]
    errors.append(float((kernels.haar_synthesis(*bands) - x).abs().max()))
    errors.append(float((kernels.haar_synthesis(*strided) - x).abs().max()))
print(json.dumps(errors))
'''


def test_triton_kernels_match_pywt_under_the_interpreter():
    out = subprocess.run([sys.executable, '-c', SCRIPT], capture_output=True, text=True,
                         env={**os.environ, 'TRITON_INTERPRET': '1'}, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    errors = json.loads(out.stdout.strip().splitlines()[-1])
    assert max(errors) < 1e-12, errors
