"""SSTKD: Structural and Statistical Texture Knowledge Distillation for semantic segmentation
(Ji et al., CVPR 2022; docs/methods/sstkd.md).

Structural texture (contourlet sub-bands, :class:`~mmfreqkd.models.connectors.ContourletConnector`
+ :class:`~mmfreqkd.models.losses.StructuralTextureLoss`), statistical texture
(:class:`~mmfreqkd.models.connectors.DTIEMConnector` +
:class:`~mmfreqkd.models.losses.StatisticalTextureLoss`) and pixel-wise response KD
(:class:`~mmfreqkd.models.losses.PixelWiseKLLoss`) are ordinary distiller losses, configured in
``distiller``; this algorithm adds the adversarial term (WGAN-GP with a self-attention critic on
the logit maps) and the train step that alternates the student and the critic.
"""
from typing import Dict, List, Optional

import torch
from mmengine.model import is_model_wrapper
from mmengine.optim import OptimWrapper, OptimWrapperDict
from mmrazor.models.utils import add_prefix

from ...registry import MODELS, build_component
from ..builder import build_model
from .segmentor_probe import fill_placeholders, has_placeholders
from .single_teacher_kd import SingleTeacherKD

__all__ = ['SSTKD']

#: Optimizer-wrapper keys of the student step, in stepping order (the first one leads: its
#: loss scaling, accumulation and context serve the step).
STUDENT_STEP_KEYS = ('architecture', 'distiller')


@MODELS.register_module()
class SSTKD(SingleTeacherKD):
    """SSTKD's algorithm: :class:`SingleTeacherKD` plus an adversarial critic.

    Each ``train_step`` runs the teacher and the student once, then

    1. the **student step**: the student's task losses, every distiller loss and the
       generator term ``-lambda_adv * mean D(z_S)`` (the critic frozen) are back-propagated
       once and the ``architecture`` and ``distiller`` optimizers step;
    2. the **critic step**: ``lambda_d * (mean D(z_S) - mean D(z_T) + lambda_gp * GP)`` on the
       detached logits, and the ``discriminator`` optimizer steps.

    The optimizers are separate: ``optim_wrapper`` must be an ``OptimWrapperDict`` (built by
    ``mmfreqkd.SubModelOptimWrapperConstructor``) with ``architecture``, ``distiller`` (if the
    distiller has parameters) and ``discriminator`` (if ``adversarial`` is set). Works
    unwrapped and under ``MMSeparateDistributedDataParallel``; the critic and every optimizer
    are saved in and resumed from checkpoints by the runner.

    Args:
        adversarial: None (no adversarial term) or a dict with
            ``discriminator`` (config, e.g. ``mmfreqkd.SelfAttentionDiscriminator``),
            ``generator_loss`` (default ``mmfreqkd.WGANGeneratorLoss``, weight 0.001),
            ``discriminator_loss`` (default ``mmfreqkd.WGANGPDiscriminatorLoss``, weights 0.1
            and 10), ``student_recorder`` / ``teacher_recorder`` (names of the distiller's
            logit recorders, default ``'logits'``).
        **kwargs: :class:`SingleTeacherKD` arguments (``architecture``, ``teacher``,
            ``distiller``, ``teacher_ckpt``...).

    Calibration (``calibration``, :class:`SingleTeacherKD`) leaves the generator term
    ``adv.loss_g`` at its configured weight unless ``calibration.targets`` names it: before
    training its critic is untrained, and the term's share then (1e-5 on the embedded pair)
    says nothing of its share once the critic has learnt (0.03 by iteration 450); calibrated
    on the untrained critic it was multiplied by 1e5 and swamped the student's step.

    Placeholders in ``distiller`` and ``adversarial`` (``source='auto'`` of a recorder,
    ``'student.low_level'``/``'teacher.low_level'`` channels, ``'teacher.num_classes'``) are
    filled from the built segmentors (:mod:`~mmfreqkd.models.algorithms.segmentor_probe`): the
    base config uses them, so any mmseg ``EncoderDecoder`` pair needs only its models.
    """

    uncalibrated_terms = ('adv.*', )

    def __init__(self, adversarial: Optional[dict] = None, **kwargs) -> None:
        if has_placeholders(kwargs.get('distiller'), adversarial):
            # in SingleTeacherKD's order (the same random initialisation as without the probe)
            kwargs['teacher'] = build_model(kwargs['teacher'], 'teacher')
            kwargs['architecture'] = build_model(kwargs['architecture'], 'architecture')
            kwargs['distiller'], adversarial = fill_placeholders(
                kwargs['architecture'], kwargs['teacher'], kwargs['distiller'], adversarial)
        super().__init__(**kwargs)
        self.adversarial = adversarial is not None
        #: optimizer-wrapper keys train_step needs (fixed at build time, checked every step)
        self.optim_keys = ['architecture'] + (['distiller'] if any(
            p.requires_grad for p in self.distiller.parameters()) else []) + (
                ['discriminator'] if self.adversarial else [])
        if not self.adversarial:
            return
        adv = dict(adversarial)
        if 'discriminator' not in adv:
            raise ValueError('model.adversarial needs a `discriminator` config (e.g. '
                             "dict(type='mmfreqkd.SelfAttentionDiscriminator', in_channels=19))")
        self.discriminator = build_component(adv.pop('discriminator'),
                                             'model.adversarial.discriminator')
        self.generator_loss = build_component(
            adv.pop('generator_loss', dict(type='mmfreqkd.WGANGeneratorLoss')),
            'model.adversarial.generator_loss')
        self.discriminator_loss = build_component(
            adv.pop('discriminator_loss', dict(type='mmfreqkd.WGANGPDiscriminatorLoss')),
            'model.adversarial.discriminator_loss')
        self.adv_recorders = dict(student=adv.pop('student_recorder', 'logits'),
                                  teacher=adv.pop('teacher_recorder', 'logits'))
        if adv:
            raise ValueError(f'model.adversarial: unknown keys {sorted(adv)}')
        for side, name in self.adv_recorders.items():
            manager = getattr(self.distiller_module, f'{side}_recorders')
            if name not in manager.recorders:
                raise ValueError(
                    f'model.adversarial.{side}_recorder={name!r} is not a recorder of '
                    f'distiller.{side}_recorders {sorted(manager.recorders)}')

    def _logits(self, side: str) -> torch.Tensor:
        return self.distiller_module.get_record(self.adv_recorders[side], side == 'student')

    def generator_losses(self) -> Dict[str, torch.Tensor]:
        """``{'adv.loss_g': -lambda_adv * mean D(z_S)}`` on the recorded student logits, the
        critic frozen (empty without ``adversarial`` or once distillation stopped)."""
        if not self.adversarial or self.distillation_stopped:
            return dict()
        return {'adv.loss_g': self.generator_loss(self._frozen_critic_scores(
            self._logits('student')))}

    def _frozen_critic_scores(self, logits: torch.Tensor) -> torch.Tensor:
        """D(logits) with the critic's parameters frozen: gradients reach only the logits.
        Called on the unwrapped critic, so no DistributedDataParallel reduction is armed."""
        critic = self.discriminator.module if is_model_wrapper(
            self.discriminator) else self.discriminator
        flags = [p.requires_grad for p in critic.parameters()]
        critic.requires_grad_(False)
        try:
            return critic(logits)
        finally:
            for p, flag in zip(critic.parameters(), flags):
                p.requires_grad_(flag)

    def _check_optim_wrapper(self, optim_wrapper) -> List[OptimWrapper]:
        """The wrappers of the student step; a clear error for a wrong optimizer config."""
        needed = self.optim_keys
        keys = list(optim_wrapper.keys()) if isinstance(optim_wrapper, OptimWrapperDict) else []
        if not isinstance(optim_wrapper, OptimWrapperDict) or set(needed) - set(keys):
            raise ValueError(
                f'SSTKD steps separate optimizers: optim_wrapper must be built by '
                f"constructor='mmfreqkd.SubModelOptimWrapperConstructor' with the keys "
                f'{needed}; got {keys or type(optim_wrapper).__name__}')
        group = [optim_wrapper[k] for k in STUDENT_STEP_KEYS if k in keys]
        lead = group[0]
        for key, wrapper in zip(STUDENT_STEP_KEYS[1:], group[1:]):
            if type(wrapper) is not type(lead) or \
                    wrapper._accumulative_counts != lead._accumulative_counts:
                raise ValueError(
                    f'optim_wrapper.{key} must have the type and accumulative_counts of '
                    f'optim_wrapper.architecture ({type(lead).__name__}, '
                    f'{lead._accumulative_counts}): they step together')
        return group

    def train_step(self, data, optim_wrapper: OptimWrapperDict) -> Dict[str, torch.Tensor]:
        group = self._check_optim_wrapper(optim_wrapper)
        data = self.data_preprocessor(data, True)
        adversarial = self.adversarial and not self.distillation_stopped
        with group[0].optim_context(self.student):
            losses = self.loss(data['inputs'], data['data_samples'])
            losses.update(self.generator_losses())
        loss, log_vars = self.parse_losses(losses)
        _step_together(group, loss)
        if adversarial:
            critic_wrapper = optim_wrapper['discriminator']
            with critic_wrapper.optim_context(self.discriminator):
                critic_losses = self.discriminator_loss(
                    self.discriminator, real=self._logits('teacher'),
                    fake=self._logits('student'))
            critic_loss, critic_vars = self.parse_losses(add_prefix(critic_losses, 'adv'))
            critic_wrapper.update_params(critic_loss)
            critic_vars['adv.loss_d'] = critic_vars.pop('loss')
            log_vars.update(critic_vars)
        return log_vars


def _step_together(wrappers: List[OptimWrapper], loss: torch.Tensor) -> None:
    """One backward of ``loss``, then every wrapper steps (with the leading wrapper's gradient
    accumulation and, under AMP, its loss scaler for all: ``scaler.step`` per optimizer, then
    one ``scaler.update``, as PyTorch documents for several optimizers)."""
    lead, rest = wrappers[0], wrappers[1:]
    lead.backward(lead.scale_loss(loss))
    if not lead.should_update():
        return
    scaler = getattr(lead, 'loss_scaler', None)
    for wrapper in rest:
        if scaler is None:
            wrapper.step()
        else:
            if wrapper.clip_grad_kwargs:
                scaler.unscale_(wrapper.optimizer)
                wrapper._clip_grad()
            scaler.step(wrapper.optimizer)
        wrapper.zero_grad()
    lead.step()
    lead.zero_grad()
