"""What SSTKD needs to know about an mmseg ``EncoderDecoder`` pair, found by one forward pass
of each backbone: the low-level stage whose features the texture losses compare (Ji et al.,
"Structural and Statistical Texture Knowledge Distillation for Semantic Segmentation", CVPR
2022, Sec. 3: the first stage, at stride 4), its channels, and the number of classes.

A distillation config marks what it leaves to the probe with placeholders (the SSTKD base
config does, so a new pair needs only its ``architecture`` and ``teacher``):

* ``'auto'`` as a recorder's ``source``: that side's low-level stage (``backbone.layer1`` of a
  ResNet, ``backbone.layer2`` of a MobileNetV2, ...);
* ``'student.low_level'`` / ``'teacher.low_level'`` as a channel count: that stage's channels;
* ``'teacher.num_classes'``: the teacher decode head's classes.
"""
import copy
from typing import Any, Dict, Tuple

import torch

__all__ = ['AUTO_SOURCE', 'low_level_stage', 'fill_placeholders', 'has_placeholders']

AUTO_SOURCE = 'auto'
_CHANNELS = ('student.low_level', 'teacher.low_level')
_CLASSES = 'teacher.num_classes'


def low_level_stage(segmentor, size: int = 128) -> Tuple[str, int]:
    """``(module name, channels)`` of the last direct child of ``segmentor.backbone`` whose
    output is at stride 4, found by running the backbone (in eval mode, without gradient) on a
    ``size`` x ``size`` zero image; a ``ValueError`` naming the children otherwise."""
    backbone = getattr(segmentor, 'backbone', None)
    if backbone is None:
        raise ValueError(f'{type(segmentor).__name__} has no backbone: set the low_level '
                         "recorder's source and the connectors' channels explicitly")
    strides: Dict[str, Any] = {}

    def record(name):
        def hook(module, inputs, output):
            maps = [o for o in (output if isinstance(output, (tuple, list)) else [output])
                    if isinstance(o, torch.Tensor) and o.dim() == 4]
            if maps:
                strides[name] = (size / maps[0].shape[-1], maps[0].shape[1])
        return hook

    hooks = [child.register_forward_hook(record(name))
             for name, child in backbone.named_children()]
    training = segmentor.training
    segmentor.eval()
    try:
        parameter = next(backbone.parameters())
        # the image channels: those of the first convolution (backbones' own `in_channels`
        # attributes can mean their running width, as MobileNetV2's)
        channels = next((m.in_channels for m in backbone.modules()
                         if isinstance(m, torch.nn.Conv2d)), 3)
        with torch.no_grad():
            backbone(torch.zeros(1, channels, size, size, dtype=parameter.dtype,
                                 device=parameter.device))
    finally:
        for hook in hooks:
            hook.remove()
        segmentor.train(training)
    at_four = [(name, channels) for name, (stride, channels) in strides.items() if stride == 4]
    if not at_four:
        found = ', '.join(f'{n} (stride {s:g})' for n, (s, _) in strides.items()) or 'none'
        raise ValueError(f'{type(backbone).__name__}: no backbone stage outputs stride-4 maps '
                         f'(children with map outputs: {found}); set the low_level recorder\'s '
                         "source and the connectors' channels explicitly")
    name, channels = at_four[-1]
    return f'backbone.{name}', int(channels)


def has_placeholders(*configs) -> bool:
    """Whether the configs hold a probe placeholder: a recorder ``source='auto'`` (of a
    distiller's ``student_recorders``/``teacher_recorders``) or a channel or class placeholder
    anywhere."""
    return any(_walk(c) or any(r.get('source') == AUTO_SOURCE
                               for side in ('student', 'teacher')
                               for r in ((c or {}).get(f'{side}_recorders') or {}).values())
               for c in configs)


def fill_placeholders(student, teacher, *configs):
    """Copies of ``configs`` with every placeholder replaced by what the probe finds on the
    built ``student`` and ``teacher`` segmentors (a side is probed only if a placeholder
    needs it)."""
    models = dict(student=student, teacher=teacher)
    stages = {}

    def stage(side):
        if side not in stages:
            stages[side] = low_level_stage(models[side])
        return stages[side]

    filled = []
    for config in configs:
        config = copy.deepcopy(config)
        for side in models:
            for recorder in ((config or {}).get(f'{side}_recorders') or {}).values():
                if recorder.get('source') == AUTO_SOURCE:
                    recorder['source'] = stage(side)[0]
        filled.append(_substitute(config, lambda name: _value(name, stage, teacher)))
    return filled


def _value(name: str, stage, teacher):
    if name == _CLASSES:
        head = getattr(teacher, 'decode_head', None)
        if head is None:
            raise ValueError(f'{name!r}: the teacher has no decode_head to take it from')
        return head.num_classes
    return stage(name.split('.')[0])[1]


def _substitute(value, lookup):
    if isinstance(value, dict):
        return type(value)({k: _substitute(v, lookup) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return type(value)(_substitute(v, lookup) for v in value)
    if isinstance(value, str) and value in (*_CHANNELS, _CLASSES):
        return lookup(value)
    return value


def _walk(value) -> bool:
    if isinstance(value, dict):
        return any(_walk(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_walk(v) for v in value)
    return isinstance(value, str) and value in (*_CHANNELS, _CLASSES)
