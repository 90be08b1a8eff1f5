"""Build teacher and student models from the three forms a distillation config may give.

mmrazor builds ``dict(cfg_path='pkg::path')`` through ``mmengine.hub.get_model``, which knows only
the packages in mmengine's ``MODULE2PACKAGE`` table and pip-installs a missing codebase silently.
:func:`build_model` accepts, for ``teacher`` and ``architecture`` alike:

* a built ``BaseModel``;
* ``dict(cfg_path='mmseg::pspnet/...py')``: a config shipped by an installed codebase
  (mmdet, mmseg, mmrotate, mmpretrain, mmrazor, or ``mmfreqkd::`` for our own configs);
* ``dict(cfg_path='path/to/local_config.py')``: any config file on disk;
* a full model dict (``dict(type='mmseg.EncoderDecoder', ...)`` or with ``_scope_``).

Extra keys next to ``cfg_path`` override the config's ``model`` (merged recursively, so
``dict(cfg_path=..., backbone=dict(depth=18))`` changes the depth), ``pretrained`` included when
it is a path or None (``pretrained=None`` stops an mmseg model's backbone from downloading its
ImageNet weights). A boolean ``pretrained`` is mmrazor's switch, as in its stock configs:
``True`` loads the weights the codebase's metafile names (through the safe loader), ``False``
does nothing.
"""
import copy
import importlib
import importlib.util
import os.path as osp
from typing import Optional, Union

from mmengine.config import Config, ConfigDict
from mmengine.model import BaseModel
from mmengine.registry import MODELS as ROOT_MODELS
from mmengine.registry import DefaultScope

__all__ = ['build_model', 'load_model_config', 'load_model_config_path']

#: Codebases whose ``utils.register_all_modules`` must run before their models build (mmrotate's
#: registries have no ``locations``; the others are imported for the same reason, harmlessly).
_CODEBASES = ('mmdet', 'mmseg', 'mmrotate', 'mmpretrain')


def _package_config_dir(package: str) -> str:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            f'cfg_path names the codebase {package!r}, which is not installed. Install it '
            f'(see docs/install.md, "Version window") or give a local config file path instead.')
    root = list(spec.submodule_search_locations)[0]
    for candidate in (osp.join(root, '.mim', 'configs'), osp.join(osp.dirname(root), 'configs')):
        if osp.isdir(candidate):
            return candidate
    raise FileNotFoundError(f'{package} is installed at {root} but ships no configs folder')


def load_model_config_path(cfg_path: str, key: str = 'cfg_path') -> str:
    """The file of ``'pkg::rel/path.py'``: the installed codebase's configs folder.

    Raises:
        FileNotFoundError: naming ``key`` and the path that was searched.
    """
    package, rel = cfg_path.split('::', 1)
    path = osp.join(_package_config_dir(package), rel)
    if not osp.isfile(path):
        raise FileNotFoundError(f'{key}={cfg_path!r}: {package} has no config {rel!r} '
                                f'(looked for {path})')
    return path


def load_model_config(cfg_path: str, key: str = 'cfg_path') -> Config:
    """Read the config behind ``cfg_path`` (``'pkg::rel/path.py'`` or a file path).

    Raises:
        FileNotFoundError: naming ``key`` and the paths that were searched.
    """
    if '::' in cfg_path:
        cfg = Config.fromfile(load_model_config_path(cfg_path, key))
        cfg.setdefault('default_scope', cfg_path.split('::', 1)[0])
        return cfg
    path = osp.abspath(osp.expanduser(cfg_path))
    if not osp.isfile(path):
        raise FileNotFoundError(f'{key}={cfg_path!r}: no such config file ({path}). Use a '
                                f"file path or an installed codebase's 'pkg::path'.")
    return Config.fromfile(path)


def _register_codebase(scope: Optional[str]) -> None:
    if scope in _CODEBASES:
        importlib.import_module(f'{scope}.utils').register_all_modules(init_default_scope=False)


def _build_in_scope(model_cfg: Union[dict, ConfigDict], scope: Optional[str]) -> BaseModel:
    _register_codebase(scope)
    if scope is None:
        return ROOT_MODELS.build(model_cfg)
    with DefaultScope.overwrite_default_scope(scope):
        return ROOT_MODELS.build(model_cfg)


def _scope_of_type(type_name: str) -> Optional[str]:
    return type_name.split('.', 1)[0] if '.' in type_name else None


def _unscoped_type_error(role: str, type_name: str) -> KeyError:
    found = []
    for scope in _CODEBASES:
        try:
            _register_codebase(scope)
            if ROOT_MODELS.get(f'{scope}.{type_name}') is not None:
                found.append(scope)
        except Exception:  # a codebase that is not installed simply has no candidate
            continue
    where = (f'it is registered in {found}: write type={found[0]}.{type_name!r} or add '
             f"_scope_={found[0]!r}") if found else 'no installed codebase registers it'
    return KeyError(f'{role}: type {type_name!r} carries no scope and is not an mmrazor class; '
                    f'{where}.')


def build_model(spec: Union[BaseModel, dict], role: str) -> BaseModel:
    """Build a teacher or student from any of the accepted forms (see module docstring).

    Args:
        spec: the ``teacher``/``architecture`` value of the algorithm config.
        role: the config key, used in error messages (``'teacher'``, ``'architecture'``).
    """
    if isinstance(spec, BaseModel):
        return spec
    if not isinstance(spec, dict):
        raise TypeError(f'{role} must be a BaseModel or a dict, got {type(spec).__name__}')
    spec = copy.deepcopy(dict(spec))
    if 'cfg_path' in spec and 'type' not in spec:
        return _build_from_cfg_path(spec, role)
    if 'type' not in spec:
        raise KeyError(f'{role}: a model dict needs `type` (or `cfg_path`); got keys '
                       f'{sorted(spec)}')
    scope = spec.pop('_scope_', None) or _scope_of_type(str(spec['type']))
    if scope is None:
        from mmrazor.registry import MODELS as RAZOR_MODELS
        if RAZOR_MODELS.get(spec['type']) is None:
            raise _unscoped_type_error(role, spec['type'])
        scope = 'mmrazor'
    return _build_in_scope(spec, scope)


def _build_from_cfg_path(spec: dict, role: str) -> BaseModel:
    cfg_path = spec.pop('cfg_path')
    # mmrazor's switch is a bool; any other value is the model's own `pretrained` key
    pretrained = spec.pop('pretrained') if isinstance(spec.get('pretrained'), bool) else False
    cfg = load_model_config(cfg_path, key=f'{role}.cfg_path')
    if 'model' not in cfg:
        raise KeyError(f'{role}.cfg_path={cfg_path!r}: the config defines no `model`')
    if spec:
        cfg.merge_from_dict(dict(model=spec))
    if 'data_preprocessor' in cfg and 'data_preprocessor' not in cfg.model:
        cfg.model.data_preprocessor = cfg.data_preprocessor
    model = _build_in_scope(cfg.model, cfg.get('default_scope'))
    if pretrained:
        _load_pretrained(model, cfg_path, role)
    return model


def _load_pretrained(model: BaseModel, cfg_path: str, role: str) -> None:
    from mmengine.hub import get_config
    from mmengine.runner.checkpoint import _load_checkpoint

    from ..checkpoint import load_state_dict_checked
    url = get_config(cfg_path, pretrained=True).model_path
    load_state_dict_checked(model, _load_checkpoint(url, map_location='cpu'),
                            what=f'{role}.pretrained ({url})')
    model._is_init = True
