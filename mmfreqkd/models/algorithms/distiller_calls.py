"""How an algorithm calls its distiller: through a model wrapper when there is one, with a
failing loss explained."""
from typing import Dict, Optional

import torch
from mmengine.model import is_model_wrapper

from ..distillers import FreqKDDistiller
from .records import explain_loss_failure

__all__ = ['DistillerCallsMixin', 'DistillLossError']


class DistillLossError(RuntimeError):
    """A distillation loss failed; the message names the loss, its inputs and their shapes."""


class DistillerCallsMixin:
    """``distiller_module`` and ``compute_distill_losses`` for algorithms with a
    ``self.distiller``."""

    @property
    def distiller_module(self):
        """The distiller itself, also when a model wrapper (e.g. mmengine's
        ``MMSeparateDistributedDataParallel``) has wrapped it."""
        return self.distiller.module if is_model_wrapper(self.distiller) else self.distiller

    def compute_distill_losses(self, batch_inputs: Optional[torch.Tensor] = None,
                               data_samples: Optional[list] = None) -> Dict[str, torch.Tensor]:
        """The distiller's losses on the current records; a failure names its inputs.

        The batch reaches the losses' ``from_batch`` mapping entries (ground truth, input
        shape; :class:`~mmfreqkd.models.distillers.FreqKDDistiller`). A wrapped distiller is
        called through its wrapper, so DistributedDataParallel all-reduces the connectors'
        gradients; that needs a distiller with a ``forward`` (``FreqKDDistiller``)."""
        distiller = self.distiller_module
        if is_model_wrapper(self.distiller) and not isinstance(distiller, FreqKDDistiller):
            raise TypeError(
                f'a wrapped distiller must be a mmfreqkd.FreqKDDistiller (its forward computes '
                f'the losses, so the wrapper synchronises their gradients); got '
                f'{type(distiller).__name__}: set distiller.type="mmfreqkd.FreqKDDistiller"')
        try:
            if is_model_wrapper(self.distiller):
                return self.distiller(batch_inputs, data_samples)
            if isinstance(distiller, FreqKDDistiller):
                return distiller.compute_distill_losses(batch_inputs, data_samples)
            return distiller.compute_distill_losses()
        except (RuntimeError, ValueError, TypeError) as err:
            explanation = explain_loss_failure(distiller)
            if explanation is None:
                raise
            raise DistillLossError(explanation) from err
