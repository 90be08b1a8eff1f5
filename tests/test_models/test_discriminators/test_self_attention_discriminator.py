"""SelfAttentionDiscriminator: shapes, SAGAN's zero-initialised attention, spectral norm."""
import pytest
import torch

from mmfreqkd.models.discriminators import SelfAttentionDiscriminator
from mmfreqkd.models.discriminators.self_attention_discriminator import SelfAttention


def test_scores_one_value_per_map_and_resizes_on_request():
    d = SelfAttentionDiscriminator(in_channels=19, conv_dim=8, input_size=65)
    assert d(torch.randn(3, 19, 33, 17)).shape == (3, )
    assert sum(isinstance(m, SelfAttention) for m in d.modules()) == 2


def test_attention_starts_as_identity_and_convs_are_spectrally_normalised():
    att = SelfAttention(16)
    x = torch.randn(2, 16, 5, 5)
    torch.testing.assert_close(att(x), x)
    d = SelfAttentionDiscriminator(in_channels=4, conv_dim=8, num_layers=2)
    for _ in range(30):  # power iterations converge in training mode
        d(torch.randn(1, 4, 8, 8))
    weight = d.layers[0].weight.detach().flatten(1)
    assert torch.linalg.matrix_norm(weight, ord=2) == pytest.approx(1.0, rel=0.05)


def test_too_small_maps_get_a_clear_error():
    d = SelfAttentionDiscriminator(in_channels=4, num_layers=4)
    with pytest.raises(ValueError, match='at least 16x16.*num_layers'):
        d(torch.randn(1, 4, 8, 8))
    with pytest.raises(ValueError, match='attention_after'):
        SelfAttentionDiscriminator(in_channels=4, num_layers=2, attention_after=[3])
