"""Training-engine components: optimizer-wrapper constructors."""
from .optim_constructor import SeparateOptimWrapperConstructor

__all__ = ['SeparateOptimWrapperConstructor']
