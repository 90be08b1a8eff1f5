"""mmfreqkd.benchmark.identity: the degraded inputs scored as their own restorations equal
scikit-image's PSNR and SSIM of each rainy test image against its clean one, averaged."""
import glob
import os.path as osp

import cv2
import numpy as np
import pytest
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

from mmfreqkd.benchmark.identity import identity_scores
from mmfreqkd.paths import embedded_data_root

CONFIG = 'configs/embedded/nafnet-w8_1xb8-1k_restore-rain-64x64.py'


@pytest.mark.usefixtures('embedded_data')
@pytest.mark.parametrize('split', ['val', 'test'])
def test_identity_scores_are_skimages_on_the_split(split):
    root = osp.join(embedded_data_root(), 'restore', split)
    psnrs, ssims = [], []
    for clean_path in sorted(glob.glob(osp.join(root, 'clean', '*.png'))):
        clean = cv2.imread(clean_path)[..., ::-1]
        rainy = cv2.imread(osp.join(root, 'rain', osp.basename(clean_path)))[..., ::-1]
        psnrs.append(peak_signal_noise_ratio(clean, rainy, data_range=255))
        ssims.append(structural_similarity(clean, rainy, data_range=255, channel_axis=2,
                                           gaussian_weights=True, sigma=1.5,
                                           use_sample_covariance=False))
    scores = identity_scores(CONFIG, split)
    assert len(psnrs) == 60
    assert scores['PSNR'] == pytest.approx(np.mean(psnrs), rel=1e-9)
    assert scores['SSIM'] == pytest.approx(np.mean(ssims), abs=1e-6)
