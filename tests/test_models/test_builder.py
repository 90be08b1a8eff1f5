"""mmfreqkd.models.builder: teacher/student from stock cfg_path, local file, or model dict."""
import pytest
from conftest import config_path
from mmengine.config import Config
from mmengine.model import BaseModel

from mmfreqkd.models.builder import build_model

STUDENT = config_path('embedded', 'pspnet_r18w4-d8_1xb8-1k_texseg-64x64.py')


def test_local_config_file():
    model = build_model(dict(cfg_path=STUDENT), 'architecture')
    assert type(model).__name__ == 'EncoderDecoder'
    stem_channels = Config.fromfile(STUDENT).model.backbone.stem_channels
    assert model.backbone.stem[0].out_channels == stem_channels // 2  # ResNetV1c halves it
    assert type(model.data_preprocessor).__name__ == 'SegDataPreProcessor'


def test_local_config_with_overrides_merged_into_model():
    model = build_model(dict(cfg_path=STUDENT, decode_head=dict(num_classes=7)), 'teacher')
    assert model.decode_head.conv_seg.out_channels == 7


def test_stock_codebase_config_matches_mmengine_get_model():
    """The same stock config through mmengine's own hub gives the same architecture."""
    from mmengine.hub import get_model
    path = 'mmdet::retinanet/retinanet_r18_fpn_1x_coco.py'
    ours = build_model(dict(cfg_path=path), 'teacher')
    ref = get_model(path)
    assert type(ours) is type(ref)
    assert {k: v.shape for k, v in ours.state_dict().items()} == \
        {k: v.shape for k, v in ref.state_dict().items()}


def test_full_model_dict_with_scope_and_built_model():
    model_cfg = Config.fromfile(STUDENT).model
    model = build_model(dict(model_cfg, _scope_='mmseg'), 'architecture')
    assert isinstance(model, BaseModel)
    assert build_model(model, 'architecture') is model
    scoped = build_model(dict(model_cfg, type='mmseg.EncoderDecoder'), 'architecture')
    assert type(scoped) is type(model)


def test_unscoped_type_names_where_it_is_registered():
    with pytest.raises(KeyError, match=r"mmseg.*_scope_"):
        build_model(dict(type='EncoderDecoder'), 'teacher')


def test_missing_package_and_missing_file_are_clear():
    with pytest.raises(ModuleNotFoundError, match="'mmnotapackage', which is not installed"):
        build_model(dict(cfg_path='mmnotapackage::x.py'), 'teacher')
    with pytest.raises(FileNotFoundError, match='teacher.cfg_path'):
        build_model(dict(cfg_path='configs/nope.py'), 'teacher')
    with pytest.raises(FileNotFoundError, match="mmseg has no config 'pspnet/nope.py'"):
        build_model(dict(cfg_path='mmseg::pspnet/nope.py'), 'teacher')


def test_pretrained_override_reaches_the_model_and_bools_stay_mmrazors_switch():
    """``pretrained=None`` next to cfg_path reaches mmseg's model (its backbone then has no
    ImageNet initialisation to download); ``pretrained=False`` (mmrazor's switch) leaves the
    config's own value."""
    cfg_path = 'mmseg::mobilenet_v2/mobilenet-v2-d8_pspnet_4xb2-80k_cityscapes-512x1024.py'
    stock = build_model(dict(cfg_path=cfg_path, pretrained=False), 'architecture')
    assert stock.backbone.init_cfg == dict(type='Pretrained', checkpoint='mmcls://mobilenet_v2')
    cleared = build_model(dict(cfg_path=cfg_path, pretrained=None), 'architecture')
    assert 'Pretrained' not in str(cleared.backbone.init_cfg)  # its own random initialisation
