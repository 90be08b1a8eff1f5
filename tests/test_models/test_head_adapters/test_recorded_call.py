"""Recording a head's method calls: what is kept, and the method is as it was after."""
import pytest
import torch

from mmfreqkd.models.head_adapters.recorded_call import recorded_call, take_record


class _Head(torch.nn.Module):

    def get_targets(self, x, scale=1):
        return x * scale


@pytest.mark.parametrize('wrapped', [False, True])
def test_calls_are_kept_and_the_method_restored(wrapped):
    head = _Head()
    if wrapped:  # an instance attribute set before (a user's wrapper) is put back
        head.get_targets = lambda x, scale=1: -x * scale
    before = head.get_targets
    with recorded_call(head, 'get_targets', lambda args, result: (args[0], result)) as record:
        assert head.get_targets(2, scale=3) == (-6 if wrapped else 6)
    assert record == [(2, -6 if wrapped else 6)]
    assert head.get_targets == before
    assert ('get_targets' in vars(head)) == wrapped


def test_take_record_clears_it_and_names_a_missing_one():
    class Adapter:
        _record = [1, 2]

    adapter = Adapter()
    assert take_record(adapter, 'assignment') == [1, 2]
    with pytest.raises(RuntimeError, match='computed no assignment'):
        take_record(adapter, 'assignment')
