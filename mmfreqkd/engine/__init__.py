"""Training-engine components: the runner, optimizer-wrapper constructors, hooks and loops."""
from .atomic_checkpoint_hook import AtomicCheckpointHook
from .loss_balance_hook import LossBalanceHook
from .loss_calibration_hook import LossCalibrationHook
from .multi_teacher_val_loop import MultiTeacherValLoop
from .non_finite_guard_hook import NonFiniteError, NonFiniteGuardHook
from .optim_constructor import SubModelOptimWrapperConstructor
from .random_state_hook import RandomStateHook, capture_random_state, restore_random_state
from .runner import SafeRunner
from .spectral_monitor_hook import SpectralMonitorHook, band_fractions
from .work_dir_lock import WorkDirBusyError, WorkDirLock

__all__ = [
    'SubModelOptimWrapperConstructor', 'SpectralMonitorHook', 'band_fractions',
    'NonFiniteGuardHook', 'NonFiniteError', 'RandomStateHook', 'capture_random_state',
    'restore_random_state', 'MultiTeacherValLoop', 'SafeRunner', 'AtomicCheckpointHook',
    'WorkDirLock', 'WorkDirBusyError', 'LossBalanceHook', 'LossCalibrationHook'
]
