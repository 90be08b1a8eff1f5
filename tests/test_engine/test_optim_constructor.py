"""SubModelOptimWrapperConstructor: a default wrapper for trainable sub-models, named ones
override it, missing ones are skipped."""
import torch
from mmengine.optim import OptimWrapperDict
from mmengine.registry import OPTIM_WRAPPER_CONSTRUCTORS

import mmfreqkd.engine  # noqa: F401


class Algorithm(torch.nn.Module):

    def __init__(self):
        super().__init__()
        self.architecture = torch.nn.Linear(2, 2)
        self.distiller = torch.nn.Linear(2, 2)
        self.teacher = torch.nn.Linear(2, 2).requires_grad_(False)
        self.discriminator = torch.nn.Linear(2, 1)
        self.data_preprocessor = torch.nn.Identity()


def build(**cfg):
    return OPTIM_WRAPPER_CONSTRUCTORS.build(
        dict(type='mmfreqkd.SubModelOptimWrapperConstructor', optim_wrapper_cfg=cfg))


def test_default_wrapper_serves_unnamed_trainable_sub_models():
    model = Algorithm()
    wrappers = build(type='OptimWrapper', optimizer=dict(type='SGD', lr=0.01, momentum=0.9),
                     discriminator=dict(optimizer=dict(type='Adam', lr=4e-4)))(model)
    assert isinstance(wrappers, OptimWrapperDict)
    assert set(wrappers.keys()) == {'architecture', 'distiller', 'discriminator'}
    assert type(wrappers['architecture'].optimizer) is torch.optim.SGD
    assert type(wrappers['discriminator'].optimizer) is torch.optim.Adam
    params = wrappers['distiller'].optimizer.param_groups[0]['params']
    assert {id(p) for p in params} == {id(p) for p in model.distiller.parameters()}


def test_named_sub_models_the_model_lacks_are_skipped():
    model = Algorithm()
    del model.discriminator
    wrappers = build(architecture=dict(optimizer=dict(type='SGD', lr=0.1)),
                     discriminator=dict(optimizer=dict(type='Adam', lr=4e-4)))(model)
    assert set(wrappers.keys()) == {'architecture'}  # no default: only what is named


def test_its_name_cannot_resolve_to_mmrazors_class():
    """mmrazor registers a SeparateOptimWrapperConstructor that behaves differently; ours has
    its own name, so no registry lookup in mmrazor's scope (where distillation configs build)
    returns mmrazor's class for it."""
    from mmengine.registry import DefaultScope
    from mmrazor.engine.optimizers.optimizer_constructor import \
        SeparateOptimWrapperConstructor as Razors
    from mmrazor.registry import OPTIM_WRAPPER_CONSTRUCTORS as RAZOR_CONSTRUCTORS

    from mmfreqkd.engine import SubModelOptimWrapperConstructor
    with DefaultScope.overwrite_default_scope('mmrazor'):
        found = [RAZOR_CONSTRUCTORS.get(name) for name in (
            'mmfreqkd.SubModelOptimWrapperConstructor', 'SubModelOptimWrapperConstructor')]
    assert found[0] is SubModelOptimWrapperConstructor
    assert found[1] in (None, SubModelOptimWrapperConstructor) and found[1] is not Razors
