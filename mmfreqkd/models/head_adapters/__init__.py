"""Head adapters: what DS2D2's knowledge amplifiers need to know about a detector's head
(how to run it on a list of features, its priors and standard assignment, how to decode its
boxes, which scores are its class probabilities), one small adapter per head family, chosen
from the head's class when the algorithm is built."""
import inspect
from typing import Optional, Tuple

from .dense import (AnchorDeltaAdapter, ATSSAdapter, DenseHeadAdapter, DenseRows, DenseStep,
                    FCOSAdapter, GFLAdapter, RotatedFCOSAdapter, RotatedRTMDetAdapter,
                    RTMDetAdapter, levels_to_rows)
from .roi import CascadeRoIHeadAdapter, RoIHeadAdapter

__all__ = ['HEAD_ADAPTERS', 'build_head_adapter', 'head_family', 'AnchorDeltaAdapter',
           'CascadeRoIHeadAdapter',
           'ATSSAdapter', 'DenseHeadAdapter', 'DenseRows', 'DenseStep', 'FCOSAdapter',
           'GFLAdapter', 'RoIHeadAdapter', 'RotatedFCOSAdapter', 'RotatedRTMDetAdapter',
           'RTMDetAdapter', 'levels_to_rows']

#: head class name -> its family's adapter. A subclass belongs to the family of the first listed
#: class of its MRO unless a class before that one redefines how the head runs, assigns or
#: decodes (one of ``_REDEFINING``): such heads (e.g. YOLO's, RTMDet-Ins's) get an error.
HEAD_ADAPTERS = {
    'RetinaHead': AnchorDeltaAdapter,
    'ATSSHead': ATSSAdapter,
    'GFLHead': GFLAdapter,
    'FCOSHead': FCOSAdapter,
    'RotatedFCOSHead': RotatedFCOSAdapter,
    'RTMDetHead': RTMDetAdapter,
    'RTMDetSepBNHead': RTMDetAdapter,
    'RotatedRTMDetHead': RotatedRTMDetAdapter,
    'RotatedRTMDetSepBNHead': RotatedRTMDetAdapter,
    'StandardRoIHead': RoIHeadAdapter,
    'CascadeRoIHead': CascadeRoIHeadAdapter,
}
_REDEFINING = ('forward', 'forward_single', '_bbox_forward', 'get_targets', 'predict_by_feat',
               '_predict_by_feat_single')


def head_family(head) -> str:
    """The name of the :data:`HEAD_ADAPTERS` family ``head`` belongs to; a ``TypeError``
    naming the head and the supported families if none."""
    for cls in type(head).__mro__:
        if cls.__name__ in HEAD_ADAPTERS:
            return cls.__name__
        redefined = [m for m in _REDEFINING if m in vars(cls)]
        if redefined:
            break
    raise TypeError(
        f'DS2D2 has no head adapter for {type(head).__name__}'
        + (f' (it redefines {", ".join(redefined)} of its parent)' if redefined else '')
        + f'; supported head families (and their unmodified subclasses): '
        f'{", ".join(HEAD_ADAPTERS)}')


def build_head_adapter(student, teacher, options: Optional[dict] = None) -> Tuple[str, object]:
    """``(attribute, adapter)``: the detectors' head attribute (``roi_head`` for two-stage
    detectors, else ``bbox_head``) and the adapter of the student's head, built with
    ``options`` (DS2D2's ``model.head_adapter``, e.g. ``dict(stages='last')`` for Cascade
    R-CNN). The amplifiers run the teacher's head on student features, so both heads must be of
    one family with the same number of priors per position."""
    attribute = 'roi_head' if getattr(student, 'roi_head', None) is not None else 'bbox_head'
    heads = {}
    for side, model in (('architecture', student), ('teacher', teacher)):
        head = getattr(model, attribute, None)
        if head is None:
            raise TypeError(f'DS2D2 distils detectors with a {attribute}: model.{side} '
                            f'({type(model).__name__}) has none')
        heads[side] = head
    families = {side: head_family(head) for side, head in heads.items()}
    if families['architecture'] != families['teacher']:
        raise TypeError(f'DS2D2 runs the teacher head on student features: the student\'s '
                        f'{attribute} ({families["architecture"]} family) and the teacher\'s '
                        f'({families["teacher"]} family) must be of one family')
    priors = [getattr(h, 'num_base_priors', None) for h in heads.values()]
    if priors[0] != priors[1]:
        raise ValueError(f'DS2D2: the student head has {priors[0]} priors per position, the '
                         f'teacher head {priors[1]}: the amplifiers decode the teacher head\'s '
                         'outputs on the student head\'s priors')
    adapter = HEAD_ADAPTERS[families['architecture']]
    accepted = set(inspect.signature(adapter).parameters) - {'head'}
    unknown = set(options or {}) - accepted
    if unknown:
        raise ValueError(f'model.head_adapter: {adapter.__name__} ({families["architecture"]} '
                         f'family) takes {sorted(accepted) or "no options"}, got '
                         f'{sorted(unknown)}')
    return attribute, adapter(heads['architecture'], **(options or {}))
