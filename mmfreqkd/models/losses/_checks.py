"""Student/teacher pairing checks shared by the losses."""
import torch


def check_pair(loss: str, what: str, student: torch.Tensor, teacher: torch.Tensor) -> None:
    """Raise a ValueError naming both shapes unless ``student`` and ``teacher`` match."""
    if student.shape != teacher.shape:
        raise ValueError(
            f'{loss}: student {what} of shape {tuple(student.shape)} does not match the '
            f"teacher's {tuple(teacher.shape)}; align the channels on the student side (e.g. "
            "a 'ConvModuleConnector' in its connector chain) and record features of equal size")
