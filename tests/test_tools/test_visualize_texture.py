"""tools/visualize_texture.py: one embedded image through the small SSTKD config."""
import os.path as osp

import matplotlib.image as mpimg
from tools_helpers import RANDOM_TEACHER, REPO_ROOT, run_tool

CONFIG = osp.join(REPO_ROOT, 'configs', 'sstkd',
                  'sstkd_pspnet_r18w32_pspnet_r18w4_1xb8-1k_texseg-64x64.py')


def test_writes_the_grid_for_an_image(tmp_path, embedded_data):
    image = osp.join(embedded_data['texseg'], 'img_dir', 'val', '00000.png')
    out = tmp_path / 'grid.png'
    result = run_tool(['tools/visualize_texture.py', CONFIG, image, str(out),
                       '--cfg-options', *RANDOM_TEACHER])
    assert '8 x 8 panels' in result.stdout
    assert mpimg.imread(str(out)).std() > 0


def test_an_untrusted_checkpoint_outside_the_run_is_refused(tmp_path, embedded_data):
    import argparse

    import torch
    ckpt = tmp_path / 'run.pth'  # a pickled object weights-only loading refuses
    torch.save(dict(state_dict={}, meta=dict(args=argparse.Namespace(lr=0.1))), ckpt)
    image = osp.join(embedded_data['texseg'], 'img_dir', 'val', '00000.png')
    result = run_tool(['tools/visualize_texture.py', CONFIG, image, str(tmp_path / 'g.png'),
                       '--checkpoint', str(ckpt), '--cfg-options', *RANDOM_TEACHER],
                      check=False)
    assert result.returncode != 0 and '--trust-checkpoint' in result.stderr
