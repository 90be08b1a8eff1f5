"""tools/inspect_distill.py: one batch through a distillation config, everything printed."""
import pytest
from tools_helpers import CWD, RANDOM_TEACHER, run_tool


@pytest.mark.usefixtures('embedded_data')
def test_prints_recorders_connectors_and_losses():
    result = run_tool(['tools/inspect_distill.py', CWD, '--batch-size', '2',
                       '--cfg-options', *RANDOM_TEACHER])
    out = result.stdout
    assert 'algorithm SingleTeacherKD' in out
    lines = {line.split()[0] + ' ' + line.split()[1]: line for line in out.splitlines()
             if line.startswith('  student') or line.startswith('  teacher')}
    assert 'decode_head.conv_seg' in lines['student logits']
    assert '(2, 5, 8, 8) float32' in lines['student logits']
    assert '(2, 5, 8, 8) float32' in lines['teacher logits']
    assert 'distill.loss_cwd' in out and 'student.decode.loss_ce' in out
    assert '(none)' in out.split('== connectors')[1].split('== losses')[0]


@pytest.mark.usefixtures('embedded_data')
def test_connector_outputs_are_listed():
    result = run_tool([
        'tools/inspect_distill.py', CWD, '--cfg-options', *RANDOM_TEACHER,
        'model.distiller.connectors.s_logits.type=ConvModuleConnector',
        'model.distiller.connectors.s_logits.in_channel=5',
        'model.distiller.connectors.s_logits.out_channel=5',
        'model.distiller.loss_forward_mappings.loss_cwd.preds_S.connector=s_logits'])
    assert 's_logits' in result.stdout and 'loss_cwd.preds_S' in result.stdout


@pytest.mark.usefixtures('embedded_data')
def test_unknown_recorder_source_fails_with_closest_names():
    result = run_tool(['tools/inspect_distill.py', CWD, '--cfg-options', *RANDOM_TEACHER,
                       'model.distiller.teacher_recorders.logits.source=decode_head.conv_sg'],
                      check=False)
    assert result.returncode != 0
    assert "distiller.teacher_recorders['logits']" in result.stderr
    assert "'decode_head.conv_seg'" in result.stderr


@pytest.mark.usefixtures('embedded_data')
def test_gradients_print_each_terms_share_of_the_task_gradient():
    result = run_tool(['tools/inspect_distill.py', CWD, '--gradients', '--batches', '2',
                       '--cfg-options', *RANDOM_TEACHER,
                       'model.distiller.distill_losses.loss_cwd.loss_weight=1e-6'])
    out = result.stdout.split('== gradients on the student')[1]
    assert 'mean of 2 batch(es) of 2' in out
    rows = {line.split()[0]: line.split() for line in out.splitlines()
            if line.startswith(('  task', '  distill.'))}
    assert float(rows['task'][3]) == 1.0
    assert float(rows['distill.loss_cwd'][3]) < 0.01 and rows['distill.loss_cwd'][-1] == 'off'
    assert "WARNING: distill.loss_cwd is 'off'" in out
    groups = out.split('== gradient norm per parameter group')[1]
    assert 'backbone.layer1' in groups and 'decode_head' in groups
