"""mmfreqkd.ops.quantize: STLNet counting against numpy's histogram, equalisation against the
empirical CDF."""
import numpy as np
import pytest
import torch

from mmfreqkd.ops import histogram_equalize, soft_quantize


def test_counts_sum_to_one_and_assignments_touch_at_most_two_neighbouring_levels():
    s = torch.randn(3, 500, dtype=torch.float64)
    levels, assignment, counts = soft_quantize(s, 32)
    torch.testing.assert_close(counts.sum(1), torch.ones(3, dtype=torch.float64))
    nonzero = (assignment > 0).sum(2)
    assert nonzero.max() <= 2 and nonzero.min() >= 1
    nearest = (levels[:, None, :] - s[:, :, None]).abs().argmin(2)
    assert torch.equal(assignment.argmax(2), nearest)


def test_values_on_level_centres_count_like_numpy_histogram():
    rng = np.random.default_rng(0)
    n_levels, lo, hi = 16, -1.0, 3.0
    centres = lo + (np.arange(n_levels) + 0.5) * (hi - lo) / n_levels
    values = np.concatenate([[lo, hi], rng.choice(centres, size=400)])
    _, _, counts = soft_quantize(torch.from_numpy(values)[None], n_levels)
    hist, _ = np.histogram(values[2:], bins=n_levels, range=(lo, hi))
    # lo and hi (which fix the range) add soft mass to the outer levels: compare the inner ones
    inner = counts[0, 1:-1].numpy()
    ref = hist[1:-1] / hist.sum()
    np.testing.assert_allclose(inner / inner.sum(), ref / ref.sum(), atol=1e-12)


def test_equalising_a_uniform_histogram_is_the_identity():
    s = torch.linspace(0.0, 2.0, 4096, dtype=torch.float64)[None]
    torch.testing.assert_close(histogram_equalize(s, 128), s, atol=2e-3, rtol=0)


def test_equalisation_follows_the_empirical_cdf():
    rng = np.random.default_rng(1)
    values = rng.gamma(2.0, size=5000)  # skewed, no bin holds more than ~2 % of the mass
    out = histogram_equalize(torch.from_numpy(values)[None], 128)[0].numpy()
    ecdf = (np.argsort(np.argsort(values)) + 0.5) / len(values)
    ref = values.min() + (values.max() - values.min()) * ecdf
    assert np.abs(out - ref).max() < 0.02 * (values.max() - values.min())
    hist, _ = np.histogram(out, bins=10)
    assert hist.min() > 0.8 * hist.mean()  # flat


def test_gradcheck_and_errors():
    s = torch.rand(2, 40, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: soft_quantize(t, 8)[2], (s, ))
    assert torch.autograd.gradcheck(lambda t: histogram_equalize(t, 8), (s, ))
    with pytest.raises(ValueError, match='n_levels'):
        soft_quantize(s, 1)
    with pytest.raises(ValueError, match=r'\(N, L\)'):
        soft_quantize(torch.rand(2, 3, 4), 8)


def test_soft_quantize_over_a_given_range_assigns_outside_values_nowhere():
    s = torch.tensor([[0.0, 0.2, 0.4, 0.6, 0.8, 1.0]])
    levels, assign, counts = soft_quantize(s, 4, (torch.tensor([0.2]), torch.tensor([0.6])))
    np.testing.assert_allclose(levels[0].numpy(), [0.25, 0.35, 0.45, 0.55], atol=1e-6)
    # 0.0, 0.8 and 1.0 lie more than one spacing (0.1) from every level
    assert assign[0, [0, 4, 5]].abs().sum() == 0
    assert (assign[0, 1:4].sum(1) > 0).all()
    torch.testing.assert_close(counts.sum(1), torch.ones(1))


@pytest.mark.parametrize('value_range', [None, (0.3, 0.7)])
def test_sparse_assignment_is_the_dense_stlnet_definition(value_range):
    """The three-neighbour search finds every non-zero of ``1 - |L_n - s|`` kept where
    ``|L_n - s| < spacing``, computed here against all levels, incl. values on level centres,
    on bin edges and outside the range."""
    n = 16
    gen = torch.Generator().manual_seed(0)
    lo, hi = value_range or (0.0, 1.0)
    centres = lo + (torch.arange(n, dtype=torch.float64) + 0.5) * (hi - lo) / n
    edges = lo + torch.arange(n + 1, dtype=torch.float64) * (hi - lo) / n
    s = torch.cat([torch.rand(500, dtype=torch.float64, generator=gen), centres, edges,
                   torch.tensor([0.0, 1.0], dtype=torch.float64)])[None]
    bounds = (s.min(), s.max()) if value_range is None else tuple(
        torch.tensor([v], dtype=torch.float64) for v in value_range)
    levels, assignment, counts = soft_quantize(s, n, None if value_range is None else bounds)
    spacing = (bounds[1] - bounds[0]) / n
    dist = (levels[:, None, :] - s[:, :, None]).abs()
    reference = torch.where(dist < spacing, 1 - dist, torch.zeros_like(dist))
    torch.testing.assert_close(assignment, reference, rtol=0, atol=0)
    torch.testing.assert_close(counts, reference.sum(1) / reference.sum())
