"""Training-engine components: optimizer-wrapper constructors and hooks."""
from .optim_constructor import SeparateOptimWrapperConstructor
from .spectral_monitor_hook import SpectralMonitorHook, band_fractions

__all__ = ['SeparateOptimWrapperConstructor', 'SpectralMonitorHook', 'band_fractions']
