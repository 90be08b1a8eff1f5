"""PixelWiseKLLoss against torch.nn.KLDivLoss as the reference protocol uses it."""
import pytest
import torch
import torch.nn.functional as F

from mmfreqkd.models.losses import PixelWiseKLLoss


def test_mean_reduction_is_kldivloss_default_over_all_elements():
    torch.manual_seed(0)
    zs, zt = torch.randn(2, 5, 6, 7), torch.randn(2, 5, 6, 7)
    ref = torch.nn.KLDivLoss()(F.log_softmax(zs, 1), F.softmax(zt, 1))
    torch.testing.assert_close(PixelWiseKLLoss(tau=1, loss_weight=10)(zs, zt), 10 * ref)
    per_pixel = torch.nn.KLDivLoss(reduction='sum')(F.log_softmax(zs, 1), F.softmax(zt, 1))
    torch.testing.assert_close(PixelWiseKLLoss(reduction='pixel')(zs, zt), per_pixel / 84)
    tau = 4.0
    ref_t = torch.nn.KLDivLoss()(F.log_softmax(zs / tau, 1), F.softmax(zt / tau, 1))
    torch.testing.assert_close(PixelWiseKLLoss(tau=tau)(zs, zt), tau**2 * ref_t)


def test_half_precision_logits_are_computed_in_float32():
    zs, zt = torch.randn(1, 3, 4, 4), torch.randn(1, 3, 4, 4)
    out = PixelWiseKLLoss()(zs.half(), zt.bfloat16())
    assert out.dtype == torch.float32
    torch.testing.assert_close(out, PixelWiseKLLoss()(zs.half().float(), zt.bfloat16().float()))


def test_errors():
    with pytest.raises(ValueError, match='reduction'):
        PixelWiseKLLoss(reduction='batchmean')
    with pytest.raises(ValueError, match=r'\(1, 3, 4, 4\).*\(1, 5, 4, 4\)'):
        PixelWiseKLLoss()(torch.zeros(1, 3, 4, 4), torch.zeros(1, 5, 4, 4))
