"""Training-engine components: optimizer-wrapper constructors, hooks and loops."""
from .multi_teacher_val_loop import MultiTeacherValLoop
from .non_finite_guard_hook import NonFiniteError, NonFiniteGuardHook
from .optim_constructor import SubModelOptimWrapperConstructor
from .random_state_hook import RandomStateHook, capture_random_state, restore_random_state
from .spectral_monitor_hook import SpectralMonitorHook, band_fractions

__all__ = [
    'SubModelOptimWrapperConstructor', 'SpectralMonitorHook', 'band_fractions',
    'NonFiniteGuardHook', 'NonFiniteError', 'RandomStateHook', 'capture_random_state',
    'restore_random_state', 'MultiTeacherValLoop'
]
