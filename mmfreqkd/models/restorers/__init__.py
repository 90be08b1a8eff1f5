"""Image restoration models on mmengine's BaseModel (SLKD's teachers and students)."""
from .base_restorer import BaseRestorer, ResidualOutput, stack_field
from .nafnet import NAFNet
from .restormer import Restormer

__all__ = ['BaseRestorer', 'ResidualOutput', 'stack_field', 'NAFNet', 'Restormer']
