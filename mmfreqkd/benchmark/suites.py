"""The benchmark suites: for each task, a teacher, the no-KD student, mmrazor's baselines and
our methods, all on the same data, schedule, student initialisation and seeds; and the
spectral-analysis suite (no teacher: one model trained with full labels against its variants
with truncated features or block-wise labels).

A suite names configs only; :mod:`mmfreqkd.benchmark.harness` trains them. ``options`` of an
entry receive the artifacts of the suite's earlier stages (``teacher``: the exported teacher
weights; ``amplifier``: DS2D2's amplifier-stage checkpoint) and return ``--cfg-options``.
"""
import os.path as osp
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

from .analyses import spectral_cutoffs
from .experiment import RunResult

__all__ = ['Entry', 'Stage', 'Suite', 'SUITES', 'FULL_SUITES', 'calibrated']

Options = Callable[[Dict[str, str]], List[str]]


def _none(artifacts: Dict[str, str]) -> List[str]:
    return []


def _teacher(artifacts: Dict[str, str]) -> List[str]:
    return [f'model.teacher_ckpt={artifacts["teacher"]}']


def _from_teacher(artifacts: Dict[str, str]) -> List[str]:
    """A stage that starts from the teacher's weights (DS2D2's amplifier stage)."""
    return [f'load_from={artifacts["teacher"]}']


def _teacher_and_amplifier(artifacts: Dict[str, str]) -> List[str]:
    # the amplifier-stage checkpoint is one the harness wrote itself
    return _teacher(artifacts) + [f'model.high_amplifier.checkpoint={artifacts["amplifier"]}',
                                  'model.trust_checkpoints=True']


def _teacher_a(artifacts: Dict[str, str]) -> List[str]:
    """Teacher A of a multi-teacher config (the exported teacher)."""
    return [f'model.teachers.A.ckpt={artifacts["teacher"]}']


def _teachers_a_and_b(artifacts: Dict[str, str]) -> List[str]:
    # teacher B's checkpoint is a training checkpoint the harness wrote itself
    return _teacher_a(artifacts) + [f'model.teachers.B.ckpt={artifacts["teacher_b"]}',
                                    'model.trust_checkpoints=True']


@dataclass
class Entry:
    """A row of a suite: its label, role (``student``, ``baseline`` or ``method`` in a
    distillation suite; ``reference`` or ``variant`` in an analysis suite), config (relative to
    the repository root) and how its options follow from the artifacts. An ``ablation`` row
    (one of our methods with a part removed or replaced, or a variant of it) runs only when
    asked for (``tools/benchmark.py --ablations``); ``parent`` is the label of the row it
    takes a part from, whose tuned setting it then trains at."""
    label: str
    role: str
    config: str
    options: Options = _none
    ablation: bool = False
    parent: Optional[str] = None


def ablated(entry: Entry, part: str, *cfg_options: str) -> Entry:
    """The ablation row of ``entry`` without ``part`` (its label), removed by ``cfg_options``
    (e.g. ``model.distiller.distill_losses.loss_str=None``)."""
    def options(artifacts: Dict[str, str]) -> List[str]:
        return entry.options(artifacts) + list(cfg_options)

    return Entry(f'{entry.label} without {part}', entry.role, entry.config, options,
                 ablation=True, parent=entry.label)


def calibrated(entry: Entry, target: float) -> Entry:
    """The row ``entry`` with its distillation terms calibrated to the gradient share
    ``target`` (``model.calibration.target``; :mod:`mmfreqkd.engine.loss_calibration`); a
    config that calibrates some terms itself has every term calibrated (its ``targets``
    dropped)."""
    own_targets = bool((_config_model(entry.config).get('calibration') or {}).get('targets'))

    def options(artifacts: Dict[str, str]) -> List[str]:
        return entry.options(artifacts) + [f'model.calibration.target={target:g}'] + (
            ['model.calibration.targets=None'] if own_targets else [])

    return Entry(f'{entry.label}, calibrated to {target:g}', entry.role, entry.config, options,
                 entry.ablation, entry.parent)


def _config_model(config: str) -> dict:
    from mmengine.config import Config

    from .experiment import ROOT
    return Config.fromfile(osp.join(ROOT, config)).model


@dataclass
class Stage:
    """A run before the students that produces an artifact (e.g. DS2D2's amplifier stage):
    trained once (seed 0) with ``options``; its last checkpoint becomes ``artifact``. With a
    ``row`` label, its own score is reported too (e.g. SLKD's teacher B reconstructing clean
    images), as a row compared with nothing."""
    artifact: str
    config: str
    options: Options = _none
    row: Optional[str] = None


@dataclass
class Suite:
    """One comparison.

    Attributes:
        name: the suite's name.
        dataset: the embedded data set it trains on (generated on demand), or ``None`` for a
            full-size suite, whose configs read ``data_root`` (``data_help`` says how to get
            it when it is missing).
        metric: the validation metric: key, title and scale to report.
        iters: iterations of every run (``None``: each config's own schedule).
        input_size: the input size for FLOPs.
        teacher: the teacher config (``None``: no teacher).
        entries: the rows.
        stages: runs between the teacher and the rows.
        teacher_iters: the teacher's iterations (default: those of every run); a teacher is
            trained once, to convergence, and then reused.
        teacher_checkpoint: published teacher weights (path or URL): the teacher is tested,
            not trained.
        flops_per_row: report every row's FLOPs (rows of different models).
        analysis: called with ``{row label: (config, first seed's RunResult)}`` after the runs;
            returns Markdown lines for the report.
        test: report every run on its config's test split (the val split only validates and
            chooses); ``False`` for a suite whose data have no test split.
        identity: a restoration config whose degraded inputs are scored as their own
            restorations (:func:`~mmfreqkd.benchmark.identity.identity_scores`), a row
            compared with nothing.
    """
    name: str
    dataset: Optional[str]
    metric: Tuple[str, str, float]
    iters: Optional[int]
    input_size: Tuple[int, int]
    teacher: Optional[str]
    entries: List[Entry]
    stages: List[Stage] = field(default_factory=list)
    teacher_iters: Optional[int] = None
    teacher_checkpoint: Optional[str] = None
    flops_per_row: bool = False
    analysis: Optional[Callable[[Dict[str, Tuple[str, RunResult]]], List[str]]] = None
    data_root: str = ''
    data_help: str = ''
    test: bool = True
    identity: Optional[str] = None

    @property
    def student(self) -> Entry:
        """The row whose model the report's parameters and FLOPs describe."""
        return next(e for e in self.entries if e.role in ('student', 'reference'))


#: The embedded classification pair: a MobileViT teacher (convolutions, then self-attention), a
#: narrow CNN student.
_CLS_TEACHER, _CLS_STUDENT = 'mobilevit-s3', 'resnet18w4'
_CLS_PAIR = 'mobilevit-s3_resnet18w4'
_SPECTRAL = 'configs/spectral/deeplabv3plus_r18w16-d8_{}1xb8-1k_texseg-64x64.py'
#: The embedded restoration pair (deraining) and SLKD's configs for it.
_RESTORE = 'nafnet-w16_nafnet-w8'
_SLKD = 'configs/slkd/{}' + _RESTORE + '_1xb8-1k_restore-rain-64x64.py'

_OFF = 'model.distiller.distill_losses.{}=None'
_SSTKD = Entry('SSTKD', 'method',
               'configs/sstkd/sstkd_pspnet_r18w32_pspnet_r18w4_1xb8-1k_texseg-64x64.py', _teacher)
#: an amplifier is ablated at weight 0, not removed: the config's calibration names it
_DS2D2_ABLATIONS = (('the explicit stream', _OFF.format('loss_low'), _OFF.format('loss_high')),
                    ('the full-feature amplifier', 'model.full_amplifier.loss.loss_weight=0'),
                    ('the high-frequency amplifier',
                     'model.high_amplifier.loss.loss_weight=0'))
_DS2D2_DET = Entry('DS2D2', 'method',
                   'configs/ds2d2/ds2d2_retinanet_r18w32_retinanet_r18w8_1xb4-1k_'
                   'densedet-128x128.py', _teacher_and_amplifier)
_DS2D2_ROTATED = Entry('DS2D2', 'method', 'configs/ds2d2/ds2d2_rotated-retinanet-rbox-le90_'
                       'r18w32_r18w16_1xb4-1k_rotdet-128x128.py', _teacher_and_amplifier)
_SFKD = Entry('SFKD', 'method', f'configs/sfkd/sfkd_{_CLS_PAIR}_1xb64-1k_texcls-32x32.py',
              _teacher)
_SLKD_ROW = Entry('SLKD', 'method', _SLKD.format('slkd_'), _teachers_a_and_b)

SUITES: Dict[str, Suite] = {
    'seg': Suite(
        name='seg', dataset='texseg', metric=('mIoU', 'mIoU', 1.0), iters=2000,
        input_size=(64, 64), teacher_iters=2000,
        teacher='configs/embedded/pspnet_r18w32-d8_1xb8-1k_texseg-64x64.py',
        entries=[
            Entry('student, no KD', 'student',
                  'configs/embedded/pspnet_r18w4-d8_1xb8-1k_texseg-64x64.py'),
            Entry('mmrazor CWD', 'baseline',
                  'configs/baselines/cwd_logits_pspnet_r18w32_pspnet_r18w4_texseg.py',
                  _teacher),
            _SSTKD,
            ablated(_SSTKD, 'L_str', _OFF.format('loss_str')),
            ablated(_SSTKD, 'L_sta', _OFF.format('loss_sta')),
            ablated(_SSTKD, 'the response term', _OFF.format('loss_kd')),
            ablated(_SSTKD, 'the adversarial term', 'model.adversarial=None'),
        ]),
    'det': Suite(
        name='det', dataset='densedet', metric=('coco/bbox_mAP', 'mAP (%)', 100.0),
        iters=800, input_size=(128, 128), teacher_iters=2000,
        teacher='configs/embedded/retinanet_r18w32_fpn_1xb4-1k_densedet-128x128.py',
        stages=[Stage('amplifier', 'configs/ds2d2/amplifier_retinanet_r18w32_fpn_1xb4-1k_'
                      'densedet-128x128.py',
                      _from_teacher)],
        entries=[
            Entry('student, no KD', 'student',
                  'configs/embedded/retinanet_r18w8_fpn_1xb4-1k_densedet-128x128.py'),
            Entry('mmrazor PKD', 'baseline',
                  'configs/baselines/pkd_fpn_retinanet_r18w32_retinanet_r18w8_densedet.py',
                  _teacher),
            Entry('mmrazor CWD (FPN)', 'baseline',
                  'configs/baselines/cwd_fpn_retinanet_r18w32_retinanet_r18w8_densedet.py',
                  _teacher),
            Entry('mmrazor MGD', 'baseline',
                  'configs/baselines/mgd_fpn_retinanet_r18w32_retinanet_r18w8_densedet.py',
                  _teacher),
            _DS2D2_DET,
            *(ablated(_DS2D2_DET, part, *options) for part, *options in _DS2D2_ABLATIONS),
        ]),
    'rotated': Suite(
        name='rotated', dataset='rotdet', metric=('dota/mAP', 'mAP (%)', 100.0), iters=800,
        input_size=(128, 128), teacher_iters=2000,
        teacher='configs/embedded/rotated-retinanet-rbox-le90_r18w32_fpn_1xb4-1k_rotdet-'
        '128x128.py',
        stages=[Stage('amplifier', 'configs/ds2d2/amplifier_rotated-retinanet-rbox-le90_r18w32_'
                      '1xb4-1k_rotdet-128x128.py',
                      _from_teacher)],
        entries=[
            Entry('student, no KD', 'student', 'configs/embedded/rotated-retinanet-rbox-le90_'
                  'r18w16_fpn_1xb4-1k_rotdet-128x128.py'),
            Entry('mmrazor PKD', 'baseline', 'configs/baselines/pkd_fpn_rotated-retinanet-rbox-'
                  'le90_r18w32_r18w16_rotdet.py', _teacher),
            _DS2D2_ROTATED,
            *(ablated(_DS2D2_ROTATED, part, *options) for part, *options in _DS2D2_ABLATIONS),
        ]),
    'cls': Suite(
        name='cls', dataset='texcls', metric=('accuracy/top1', 'top-1 (%)', 1.0), iters=600,
        input_size=(32, 32), teacher_iters=2000,
        teacher=f'configs/embedded/{_CLS_TEACHER}_1xb64-2k_texcls-32x32.py',
        entries=[
            Entry('student, no KD', 'student',
                  f'configs/embedded/{_CLS_STUDENT}_1xb64-1k_texcls-32x32.py'),
            *(Entry(f'mmrazor {label}', 'baseline', f'configs/baselines/{name}_{_CLS_PAIR}_'
                    'texcls.py', _teacher)
              for label, name in (('KD', 'kd_logits'), ('DKD', 'dkd'), ('FitNets', 'fitnets'))),
            Entry('OFA-KD', 'baseline', f'configs/baselines/ofa_{_CLS_PAIR}_texcls.py', _teacher),
            Entry('feature MSE', 'baseline',
                  f'configs/sfkd/ablations/feat-mse_{_CLS_PAIR}_1xb64-1k_texcls-32x32.py',
                  _teacher),
            Entry('InfoNCE', 'baseline',
                  f'configs/sfkd/ablations/infonce_{_CLS_PAIR}_1xb64-1k_texcls-32x32.py',
                  _teacher, ablation=True),
            _SFKD,
            ablated(_SFKD, 'the logit term', _OFF.format('loss_kd')),
            ablated(_SFKD, 'the wavelet term', _OFF.format('loss_wav')),
            ablated(_SFKD, 'the frequency term', _OFF.format('loss_gffl')),
            Entry('SFKD-light', 'method',
                  f'configs/sfkd/sfkd-light_{_CLS_PAIR}_1xb64-1k_texcls-32x32.py', _teacher,
                  ablation=True),
        ]),
    'restore': Suite(
        name='restore', dataset='restore', metric=('PSNR', 'PSNR (dB)', 1.0), iters=600,
        input_size=(64, 64), teacher_iters=1500,
        teacher='configs/embedded/nafnet-w16_1xb8-1k_restore-rain-64x64.py',
        stages=[Stage('teacher_b',
                      'configs/embedded/nafnet-w16-ae_1xb8-1k_restore-clean-64x64.py',
                      row='teacher B (clean -> clean)')],
        identity='configs/embedded/nafnet-w8_1xb8-1k_restore-rain-64x64.py',
        entries=[
            Entry('student, no KD', 'student',
                  'configs/embedded/nafnet-w8_1xb8-1k_restore-rain-64x64.py'),
            Entry('output KD', 'baseline',
                  f'configs/baselines/output-kd_{_RESTORE}_restore-rain.py', _teacher_a),
            Entry('output KD + mmrazor feature MSE', 'baseline',
                  f'configs/baselines/feat-mse_{_RESTORE}_restore-rain.py', _teacher_a),
            _SLKD_ROW,
            *(ablated(_SLKD_ROW, part, _OFF.format(term))
              for part, term in (('L_NC', 'loss_nc'), ('L_ET', 'loss_et'),
                                 ('the pixel term', 'loss_pix'), ('the KL term', 'loss_kl'))),
        ]),
    'spectral': Suite(
        name='spectral', dataset='texseg', metric=('mIoU', 'mIoU', 1.0), iters=1000,
        input_size=(64, 64), teacher=None, flops_per_row=True, analysis=spectral_cutoffs,
        entries=[
            Entry('full labels', 'reference', _SPECTRAL.format('')),
            Entry('truncation 1/2', 'variant', _SPECTRAL.format('trunc-0.5_')),
            Entry('truncation 1/4', 'variant', _SPECTRAL.format('trunc-0.25_')),
            *(Entry(f'block labels b={b}', 'variant', _SPECTRAL.format(f'block-{b}_'))
              for b in (4, 8, 16, 32)),
        ]),
}

#: Full-size suites: the papers' protocols on the real data sets, for machines with GPUs
#: (``tools/benchmark.py SUITE --gpus N``); each config's own schedule.
FULL_SUITES: Dict[str, Suite] = {
    'seg': Suite(
        name='seg-full', dataset=None, metric=('mIoU', 'mIoU', 1.0), iters=None, test=False,
        input_size=(512, 1024), data_root='data/cityscapes',
        data_help="mmseg's Cityscapes layout (leftImg8bit/ and gtFine/ with *labelTrainIds.png; "
        'see mmsegmentation\'s dataset preparation guide)',
        teacher='configs/baselines/pspnet_r101-d8_4xb2-80k_cityscapes-512x1024.py',
        teacher_checkpoint='https://download.openmmlab.com/mmsegmentation/v0.5/pspnet/'
        'pspnet_r101-d8_512x1024_80k_cityscapes/'
        'pspnet_r101-d8_512x1024_80k_cityscapes_20200606_112211-e1e1100f.pth',
        entries=[
            Entry('student, no KD', 'student',
                  'configs/baselines/pspnet_r18-d8_4xb2-80k_cityscapes-512x1024.py'),
            Entry('mmrazor CWD', 'baseline', 'configs/baselines/cwd_logits_pspnet_r101-d8_'
                  'pspnet_r18-d8_4xb2-80k_cityscapes-512x1024.py'),
            Entry('SSTKD', 'method', 'configs/sstkd/sstkd_pspnet_r101-d8_pspnet_r18-d8_4xb2-'
                  '80k_cityscapes-512x1024.py'),
        ]),
    'det': Suite(
        name='det-full', dataset=None, metric=('coco/bbox_mAP', 'mAP (%)', 100.0), iters=None,
        test=False,
        input_size=(800, 800), data_root='data/DIOR',
        data_help='DIOR with horizontal boxes in COCO json (see '
        'configs/_base_/datasets/dior_hbb.py for the layout)',
        teacher='configs/ds2d2/detectors/retinanet_r101_fpn_2x_dior.py',
        stages=[Stage('amplifier', 'configs/ds2d2/amplifier_retinanet_r101_fpn_2x_dior.py',
                      _from_teacher)],
        entries=[
            Entry('student, no KD', 'student',
                  'configs/ds2d2/detectors/retinanet_r18_fpn_2x_dior.py'),
            Entry('mmrazor PKD', 'baseline',
                  'configs/baselines/pkd_fpn_retinanet_r101_retinanet_r18_fpn_2x_dior.py',
                  _teacher),
            Entry('DS2D2', 'method', 'configs/ds2d2/ds2d2_retinanet_r101_retinanet_r18_fpn_2x_'
                  'dior.py', _teacher_and_amplifier),
        ]),
}
