"""mmfreqkd.compat: mmrazor imports and registers on this torch; checkpoint loaders are safe."""
import subprocess
import sys

import pytest


def _fresh_python(code: str) -> str:
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    return out.stdout.strip() + out.stderr.strip()[-2000:]


def test_mmrazor_models_and_registration_work():
    from mmrazor.models import ChannelWiseDivergence, ConfigurableDistiller, SingleTeacherDistill
    from mmrazor.registry import MODELS, TASK_UTILS
    assert MODELS.get('SingleTeacherDistill') is SingleTeacherDistill
    assert MODELS.get('ConfigurableDistiller') is ConfigurableDistiller
    assert MODELS.get('ChannelWiseDivergence') is ChannelWiseDivergence
    assert TASK_UTILS.get('ModuleOutputsRecorder') is not None


def test_register_all_modules_of_mmrazor_works():
    from mmengine.registry import DefaultScope
    from mmrazor.registry import MODELS
    from mmrazor.utils import register_all_modules
    scope = DefaultScope.get_current_instance()
    register_all_modules(init_default_scope=False)
    assert DefaultScope.get_current_instance() is scope  # as asked: no scope set
    # mmrazor's algorithms, distillers and losses, each from the module that defines it
    for name, module in [('SingleTeacherDistill', 'mmrazor.models.algorithms'),
                         ('ConfigurableDistiller', 'mmrazor.models.distillers'),
                         ('ChannelWiseDivergence', 'mmrazor.models.losses')]:
        assert MODELS.get(name).__module__.startswith(module), name


def test_standin_is_used_exactly_when_the_real_import_fails():
    real = _fresh_python(
        'import mmrazor.structures.quantization\nprint("REAL_OK")')
    patched = _fresh_python(
        'import sys, mmfreqkd, mmrazor.models\n'
        'q = sys.modules["mmrazor.structures.quantization"]\n'
        'print("STANDIN" if getattr(q, "__mmfreqkd_standin__", False) else "REAL")')
    assert ('STANDIN' in patched) == ('REAL_OK' not in real), (real, patched)


def test_standin_quantization_fails_loudly_when_used():
    from mmfreqkd.compat import mmrazor_needs_quantization_standin
    if not mmrazor_needs_quantization_standin():
        pytest.skip('the real mmrazor quantization imports on this torch')
    from mmrazor.structures.quantization import QConfigHandler
    with pytest.raises(ImportError, match='torch 1.13'):
        QConfigHandler({})


def test_mmengine_checkpoint_loaders_are_replaced():
    from mmengine.runner import checkpoint

    from mmfreqkd import compat
    assert checkpoint.CheckpointLoader._get_checkpoint_loader('a.pth') is compat._load_from_local
    assert checkpoint.CheckpointLoader._get_checkpoint_loader(
        'https://x/a.pth') is compat._load_from_http
    assert checkpoint.load_from_http is compat._load_from_http  # torchvision://, open-mmlab://


def test_apply_is_idempotent():
    from mmengine.runner import Runner

    from mmfreqkd import compat
    resume = Runner.resume
    compat.apply()
    assert Runner.resume is resume
