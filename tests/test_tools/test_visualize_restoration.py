"""tools/visualize_restoration.py: degraded | models | clean strips from the embedded set."""
import os.path as osp

import cv2
import numpy as np
import torch
from tools_helpers import REPO_ROOT, run_tool

from mmfreqkd.models import build_model

STUDENT = osp.join(REPO_ROOT, 'configs', 'embedded', 'nafnet-w8_1xb8-1k_restore-rain-64x64.py')


def _checkpoints(tmp_path):
    """A plain checkpoint of the student whose output convolution is zero (it returns its
    input: a restorer with a global residual) and a distillation-style one of the same
    weights under ``architecture.``."""
    model = build_model(dict(cfg_path=STUDENT), 'student')
    torch.nn.init.zeros_(model.ending.weight)
    torch.nn.init.zeros_(model.ending.bias)
    plain, distilled = tmp_path / 'plain.pth', tmp_path / 'distilled.pth'
    torch.save(model.state_dict(), plain)
    torch.save(dict(state_dict={f'architecture.{k}': v for k, v in
                                model.state_dict().items()}), distilled)
    return plain, distilled


def test_strip_shows_degraded_models_and_clean(tmp_path, embedded_data):
    plain, distilled = _checkpoints(tmp_path)
    out = tmp_path / 'strip.png'
    result = run_tool(['tools/visualize_restoration.py', STUDENT, str(out), '--num', '3',
                       '--models', f'identity={STUDENT},{plain}',
                       f'distilled={STUDENT},{distilled}'])
    assert '3 rows x 4 columns' in result.stdout
    strip = cv2.imread(str(out))[..., ::-1]
    assert strip.shape == (3 * (14 + 64), 4 * 64, 3)
    root = embedded_data['restore']
    for row in range(3):
        top = row * 78 + 14
        panels = [strip[top:top + 64, c * 64:(c + 1) * 64] for c in range(4)]
        rainy = cv2.imread(osp.join(root, 'val', 'rain', f'{row:05d}.png'))[..., ::-1]
        clean = cv2.imread(osp.join(root, 'val', 'clean', f'{row:05d}.png'))[..., ::-1]
        np.testing.assert_array_equal(panels[0], rainy)
        np.testing.assert_array_equal(panels[1], rainy)  # the identity restorer
        np.testing.assert_array_equal(panels[2], rainy)  # the same weights, distilled form
        np.testing.assert_array_equal(panels[3], clean)


def test_a_malformed_model_spec_is_named(tmp_path):
    result = run_tool(['tools/visualize_restoration.py', STUDENT, str(tmp_path / 's.png'),
                       '--models', f'student={STUDENT}'], check=False)
    assert result.returncode != 0 and 'expected LABEL=CONFIG,CHECKPOINT' in result.stderr
