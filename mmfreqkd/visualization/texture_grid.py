"""Teacher vs student texture maps of an SSTKD-style distiller, as in Fig. 4 of Ji et al.
(CVPR 2022): contourlet sub-bands and DTIEM equalised intensity of the low-level feature.

The maps are found through the distiller itself: every loss of type
:class:`~mmfreqkd.models.losses.StructuralTextureLoss` or
:class:`~mmfreqkd.models.losses.StatisticalTextureLoss` names the records (and connector
chains) it compares, so any config built from these losses can be shown.
"""
from typing import Dict, List, Tuple

import numpy as np
import torch
from matplotlib.figure import Figure

from ..models.losses import StatisticalTextureLoss, StructuralTextureLoss
from ..ops import DirectionalSubbands

__all__ = ['texture_maps', 'save_texture_grid']

Panel = Tuple[str, np.ndarray, np.ndarray]  # (title, teacher map, student map)


def _energy(x: torch.Tensor) -> np.ndarray:
    """|x| averaged over channels of the first sample: (H, W)."""
    return x[0].abs().float().mean(0).cpu().numpy()


def _materialized(level) -> torch.Tensor:
    """A level's sub-bands (B, C, K, H, W), formed if the connector kept them lazy."""
    return level.materialize() if isinstance(level, DirectionalSubbands) else level


@torch.no_grad()
def texture_maps(algorithm, inputs: torch.Tensor) -> List[Panel]:
    """Run teacher and student on preprocessed ``inputs`` and return the panels.

    Structural panels: one per pyramid level j and direction k (channel-mean magnitude of
    d_jk) and the coarse band; statistical panels: the equalised-intensity channel (the last
    one) and the channel mean of the enhanced texture features.
    """
    distiller = algorithm.distiller_module
    with distiller.student_recorders, distiller.teacher_recorders:
        algorithm.student(inputs, mode='tensor')
        algorithm.teacher(inputs, mode='tensor')
    panels: List[Panel] = []
    for name, loss in distiller.distill_losses.items():
        if not isinstance(loss, (StructuralTextureLoss, StatisticalTextureLoss)):
            continue
        mapping = distiller.loss_forward_mappings[name]
        student = distiller.get_record(**mapping['preds_S'])
        teacher = distiller.get_record(**mapping['preds_T'])
        if isinstance(loss, StructuralTextureLoss):
            for j, (s, t) in enumerate(zip(student[:-1], teacher[:-1])):
                s, t = _materialized(s), _materialized(t)
                for k in range(s.shape[2]):
                    panels.append((f'{name} level {j + 1} dir {k}', _energy(t[:, :, k]),
                                   _energy(s[:, :, k])))
            panels.append((f'{name} coarse', _energy(teacher[-1]), _energy(student[-1])))
        else:
            panels.append((f'{name} equalised', teacher[0, -1].cpu().numpy(),
                           student[0, -1].cpu().numpy()))
            panels.append((f'{name} texture', _energy(teacher[:, :-1]), _energy(student[:, :-1])))
    if not panels:
        raise ValueError('the distiller has no StructuralTextureLoss or StatisticalTextureLoss '
                         f'(its losses: {sorted(distiller.distill_losses)})')
    return panels


def save_texture_grid(panels: List[Panel], out: str, columns: int = 8) -> Dict[str, int]:
    """Save the panels as a PNG grid: teacher rows above student rows, one colour scale per
    panel (shared by teacher and student). Returns the grid's ``rows`` and ``columns``."""
    columns = min(columns, len(panels))
    blocks = -(-len(panels) // columns)
    fig = Figure(figsize=(1.6 * columns, 3.4 * blocks))  # no pyplot: no global backend
    axes = fig.subplots(2 * blocks, columns, squeeze=False)
    for ax in axes.flat:
        ax.axis('off')
    for i, (title, teacher, student) in enumerate(panels):
        row, col = 2 * (i // columns), i % columns
        lo, hi = min(teacher.min(), student.min()), max(teacher.max(), student.max())
        for r, (who, image) in enumerate((('T', teacher), ('S', student))):
            ax = axes[row + r, col]
            ax.imshow(image, cmap='viridis', vmin=lo, vmax=hi)
            ax.set_title(f'{who}: {title}', fontsize=5)
    fig.tight_layout()
    fig.savefig(out, dpi=150)
    return dict(rows=2 * blocks, columns=columns)
