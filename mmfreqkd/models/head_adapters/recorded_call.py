"""Recording what a student head computed in its own loss, for the amplifiers to reuse."""
from contextlib import contextmanager
from typing import Any, Callable

__all__ = ['recorded_call', 'take_record']


@contextmanager
def recorded_call(module, name: str, keep: Callable[[tuple, Any], Any]):
    """Inside, each call of ``module.<name>`` appends ``keep(args, result)`` to the yielded list
    (only what the amplifiers reuse: the call's other arguments, e.g. the features, are not held
    past the step). An instance attribute shadows the method while inside; after, the method is
    what it was (an instance attribute set before, e.g. a wrapper, is put back)."""
    record = []
    method = getattr(module, name)
    shadowed = name in vars(module)

    def call(*args, **kwargs):
        result = method(*args, **kwargs)
        record.append(keep(args, result))
        return result

    setattr(module, name, call)
    try:
        yield record
    finally:
        if shadowed:
            setattr(module, name, method)
        else:
            delattr(module, name)


def take_record(adapter, what: str) -> list:
    """The adapter's record of this step's calls (then cleared); an error naming ``what`` when
    the student head's loss did not run."""
    record, adapter._record = adapter._record, None
    if not record:
        raise RuntimeError(f'DS2D2: the student head computed no {what} this step (its loss '
                           'did not run: calculate_student_loss=False?)')
    return record
