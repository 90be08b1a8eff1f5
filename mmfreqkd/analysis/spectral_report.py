"""Frequency report of a segmentation model's cross-entropy (Chen, Chiu and Wu, "Spectral
Analysis for Semantic Segmentation", arXiv 2012.14123, Sec. 3; docs/methods/spectral.md).

:class:`SpectralReport` accumulates, batch by batch, on rings of equal radial frequency (cycles
per pixel, fixed width, so images of any size add up):

* the per-frequency contributions to the cross-entropy (:func:`~mmfreqkd.ops.
  cross_entropy_spectrum`), with the Parseval self-check against the plain cross-entropy;
* the power spectrum of the one-hot label maps;
* the power spectra of chosen feature maps;

and gives the cut-off frequencies holding 90/95/99 % of the CE and of the label energy, as a
JSON-ready dict and as matplotlib plots.
"""
import json
import os.path as osp
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn.functional as F

from ..ops import cross_entropy_spectrum, cutoff_frequencies, label_spectrum, radial_profile

__all__ = ['SpectralReport', 'feature_profile']

FRACTIONS = (0.9, 0.95, 0.99)


class SpectralReport:
    """Accumulated radial spectra of CE, labels and features.

    Args:
        num_classes: classes of the logits.
        ignore_index: the unlabelled value.
        bin_width: ring width in cycles per pixel ([our default] 1/128: 91 rings up to the
            corner frequency sqrt(1/2)).
        fractions: CE / energy fractions whose cut-off frequencies are reported.

    Examples:
        >>> report = SpectralReport(num_classes=3, bin_width=1 / 16)
        >>> logits, labels = torch.randn(2, 3, 16, 16), torch.randint(0, 3, (2, 16, 16))
        >>> error = report.add(logits, labels)
        >>> error < 1e-5, round(report.summary()['ce']['total'], 4) == round(float(
        ...     F.cross_entropy(logits.double(), labels)), 4)
        (True, True)
    """

    def __init__(self, num_classes: int, ignore_index: int = 255, bin_width: float = 1 / 128,
                 fractions: Sequence[float] = FRACTIONS) -> None:
        self.num_classes, self.ignore_index = num_classes, ignore_index
        self.bin_width, self.fractions = bin_width, tuple(fractions)
        self.ce: Optional[torch.Tensor] = None
        self.labels: Optional[torch.Tensor] = None
        self.features: Dict[str, torch.Tensor] = {}
        self.n_images = 0
        self.n_valid = 0
        self.max_parseval_error = 0.0

    def add(self, logits: torch.Tensor, labels: torch.Tensor) -> float:
        """Add a batch: logits (B, C, H, W) on the labels' (B, H, W) grid. The CE profile is
        weighted by the batch's labelled pixels, so the total is the CE over all pixels seen.
        Returns the batch's Parseval self-check: ``|sum_k l(k) - CE| / CE`` (float64)."""
        logits, labels = logits.detach().double(), labels.detach()
        contributions = cross_entropy_spectrum(logits, labels, self.ignore_index)
        plain = F.cross_entropy(logits, labels.long(), ignore_index=self.ignore_index)
        n_valid = int((labels != self.ignore_index).sum())
        error = float((contributions.sum() - plain).abs() / plain.abs().clamp_min(1e-300))
        if n_valid:
            self.max_parseval_error = max(self.max_parseval_error, error)
        profile = radial_profile(contributions.sum(0), self.bin_width) * n_valid
        power = radial_profile(label_spectrum(labels, self.num_classes, self.ignore_index).sum(0),
                               self.bin_width)
        self.ce = profile if self.ce is None else self.ce + profile
        self.labels = power if self.labels is None else self.labels + power
        self.n_images += labels.shape[0]
        self.n_valid += n_valid
        return error

    def add_feature(self, name: str, feature: torch.Tensor) -> None:
        """Add the radial power spectrum of a (B, C, H, W) feature map
        (:func:`feature_profile`)."""
        self.features[name] = feature_profile(feature, self.bin_width, name) + \
            self.features.get(name, 0)

    @property
    def frequencies(self) -> torch.Tensor:
        """The rings' centre frequencies, cycles per pixel."""
        return torch.arange(len(self.ce), dtype=torch.float64) * self.bin_width

    def summary(self) -> dict:
        """The report as a JSON-ready dict (CE per ring normalised to the mean CE)."""
        if self.ce is None:
            raise ValueError('SpectralReport: no batch was added')
        ce = self.ce / max(self.n_valid, 1)
        cumulative = ce.cumsum(0)
        freqs = self.frequencies
        return dict(
            n_images=self.n_images,
            bin_width=self.bin_width,
            frequencies=freqs.tolist(),
            parseval_max_relative_error=self.max_parseval_error,
            ce=dict(total=float(ce.sum()), profile=ce.tolist(),
                    cumulative_fraction=(cumulative / ce.sum()).tolist(),
                    truncation_error=((cumulative - ce.sum()).abs() / ce.sum().abs()).tolist(),
                    cutoffs=_named(cutoff_frequencies(ce, freqs, self.fractions))),
            labels=dict(profile=self.labels.tolist(),
                        cutoffs=_named(cutoff_frequencies(self.labels, freqs, self.fractions)),
                        cutoffs_without_dc=_named(cutoff_frequencies(
                            torch.cat([self.labels.new_zeros(1), self.labels[1:]]), freqs,
                            self.fractions))),
            features={name: dict(profile=p.tolist(), cutoffs=_named(cutoff_frequencies(
                p, freqs, self.fractions))) for name, p in self.features.items()})

    def save(self, out_dir: str, meta: Optional[dict] = None) -> List[str]:
        """Write ``spectral_report.json`` and the PNG plots into ``out_dir``; return the paths."""
        summary = dict(meta or {}, **self.summary())
        path = osp.join(out_dir, 'spectral_report.json')
        with open(path, 'w') as f:
            json.dump(summary, f, indent=1)
        return [path] + plot_summary(summary, out_dir)


def feature_profile(feature: torch.Tensor, bin_width: float, name: str = 'feature'
                    ) -> torch.Tensor:
    """Radial profile (rings of ``bin_width`` cycles per pixel) of the power spectrum of a
    (B, C, H, W) map, summed over batch and channels and divided by its number of positions
    (so grids of any size weigh alike); float64."""
    if feature.dim() != 4:
        raise ValueError(f'feature {name!r} must be (B, C, H, W), got shape '
                         f'{tuple(feature.shape)}')
    x = feature.detach().double()
    power = torch.fft.fft2(x, norm='ortho').abs().square().sum((0, 1))
    return radial_profile(power, bin_width) / x.shape[-2:].numel()


def _named(cutoffs: Dict[float, float]) -> Dict[str, float]:
    return {f'{round(100 * k)}%': v for k, v in cutoffs.items()}


def plot_summary(summary: dict, out_dir: str) -> List[str]:
    """PNG plots of a :meth:`SpectralReport.summary`: the CE contribution per ring with the
    relative error of the truncated CE and the cut-offs, and the label and feature spectra
    (log scale)."""
    from matplotlib.figure import Figure  # no pyplot: the global backend stays the user's

    freqs = summary['frequencies']
    paths = []
    fig = Figure(figsize=(6, 4))
    ax = fig.subplots()
    ax.bar(freqs, summary['ce']['profile'], width=summary['bin_width'], color='tab:blue')
    ax.set_xlabel('radial frequency (cycles / pixel)')
    ax.set_ylabel('CE contribution per ring (blue)')
    twin = ax.twinx()
    twin.semilogy(freqs, _positive(summary['ce']['truncation_error']), color='tab:red')
    twin.set_ylabel('|CE_r - CE| / CE (red)')
    for name, f in summary['ce']['cutoffs'].items():
        twin.axvline(f, color='gray', linestyle=':')
        twin.text(f, 0.05, name, rotation=90, fontsize=7, transform=twin.get_xaxis_transform())
    ax.set_title(f'cross-entropy by frequency (CE = {summary["ce"]["total"]:.4f})')
    paths.append(_save(fig, out_dir, 'ce_spectrum.png'))

    fig = Figure(figsize=(6, 4))
    ax = fig.subplots()
    ax.semilogy(*_nonempty(freqs, summary['labels']['profile']), '.-', label='labels (one-hot)')
    for name, entry in summary['features'].items():
        ax.semilogy(*_nonempty(freqs, entry['profile']), '.-', label=name)
    for (name, f), style in zip(summary['labels']['cutoffs_without_dc'].items(),
                                [':', '--', '-.']):
        ax.axvline(f, color='gray', linestyle=style, label=f'labels {name} (no DC)')
    ax.set_xlabel('radial frequency (cycles / pixel of each map)')
    ax.set_ylabel('power per ring')
    ax.legend(fontsize=7)
    ax.set_title('label and feature spectra')
    paths.append(_save(fig, out_dir, 'label_feature_spectra.png'))
    return paths


def _positive(values: List[float]) -> List[float]:
    """Zeros as NaN, so a log plot leaves gaps instead of failing."""
    return [v if v > 0 else float('nan') for v in values]


def _nonempty(freqs: List[float], values: List[float]):
    """The rings holding power (a coarse feature grid leaves most fine rings empty)."""
    kept = [(f, v) for f, v in zip(freqs, values) if v > 0]
    return [f for f, _ in kept], [v for _, v in kept]


def _save(fig, out_dir: str, name: str) -> str:
    path = osp.join(out_dir, name)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    return path
