"""Validation of a multi-teacher distillation: the student, then each teacher the algorithm's
``evaluate_teachers`` names, on the teacher's own input, with the same evaluator."""
from mmengine.model import is_model_wrapper
from mmengine.runner import ValLoop
from mmrazor.models.utils import add_prefix

from ..registry import LOOPS

__all__ = ['MultiTeacherValLoop']


@LOOPS.register_module()
class MultiTeacherValLoop(ValLoop):
    """mmengine's ``ValLoop`` for :class:`~mmfreqkd.models.MultiTeacherKD`: the student's
    metrics as usual, then ``teacher_{name}/{metric}`` for every teacher in the algorithm's
    ``evaluate_teachers`` (none: the plain ``ValLoop``)."""

    def run(self) -> dict:
        self.runner.call_hook('before_val')
        self.runner.call_hook('before_val_epoch')
        self.runner.model.eval()
        for idx, data_batch in enumerate(self.dataloader):
            self.run_iter(idx, data_batch)
        metrics = self.evaluator.evaluate(len(self.dataloader.dataset))
        model = self.runner.model.module if is_model_wrapper(self.runner.model) \
            else self.runner.model
        for name in getattr(model, 'evaluate_teachers', ()):
            for data_batch in self.dataloader:
                data = model.data_preprocessor(data_batch, False)
                outputs = model.run_teacher(name, data['inputs'], data['data_samples'],
                                            mode='predict')
                self.evaluator.process(data_samples=outputs, data_batch=data_batch)
            metrics.update(add_prefix(self.evaluator.evaluate(len(self.dataloader.dataset)),
                                      f'teacher_{name}'))
        self.runner.call_hook('after_val_epoch', metrics=metrics)
        self.runner.call_hook('after_val')
        return metrics
