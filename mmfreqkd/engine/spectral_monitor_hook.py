"""A training hook that logs which frequencies the cross-entropy, and distillation, act on
(Chen, Chiu and Wu, arXiv 2012.14123; docs/methods/spectral.md)."""
import json
import os
import os.path as osp
from typing import Dict, List, Optional

import torch
import torch.nn.functional as F
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from ..analysis import SpectralReport, feature_profile
from ..registry import HOOKS

__all__ = ['SpectralMonitorHook', 'band_fractions']


def band_fractions(profile: torch.Tensor, bin_width: float, n_bands: int) -> List[float]:
    """Shares (summing to 1, signed for signed profiles) of a radial profile in ``n_bands``
    equal bands of [0, 1/2] cycles per pixel (rings beyond the Nyquist frequency, the grid's
    corners, count in the last band)."""
    freqs = torch.arange(len(profile), dtype=torch.float64) * bin_width
    band = (freqs / (0.5 / n_bands)).floor().long().clamp_max(n_bands - 1)
    sums = torch.zeros(n_bands, dtype=torch.float64).index_add(0, band, profile.double())
    return (sums / sums.sum().clamp_min(1e-300)).tolist()


@HOOKS.register_module()
class SpectralMonitorHook(Hook):
    """Every ``interval`` training iterations, log per-band figures of the current batch:

    * ``spectral/ce_band{i}``: the share of the cross-entropy carried by band i of
      ``n_bands`` equal bands of [0, 1/2] cycles per pixel (Parseval, on the label grid; the
      shares sum to 1 and have both signs: the lowest band usually exceeds 1, higher bands,
      where prediction and labels correlate, are negative), and ``spectral/ce_cutoff95``, the
      frequency from which on the truncated CE is within 5 % of the CE;
    * for distillation algorithms, for every recorder recorded by both student and teacher
      as a (B, C, H, W) map: ``spectral/<recorder>/student_band{i}`` and ``teacher_band{i}``,
      the fraction of the feature's energy in band i, so a run shows which frequencies
      distillation moves.

    The figures go to the runner's logs (``LoggerHook``) and, after the run, with one plot per
    group, to ``<work_dir>/spectral_monitor/`` (``history.json``, PNGs).

    Works with an mmseg ``EncoderDecoder`` and with mmrazor algorithms whose ``student`` (or
    ``architecture``) is one: the logits of the student's decode head (its ``conv_seg``, also
    inside a :class:`~mmfreqkd.analysis.FeatureTruncationHead`) are taken during the training
    forward (no extra forward pass).

    Args:
        interval: iterations between measurements ([our default] 50).
        n_bands: bands of [0, 1/2] cycles per pixel ([our default] 4).
        bin_width: ring width in cycles per pixel ([our default] 1/64).
        plot: write the plots after the run.
    """

    priority = 'LOW'

    def __init__(self, interval: int = 50, n_bands: int = 4, bin_width: float = 1 / 64,
                 plot: bool = True) -> None:
        if interval < 1 or n_bands < 1:
            raise ValueError(f'SpectralMonitorHook: interval and n_bands must be >= 1, got '
                             f'{interval} and {n_bands}')
        self.interval, self.n_bands, self.bin_width, self.plot = (interval, n_bands, bin_width,
                                                                  plot)
        self.history: List[Dict[str, float]] = []
        self._logits: Optional[torch.Tensor] = None
        self._measuring = False
        self._handle = None

    def before_run(self, runner) -> None:
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        self._model = model
        segmentor = getattr(model, 'student', None) or getattr(model, 'architecture', model)
        if not hasattr(segmentor, 'decode_head'):
            raise ValueError(f'SpectralMonitorHook needs a segmentor with a decode_head (or an '
                             f'algorithm whose student has one); got {type(segmentor).__name__}')
        self._head = segmentor.decode_head
        classifiers = [m for name, m in self._head.named_modules()
                       if name.split('.')[-1] == 'conv_seg']
        if not classifiers:
            raise ValueError('SpectralMonitorHook: the decode head has no `conv_seg` classifier '
                             'whose output (the logits) it could record')
        # heads call their own forward() in training, so the classifier is hooked, not the head
        self._handle = classifiers[0].register_forward_hook(self._keep_logits)

    def _keep_logits(self, _module, _inputs, output) -> None:
        if self._measuring and torch.is_tensor(output):
            self._logits = output.detach()

    def before_train_iter(self, runner, batch_idx: int, data_batch=None) -> None:
        self._measuring = self.every_n_train_iters(runner, self.interval)
        self._logits = None

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        if not self._measuring or self._logits is None or data_batch is None:
            return
        figures = dict(iter=runner.iter + 1, **self._ce_figures(data_batch['data_samples']),
                       **self._feature_figures())
        self.history.append(figures)
        for key, value in figures.items():
            if key != 'iter':
                runner.message_hub.update_scalar(f'train/{key}', value)
        self._measuring = False

    def _ce_figures(self, samples) -> Dict[str, float]:
        labels = torch.stack([s.gt_sem_seg.data[0] for s in samples]).to(self._logits.device)
        logits = F.interpolate(self._logits.float(), size=labels.shape[-2:], mode='bilinear',
                               align_corners=self._head.align_corners)
        report = SpectralReport(self._head.num_classes,
                                getattr(self._head, 'ignore_index', 255), self.bin_width,
                                fractions=(0.95, ))
        report.add(logits, labels)
        summary = report.summary()
        fractions = band_fractions(report.ce, self.bin_width, self.n_bands)
        out = {f'spectral/ce_band{i}': f for i, f in enumerate(fractions)}
        out['spectral/ce_cutoff95'] = summary['ce']['cutoffs']['95%']
        return out

    def _feature_figures(self) -> Dict[str, float]:
        distiller = getattr(self._model, 'distiller', None)
        distiller = getattr(distiller, 'module', distiller)
        if distiller is None or not hasattr(distiller, 'teacher_recorders'):
            return {}
        out = {}
        student, teacher = distiller.student_recorders, distiller.teacher_recorders
        for name in sorted(set(student.recorders) & set(teacher.recorders)):
            pair = dict(student=student.get_recorder(name).get_record_data(),
                        teacher=teacher.get_recorder(name).get_record_data())
            if not all(torch.is_tensor(x) and x.dim() == 4 for x in pair.values()):
                continue
            for side, x in pair.items():
                fractions = band_fractions(feature_profile(x, self.bin_width, name),
                                           self.bin_width, self.n_bands)
                out.update({f'spectral/{name}/{side}_band{i}': f
                            for i, f in enumerate(fractions)})
        return out

    def after_run(self, runner) -> None:
        if self._handle is not None:
            self._handle.remove()
        if not self.history or not self.plot or runner.rank != 0:
            return
        out_dir = osp.join(runner.work_dir, 'spectral_monitor')
        os.makedirs(out_dir, exist_ok=True)
        with open(osp.join(out_dir, 'history.json'), 'w') as f:
            json.dump(self.history, f, indent=1)
        _plot_history(self.history, out_dir)


def _plot_history(history: List[Dict[str, float]], out_dir: str) -> None:
    """One PNG per group (``ce`` and every recorder): its band fractions over iterations."""
    from matplotlib.figure import Figure  # no pyplot: the global backend stays the user's

    iters = [h['iter'] for h in history]
    groups: Dict[str, List[str]] = {}
    for key in history[-1]:
        if '_band' in key:
            group = key[len('spectral/'):].rsplit('/', 1)[0] if '/' in key[len(
                'spectral/'):] else 'ce'
            groups.setdefault(group, []).append(key)
    for group, keys in groups.items():
        fig = Figure(figsize=(6, 4))
        ax = fig.subplots()
        for key in keys:
            style = '--' if '/teacher_' in key else '-'
            ax.plot(iters, [h.get(key, float('nan')) for h in history], style,
                    label=key.rsplit('/', 1)[-1] if group != 'ce' else key.split('/')[-1])
        ax.set_xlabel('iteration')
        ax.set_ylabel('fraction per band')
        ax.set_title(f'{group}: share of each frequency band')
        ax.legend(fontsize=6)
        fig.tight_layout()
        fig.savefig(osp.join(out_dir, f'{group.replace("/", "_")}_bands.png'), dpi=120)
