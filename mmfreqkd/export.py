"""Export the student of a distillation run as a plain checkpoint + config for stock codebases.

The exported pair loads with ``mmseg.apis.init_model`` / ``mmdet.apis.init_detector`` (mmrotate
too) in a process that never imports mmfreqkd: the checkpoint holds only tensors and plain
metadata (so ``torch.load(weights_only=True)`` accepts it), the config is the student's own
codebase config without mmfreqkd in ``custom_imports``.
"""
import copy
import os
import os.path as osp
from typing import Dict, Optional, Tuple

import torch
from mmengine.config import Config
from mmengine.runner.checkpoint import _load_checkpoint

from .checkpoint import trusted_checkpoints
from .models.builder import load_model_config
from .paths import run_work_dir
from .run_record import written_by_run
from .version import __version__

__all__ = ['student_config', 'student_state_dict', 'export_weights', 'export_student']

#: State-dict prefixes of everything that is not the student in a distillation checkpoint.
_STUDENT_PREFIX = 'architecture.'


def _is_distill_model(model_cfg) -> bool:
    return 'architecture' in model_cfg and 'teacher' in model_cfg


def _strip_plugin(cfg: Config) -> Config:
    imports = cfg.get('custom_imports', {}).get('imports', [])
    imports = [imports] if isinstance(imports, str) else list(imports)
    rest = [m for m in imports if m.split('.')[0] != 'mmfreqkd']
    if rest:
        cfg.custom_imports.imports = rest
    else:
        cfg.pop('custom_imports', None)
    if 'mmfreqkd.' in repr(cfg.model.to_dict()):
        raise ValueError('the student model uses mmfreqkd components, so it cannot be exported '
                         'for a stock codebase')
    return cfg


def student_config(cfg: Config, stock: bool = True) -> Config:
    """The student's config behind a distillation config (or ``cfg`` itself); with ``stock``
    (for export) without mmfreqkd's import, refused if the student uses mmfreqkd components
    (e.g. a ``FeatureTruncationHead``)."""
    cfg = copy.deepcopy(cfg)
    finish = _strip_plugin if stock else (lambda c: c)
    if not _is_distill_model(cfg.model):
        return finish(cfg)
    arch = copy.deepcopy(dict(cfg.model.architecture))
    if 'cfg_path' in arch and 'type' not in arch:
        student = load_model_config(arch.pop('cfg_path'), key='model.architecture.cfg_path')
        arch.pop('pretrained', None)
        if arch:
            student.merge_from_dict(dict(model=arch))
        return finish(student)
    scope = arch.pop('_scope_', None)
    if scope:
        cfg.default_scope = scope
    cfg.model = arch
    for key in ('val_cfg', 'test_cfg'):  # mmrazor's distillation loops need the algorithm
        if 'mmrazor' in str(cfg.get(key, {}).get('type', '')):
            cfg[key] = dict(type='ValLoop' if key == 'val_cfg' else 'TestLoop')
    return finish(cfg)


def student_state_dict(checkpoint: Dict) -> Dict[str, torch.Tensor]:
    """The student's weights from a distillation checkpoint (or all weights of a plain one)."""
    state = checkpoint.get('state_dict', checkpoint)
    if any(k.startswith(_STUDENT_PREFIX) for k in state):
        return {k[len(_STUDENT_PREFIX):]: v for k, v in state.items()
                if k.startswith(_STUDENT_PREFIX)}
    return {k[len('module.'):] if k.startswith('module.') else k: v for k, v in state.items()}


def export_weights(checkpoint: str, out: str, trust: bool = False) -> str:
    """Write the student's weights of ``checkpoint`` (a distillation or a plain training
    checkpoint) to ``out``: tensors and plain metadata only, so ``torch.load(weights_only=True)``
    reads it. ``trust`` unpickles ``checkpoint`` fully (only for files you trust)."""
    with trusted_checkpoints([checkpoint] if trust else [],
                             hint='pass --trust-checkpoint to tools/export_student.py'):
        ckpt = _load_checkpoint(checkpoint, map_location='cpu')
    meta = ckpt.get('meta', {}) if isinstance(ckpt, dict) else {}
    exported = dict(
        state_dict={k: v.detach().cpu().contiguous()
                    for k, v in student_state_dict(ckpt).items()},
        meta=dict(
            dataset_meta=copy.deepcopy(meta.get('dataset_meta')),
            exported_by=f'mmfreqkd {__version__}',
            source_checkpoint=osp.abspath(checkpoint),
            iter=meta.get('iter'),
            epoch=meta.get('epoch')))
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    torch.save(exported, out)
    return out


def export_student(config: str,
                   checkpoint: str,
                   out: str,
                   trust: Optional[bool] = None) -> Tuple[str, str]:
    """Write ``out`` (weights, :func:`export_weights`) and ``out`` with ``.py`` (the student's
    stock config) for the student.

    Args:
        config: the training config (distillation or plain).
        checkpoint: a checkpoint written by training that config.
        out: output ``.pth`` path.
        trust: unpickle ``checkpoint`` fully. By default only checkpoints inside the config's
            ``work_dirs/<config name>`` folder (written by this project's training) are trusted.

    Returns:
        ``(checkpoint path, config path)`` written.
    """
    cfg = Config.fromfile(config)
    if trust is None:
        trust = written_by_run(checkpoint, run_work_dir(cfg, config))
    stock = student_config(cfg)  # refuses a student no stock codebase can build, first
    export_weights(checkpoint, out, trust)
    cfg_out = osp.splitext(out)[0] + '.py'
    stock.dump(cfg_out)
    return out, cfg_out
