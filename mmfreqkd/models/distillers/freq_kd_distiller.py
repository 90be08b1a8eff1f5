"""mmrazor's ConfigurableDistiller with connector chains, gradient-free teacher mappings, batch
entries (ground truth for the losses) and a ``forward`` (so a DistributedDataParallel wrapper
synchronises the connectors' gradients)."""
from inspect import signature
from typing import Optional, Sequence, Union

import torch
from mmrazor.models.distillers import ConfigurableDistiller

from ...registry import MODELS, check_types

__all__ = ['FreqKDDistiller']


@MODELS.register_module()
class FreqKDDistiller(ConfigurableDistiller):
    """A drop-in ``ConfigurableDistiller`` whose loss mappings also accept:

    * ``connector=('align', 'cdm')``: a chain of connectors applied in order (e.g. a channel
      alignment shared by several texture branches, then the branch's transform);
    * ``no_grad=True``: the record goes through its connectors without gradient (the teacher
      side of SSTKD's DTIEM, through its frozen target copy);
    * ``dict(from_batch=KEY)`` instead of a recorder: the loss argument comes from the training
      batch (mmrazor never passes it to losses). ``KEY`` is ``'inputs'`` (the preprocessed
      batch tensor), ``'data_samples'`` (the list), or the name of a data-sample field or
      metainfo key, given as a list with one entry per image: ``'gt_instances'``,
      ``'gt_sem_seg'``, ``'batch_input_shape'``, ``'img_shape'``... (DS2D2's scale weights
      take the ground-truth boxes this way). The algorithm passes the batch to
      :meth:`compute_distill_losses` (:class:`~mmfreqkd.models.algorithms.SingleTeacherKD`
      does).

    A loss set to ``None`` (``distill_losses=dict(loss_sta=None)`` in a child config, or
    ``--cfg-options model.distiller.distill_losses.loss_sta=None``) is switched off, with its
    mappings and the connectors that only it used (ablations without dead parameters).

    ``forward()`` returns :meth:`compute_distill_losses`; algorithms call the distiller (not the
    method) so that under ``MMSeparateDistributedDataParallel`` the connectors' gradients are
    all-reduced.

    Examples:
        >>> mapping = dict(
        ...     preds_S=dict(from_student=True, recorder='stage1', connector=('align', 'cdm')),
        ...     preds_T=dict(from_student=False, recorder='stage1', connector='cdm'),
        ...     gt_instances=dict(from_batch='gt_instances'))
    """

    def __init__(self, distill_losses: Optional[dict] = None,
                 loss_forward_mappings: Optional[dict] = None,
                 connectors: Optional[dict] = None, **kwargs) -> None:
        distill_losses, loss_forward_mappings, connectors = _switch_off(
            distill_losses or {}, loss_forward_mappings or {}, connectors or {})
        check_types(distill_losses, 'model.distiller.distill_losses')
        check_types(connectors, 'model.distiller.connectors')
        super().__init__(distill_losses=distill_losses,
                         loss_forward_mappings=loss_forward_mappings, connectors=connectors,
                         **kwargs)
        self._chain_cache = None  # {mapping + chain prefix: output} during a loss computation
        self._batch = None  # (inputs, data_samples) during a loss computation

    def forward(self, batch_inputs: Optional[torch.Tensor] = None,
                data_samples: Optional[list] = None) -> dict:
        return self.compute_distill_losses(batch_inputs, data_samples)

    def compute_distill_losses(self, batch_inputs: Optional[torch.Tensor] = None,
                               data_samples: Optional[list] = None) -> dict:
        """mmrazor's loss computation, with every connector-chain prefix computed once per
        call (a shared alignment feeding several branches runs, and updates its BN, once) and
        the batch available to ``from_batch`` mapping entries."""
        self._chain_cache = {}
        self._batch = (batch_inputs, data_samples)
        try:
            return super().compute_distill_losses()
        finally:
            self._chain_cache = self._batch = None

    def batch_entry(self, key: str):
        """The ``from_batch=key`` argument of a loss (see the class docstring)."""
        inputs, data_samples = self._batch if self._batch is not None else (None, None)
        if key == 'inputs' and inputs is not None:
            return inputs
        if data_samples is None:
            raise ValueError(
                f'a loss mapping takes from_batch={key!r}, but the algorithm did not pass the '
                'batch to compute_distill_losses(batch_inputs, data_samples)')
        if key == 'data_samples':
            return data_samples
        cache = self._chain_cache if self._chain_cache is not None else {}
        if ('from_batch', key) not in cache:  # once per step: every loss gets the same list
            cache[('from_batch', key)] = [_sample_entry(sample, key) for sample in data_samples]
        return cache[('from_batch', key)]

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
                if isinstance(info, dict) and 'from_batch' in info:
                    _check_batch_mapping(losses[loss_name], loss_name, key, info)
                    continue
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
                   recorder: Optional[str] = None,
                   from_student: Optional[bool] = None,
                   record_idx: int = 0,
                   data_idx: Optional[int] = None,
                   connector: Union[None, str, Sequence[str]] = None,
                   connector_idx: Optional[int] = None,
                   no_grad: bool = False,
                   from_batch: Optional[str] = None):
        if from_batch is not None:
            return self.batch_entry(from_batch)
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
            record = _map_tensors(record, torch.Tensor.detach)
        # contiguous: mmrazor's losses flatten their inputs with `view` (its CWD fails on the
        # cropped output of a restorer, e.g. on 37 x 53 crops); a no-op when already so
        record = _map_tensors(record, torch.Tensor.contiguous)
        return record if connector_idx is None else record[connector_idx]


def _check_batch_mapping(loss, loss_name: str, key: str, info: dict) -> None:
    """A ``from_batch`` entry names a batch key, nothing else, and an argument of the loss."""
    if set(info) != {'from_batch'} or not isinstance(info['from_batch'], str):
        raise ValueError(
            f'loss_forward_mappings.{loss_name}.{key}: a batch entry is '
            f"dict(from_batch='<key>') alone (e.g. 'gt_instances'); got {info}")
    if key not in signature(loss.forward).parameters:
        raise KeyError(f'loss_forward_mappings.{loss_name}.{key}: {type(loss).__name__}.forward '
                       f'has no argument {key!r}')


def _sample_entry(sample, key: str):
    """A data sample's field or metainfo value ``key``; a KeyError listing both otherwise."""
    if key in sample:
        return sample.get(key)
    if key in sample.metainfo:
        return sample.metainfo[key]
    raise KeyError(f'from_batch={key!r}: the data samples have no such field or metainfo key; '
                   f'fields {sorted(sample.keys())}, metainfo {sorted(sample.metainfo_keys())}')


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


def _map_tensors(record, fn):
    """``fn`` applied to every tensor of a record (a tensor, or a list or tuple of them)."""
    if torch.is_tensor(record):
        return fn(record)
    if isinstance(record, (list, tuple)):
        return type(record)(_map_tensors(r, fn) for r in record)
    return record
