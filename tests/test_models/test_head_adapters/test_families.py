"""Choosing a head adapter: every supported family and its unmodified subclasses resolve; heads
that redefine how they run, assign or decode (RTMDet-Ins, rotated ATSS, Sparse R-CNN, ...) and
unrelated heads get a build-time error naming the head and the supported families; student and
teacher heads must be of one family."""
from types import SimpleNamespace

import pytest
from mmdet.models.dense_heads import (ATSSHead, FCOSHead, FreeAnchorRetinaHead, GFLHead, RetinaHead,
                                      RTMDetHead, RTMDetInsHead, RTMDetSepBNHead, YOLOV3Head)
from mmdet.models.roi_heads import CascadeRoIHead, SparseRoIHead, StandardRoIHead

from mmfreqkd.models.head_adapters import (HEAD_ADAPTERS, AnchorDeltaAdapter, ATSSAdapter,
                                           FCOSAdapter, GFLAdapter, RoIHeadAdapter, RTMDetAdapter,
                                           build_head_adapter, head_family)


def _head(cls):
    return object.__new__(cls)  # the family depends on the class alone


@pytest.mark.parametrize('cls, family', [
    (RetinaHead, 'RetinaHead'), (FreeAnchorRetinaHead, 'RetinaHead'), (ATSSHead, 'ATSSHead'),
    (GFLHead, 'GFLHead'), (FCOSHead, 'FCOSHead'), (RTMDetHead, 'RTMDetHead'),
    (RTMDetSepBNHead, 'RTMDetSepBNHead'), (StandardRoIHead, 'StandardRoIHead'),
    (CascadeRoIHead, 'CascadeRoIHead')])
def test_supported_families_and_unmodified_subclasses(cls, family):
    assert head_family(_head(cls)) == family


def test_mmrotate_heads():
    from mmrotate.models.dense_heads import (RotatedATSSHead, RotatedFCOSHead, RotatedRetinaHead,
                                             RotatedRTMDetSepBNHead)
    assert head_family(_head(RotatedRetinaHead)) == 'RetinaHead'
    assert head_family(_head(RotatedFCOSHead)) == 'RotatedFCOSHead'
    assert head_family(_head(RotatedRTMDetSepBNHead)) == 'RotatedRTMDetSepBNHead'
    with pytest.raises(TypeError, match=r'RotatedATSSHead \(it redefines get_targets'):
        head_family(_head(RotatedATSSHead))


@pytest.mark.parametrize('cls', [RTMDetInsHead, YOLOV3Head, SparseRoIHead])
def test_unsupported_heads_are_named_with_the_supported_families(cls):
    with pytest.raises(TypeError, match=rf'no head adapter for {cls.__name__}\b.*'
                       r'supported head families.*RetinaHead, ATSSHead, GFLHead, FCOSHead, .*'
                       r'RTMDetHead, .*StandardRoIHead'):
        head_family(_head(cls))


def _detector(head_attribute, cls):
    return SimpleNamespace(**{head_attribute: _head(cls)})


@pytest.mark.parametrize('cls, adapter', [
    (RetinaHead, AnchorDeltaAdapter), (ATSSHead, ATSSAdapter), (GFLHead, GFLAdapter),
    (FCOSHead, FCOSAdapter), (RTMDetSepBNHead, RTMDetAdapter)])
def test_build_picks_the_students_family(cls, adapter):
    attribute, built = build_head_adapter(_detector('bbox_head', cls), _detector('bbox_head', cls))
    assert attribute == 'bbox_head' and type(built) is adapter
    assert HEAD_ADAPTERS[head_family(_head(cls))] is adapter


def test_build_two_stage_and_mismatched_pairs():
    attribute, built = build_head_adapter(
        _detector('roi_head', StandardRoIHead), _detector('roi_head', StandardRoIHead))
    assert attribute == 'roi_head' and type(built) is RoIHeadAdapter
    with pytest.raises(TypeError, match=r"student's bbox_head \(RetinaHead family\) and the "
                       r"teacher's \(ATSSHead family\) must be of one family"):
        build_head_adapter(_detector('bbox_head', RetinaHead), _detector('bbox_head', ATSSHead))
    with pytest.raises(TypeError, match=r'model.teacher \(SimpleNamespace\) has none'):
        build_head_adapter(_detector('roi_head', StandardRoIHead),
                           _detector('bbox_head', RetinaHead))
