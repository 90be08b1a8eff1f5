"""tools/export_student.py: a distilled student loads in stock mmseg with no plugin imported."""
import json
import os.path as osp

import numpy as np
import pytest
import torch
from tools_helpers import CWD, TEACHER, run_tool, tiny_options

STOCK_LOAD = '''
import json, sys
import numpy as np, torch
from mmseg.apis import init_model
model = init_model(sys.argv[1], sys.argv[2], device='cpu')
model.eval()
x = torch.from_numpy(np.load(sys.argv[3]))
with torch.no_grad():
    logits = model(x, mode='tensor')
np.save(sys.argv[4], logits.numpy())
print(json.dumps(dict(plugin_imported=any(m.split('.')[0] == 'mmfreqkd' for m in sys.modules),
                      classes=list(model.dataset_meta['classes']))))
'''


@pytest.mark.slow
@pytest.mark.usefixtures('embedded_data')
def test_distilled_student_round_trips_into_stock_init_model(tmp_path):
    teacher_dir = tmp_path / 'teacher'
    run_tool(['tools/train.py', TEACHER, '--work-dir', str(teacher_dir),
              '--cfg-options', *tiny_options(2)])
    teacher_plain = str(tmp_path / 'teacher.pth')
    run_tool(['tools/export_student.py', TEACHER, str(teacher_dir / 'iter_2.pth'),
              teacher_plain, '--trust-checkpoint'])
    plain = torch.load(teacher_plain, map_location='cpu', weights_only=True)
    assert not any(k.startswith(('architecture.', 'teacher.')) for k in plain['state_dict'])

    kd_dir = tmp_path / 'kd'
    run_tool(['tools/train.py', CWD, '--work-dir', str(kd_dir), '--cfg-options',
              *tiny_options(2), f'model.teacher_ckpt={teacher_plain}'])
    out = str(tmp_path / 'export' / 'student.pth')
    run_tool(['tools/export_student.py', CWD, str(kd_dir / 'iter_2.pth'), out,
              '--trust-checkpoint'])

    distilled = torch.load(kd_dir / 'iter_2.pth', map_location='cpu', weights_only=False)
    exported = torch.load(out, map_location='cpu', weights_only=True)
    student_keys = {k[len('architecture.'):] for k in distilled['state_dict']
                    if k.startswith('architecture.')}
    assert set(exported['state_dict']) == student_keys
    assert exported['meta']['dataset_meta']['classes'][0] == 'horizontal'

    x = np.random.default_rng(0).normal(size=(1, 3, 64, 64)).astype(np.float32)
    np.save(tmp_path / 'x.npy', x)
    script = tmp_path / 'stock_load.py'
    script.write_text(STOCK_LOAD)
    result = run_tool([str(script), osp.splitext(out)[0] + '.py', out, str(tmp_path / 'x.npy'),
                       str(tmp_path / 'y.npy')])
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report['plugin_imported'] is False
    assert report['classes'][:2] == ['horizontal', 'vertical']

    # The same weights inside the distillation algorithm give the same logits.
    from mmengine.config import Config
    from mmengine.registry import MODELS, init_default_scope
    cfg = Config.fromfile(CWD)
    cfg.model.teacher_ckpt = None
    cfg.model.allow_random_teacher = True
    init_default_scope('mmseg')
    algo = MODELS.build(cfg.model)
    algo.load_state_dict(distilled['state_dict'])
    algo.eval()
    with torch.no_grad():
        ref = algo.student(torch.from_numpy(x), mode='tensor')
    np.testing.assert_allclose(np.load(tmp_path / 'y.npy'), ref.numpy(), rtol=1e-4, atol=1e-5)


def test_export_refuses_an_untrusted_training_checkpoint(tmp_path):
    """A checkpoint outside the config's work_dir is external: weights-only, and a training
    checkpoint (which pickles getattr) is refused with the opt-in named."""
    from mmengine.logging import HistoryBuffer
    path = str(tmp_path / 'iter_1.pth')
    torch.save(dict(state_dict={}, message_hub=dict(log=HistoryBuffer())), path)
    result = run_tool(['tools/export_student.py', TEACHER, path, str(tmp_path / 'o.pth')],
                      check=False)
    assert result.returncode != 0
    assert 'builtins.getattr' in result.stderr and '--trust-checkpoint' in result.stderr


@pytest.mark.slow
@pytest.mark.usefixtures('embedded_data')
def test_weights_only_exports_a_model_no_stock_codebase_builds(tmp_path):
    """A restorer (an mmfreqkd model): the stock export is refused, naming why; with
    --weights-only its trained weights are written, equal to the checkpoint's."""
    config = osp.join(osp.dirname(TEACHER), 'nafnet-w8_1xb8-1k_restore-rain-64x64.py')
    run_tool(['tools/train.py', config, '--work-dir', str(tmp_path / 'run'), '--cfg-options',
              'train_cfg.max_iters=2', 'train_cfg.val_interval=2',
              'default_hooks.checkpoint.interval=2'])
    checkpoint = str(tmp_path / 'run' / 'iter_2.pth')
    refused = run_tool(['tools/export_student.py', config, checkpoint, str(tmp_path / 'a.pth'),
                        '--trust-checkpoint'], check=False)
    assert refused.returncode != 0 and 'cannot be exported for a stock codebase' in \
        refused.stderr
    assert not osp.exists(tmp_path / 'a.pth')
    out = str(tmp_path / 'w.pth')
    run_tool(['tools/export_student.py', config, checkpoint, out, '--trust-checkpoint',
              '--weights-only'])
    weights = torch.load(out, map_location='cpu', weights_only=True)['state_dict']
    trained = torch.load(checkpoint, map_location='cpu', weights_only=False)['state_dict']
    assert weights.keys() == trained.keys()
    assert all(torch.equal(weights[k], trained[k]) for k in weights)
