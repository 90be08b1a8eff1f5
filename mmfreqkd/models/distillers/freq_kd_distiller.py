"""mmrazor's ConfigurableDistiller with connector chains, gradient-free teacher mappings and a
``forward`` (so a DistributedDataParallel wrapper synchronises the connectors' gradients)."""
from typing import Optional, Sequence, Union

import torch
from mmrazor.models.distillers import ConfigurableDistiller

from ...registry import MODELS

__all__ = ['FreqKDDistiller']


@MODELS.register_module()
class FreqKDDistiller(ConfigurableDistiller):
    """A drop-in ``ConfigurableDistiller`` whose loss mappings also accept:

    * ``connector=('align', 'cdm')``: a chain of connectors applied in order (e.g. a channel
      alignment shared by several texture branches, then the branch's transform);
    * ``no_grad=True``: the record goes through its connectors without gradient, e.g. the
      teacher side of a learnable module shared with the student, which then learns only from
      the student side (SSTKD's DTIEM).

    A loss set to ``None`` (``distill_losses=dict(loss_sta=None)`` in a child config, or
    ``--cfg-options model.distiller.distill_losses.loss_sta=None``) is switched off, with its
    mappings and the connectors that only it used (ablations without dead parameters).

    ``forward()`` returns :meth:`compute_distill_losses`; algorithms call the distiller (not the
    method) so that under ``MMSeparateDistributedDataParallel`` the connectors' gradients are
    all-reduced.

    Examples:
        >>> mapping = dict(
        ...     preds_S=dict(from_student=True, recorder='stage1', connector=('align', 'cdm')),
        ...     preds_T=dict(from_student=False, recorder='stage1', connector='cdm'))
    """

    def __init__(self, distill_losses: Optional[dict] = None,
                 loss_forward_mappings: Optional[dict] = None,
                 connectors: Optional[dict] = None, **kwargs) -> None:
        distill_losses, loss_forward_mappings, connectors = _switch_off(
            distill_losses or {}, loss_forward_mappings or {}, connectors or {})
        super().__init__(distill_losses=distill_losses,
                         loss_forward_mappings=loss_forward_mappings, connectors=connectors,
                         **kwargs)
        self._chain_cache = None  # {mapping + chain prefix: output} during a loss computation

    def forward(self) -> dict:
        return self.compute_distill_losses()

    def compute_distill_losses(self) -> dict:
        """mmrazor's loss computation, with every connector-chain prefix computed once per
        call: a shared alignment feeding several branches runs (and updates its BN) once."""
        self._chain_cache = {}
        try:
            return super().compute_distill_losses()
        finally:
            self._chain_cache = None

    def _check_loss_forward_mappings(self, losses, loss_forward_mappings, student_recorders,
                                     teacher_recorders) -> None:
        """mmrazor's checks, with connector chains checked here (its check takes one name)."""
        plain = {}
        for loss_name, mappings in loss_forward_mappings.items():
            plain[loss_name] = mappings
            if not isinstance(mappings, dict):
                continue  # mmrazor's check raises the TypeError
            plain[loss_name] = {}
            for key, info in mappings.items():
                if isinstance(info, dict):
                    for name in _chain(info.get('connector')):
                        if name not in self.connectors:
                            raise KeyError(
                                f'loss_forward_mappings.{loss_name}.{key}: connector {name!r} '
                                f'is not in distiller.connectors {sorted(self.connectors)}')
                    info = {k: v for k, v in info.items() if k not in ('connector', 'no_grad')}
                plain[loss_name][key] = info
        super()._check_loss_forward_mappings(losses, plain, student_recorders,
                                             teacher_recorders)

    def get_record(self,
                   recorder: str,
                   from_student: bool,
                   record_idx: int = 0,
                   data_idx: Optional[int] = None,
                   connector: Union[None, str, Sequence[str]] = None,
                   connector_idx: Optional[int] = None,
                   no_grad: bool = False):
        record = super().get_record(recorder, from_student, record_idx, data_idx)
        cache = self._chain_cache
        chain = _chain(connector)
        with torch.set_grad_enabled(torch.is_grad_enabled() and not no_grad):
            for i, name in enumerate(chain):
                key = (recorder, from_student, record_idx, data_idx, no_grad, tuple(chain[:i + 1]))
                if cache is not None and key in cache:
                    record = cache[key]
                    continue
                record = self.connectors[name](record)
                if cache is not None:
                    cache[key] = record
        if no_grad:
            record = _detach(record)
        return record if connector_idx is None else record[connector_idx]


def _switch_off(losses: dict, mappings: dict, connectors: dict):
    """Drop the losses set to None, their mappings, and connectors no remaining mapping uses."""
    off = [name for name, cfg in losses.items() if cfg is None]
    if not off:
        return losses, mappings, connectors
    losses = {k: v for k, v in losses.items() if k not in off}
    mappings = {k: v for k, v in mappings.items() if k not in off}
    used = {name for forward in mappings.values() for info in forward.values()
            if isinstance(info, dict) for name in _chain(info.get('connector'))}
    return losses, mappings, {k: v for k, v in connectors.items() if k in used}


def _chain(connector) -> list:
    """Connector names of a mapping: None, one name, or a sequence of names."""
    if connector is None or isinstance(connector, str):
        return [connector] if connector else []
    return list(connector)


def _detach(record):
    if torch.is_tensor(record):
        return record.detach()
    if isinstance(record, (list, tuple)):
        return type(record)(_detach(r) for r in record)
    return record
