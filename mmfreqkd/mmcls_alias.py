"""mmrazor's classification configs on mmpretrain.

mmrazor 1.0's classification distillation configs (``configs/distill/mmcls/``) name their
models and bases ``mmcls::...`` and some types ``mmcls.X``; mmcls 1.x cannot be installed next
to mmcv 2.1 and was renamed mmpretrain, which ships the same configs and classes. When mmcls is
not installed and mmpretrain is, :func:`install` (called on ``import mmfreqkd``) resolves the
``mmcls`` package, its config paths and its registry scope to mmpretrain:

- ``mmcls::PATH`` configs are read from mmpretrain's installed configs (``PATH`` renamed where
  mmpretrain renamed the file, see :data:`RENAMED`);
- the registries of scope ``mmcls`` are mmpretrain's (an alias among the root registries'
  children, and in the search by scope name), so ``mmcls.CrossEntropyLoss`` and a default
  scope ``mmcls`` find mmpretrain's classes;
- mmcls's classifiers built their default data preprocessor as ``mmcls.ClsDataPreprocessor``,
  mmpretrain's as ``ClsDataPreprocessor`` in the default scope: under mmrazor's scope (its
  self-distillation config builds an ``mmcls.ImageClassifier`` directly) that name finds
  mmpretrain's class, as mmcls's did, and mmcls's ``PackClsInputs`` is mmpretrain's
  ``PackInputs``, which replaced it (:func:`register_renamed`, once mmrazor imports);
- ``import mmcls.a.b`` gives the module ``mmpretrain.a.b`` itself, with the mmcls names of
  the classes mmpretrain renamed (:data:`RENAMED_CLASSES`): an import alias, not a second
  copy (mmengine's ``get_model`` imports ``mmcls.utils``, and mmrazor imports mmcls classes
  when it is first imported, hence this runs before mmrazor is imported).

Nothing changes when mmcls itself is installed.
"""
import functools
import importlib
import importlib.abc
import importlib.util
import sys

__all__ = ['RENAMED', 'RENAMED_CLASSES', 'needed', 'active', 'install', 'register_renamed']

#: mmcls config paths that mmpretrain ships under another name.
RENAMED = {'deit/deit-base_pt-16xb64_in1k.py': 'deit/deit-base_16xb64_in1k.py'}

#: Classes mmpretrain renamed, by the mmcls module that mmrazor imports them from: ``import
#: mmcls.M`` gives mmpretrain's module with the old names too (mmrazor's CRD packer subclasses
#: ``PackClsInputs`` and builds ``ClsDataSample``).
RENAMED_CLASSES = {
    'mmcls.datasets.transforms': {'PackClsInputs': 'PackInputs'},
    'mmcls.datasets.transforms.formatting': {'PackClsInputs': 'PackInputs'},
    'mmcls.structures': {'ClsDataSample': 'DataSample'},
}


class _AliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports ``mmcls[.x]`` as the already-importable module ``mmpretrain[.x]``."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != 'mmcls' and not fullname.startswith('mmcls.'):
            return None
        target_name = 'mmpretrain' + fullname[len('mmcls'):]
        if importlib.util.find_spec(target_name) is None:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        # the existing module object, so classes are registered once and compare equal
        module = importlib.import_module('mmpretrain' + spec.name[len('mmcls'):])
        spec.loader_state = module.__spec__
        return module

    def exec_module(self, module):
        # the import system has just replaced the module's __spec__ by the alias's: give it
        # back its own, or find_spec('mmpretrain') would describe an 'mmcls' without a location
        alias = module.__spec__.name
        module.__spec__ = module.__spec__.loader_state
        for old, new in RENAMED_CLASSES.get(alias, {}).items():
            if not hasattr(module, old):
                setattr(module, old, getattr(module, new))


def needed() -> bool:
    """mmcls is missing and mmpretrain is installed."""
    return importlib.util.find_spec('mmcls') is None \
        and importlib.util.find_spec('mmpretrain') is not None


def active() -> bool:
    """The alias is installed."""
    return any(isinstance(finder, _AliasFinder) for finder in sys.meta_path)


def _package(name: str) -> str:
    return 'mmpretrain' if name == 'mmcls' else name


def _on_mmpretrain(function):
    """``function(package)`` with ``mmcls`` read as ``mmpretrain``."""
    @functools.wraps(function)
    def wrapped(package, *args, **kwargs):
        return function(_package(package), *args, **kwargs)
    return wrapped


def _renamed(split):
    """``_get_package_and_cfg_path`` with mmcls config paths mmpretrain renamed mapped."""
    @functools.wraps(split)
    def wrapped(cfg_path: str):
        package, path = split(cfg_path)
        return package, (RENAMED.get(path, path) if package == 'mmcls' else path)
    return wrapped


def install() -> None:
    """Resolve ``mmcls`` to mmpretrain (module, config paths, registry scope); idempotent."""
    if active() or not needed():
        return
    import mmengine.config.config as config_module
    import mmengine.hub.hub as hub_module
    from mmengine.registry import Registry

    sys.meta_path.insert(0, _AliasFinder())

    for module in (config_module, hub_module):  # both resolve `package::path` themselves
        for name in ('is_installed', 'get_installed_path', 'install_package'):
            if hasattr(module, name):
                setattr(module, name, _on_mmpretrain(getattr(module, name)))
        module._get_package_and_cfg_path = _renamed(module._get_package_and_cfg_path)

    # `mmcls.X` keys: Registry.get looks the scope up among the root registry's children
    registries = importlib.import_module('mmpretrain.registry')
    for registry in vars(registries).values():
        if isinstance(registry, Registry) and registry.parent is not None:
            registry.parent._children.setdefault('mmcls', registry)
    # a default scope `mmcls`: the registry switch searches the tree by scope name
    search = Registry._search_child

    @functools.wraps(search)
    def search_child(self, scope):
        found = search(self, scope)
        return search(self, 'mmpretrain') if found is None and scope == 'mmcls' else found

    Registry._search_child = search_child


def register_renamed() -> None:
    """Register what mmcls named and mmpretrain renamed or builds elsewhere, while the alias is
    installed (idempotent): mmcls's ``PackClsInputs`` transform as mmpretrain's ``PackInputs``
    (the configs' pipelines name it), and mmpretrain's ``ClsDataPreprocessor`` in mmrazor's model
    registry, where a classifier built under mmrazor's default scope looks its default
    preprocessor up."""
    if not active():
        return
    from mmpretrain.datasets.transforms import PackInputs
    from mmpretrain.models import ClsDataPreprocessor
    from mmpretrain.registry import TRANSFORMS
    from mmrazor.registry import MODELS
    if TRANSFORMS.get('PackClsInputs') is None:
        TRANSFORMS.register_module('PackClsInputs', module=PackInputs)
    if MODELS.get('ClsDataPreprocessor') is None:
        MODELS.register_module('ClsDataPreprocessor', module=ClsDataPreprocessor)
