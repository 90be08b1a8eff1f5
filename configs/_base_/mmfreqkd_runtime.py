# What every mmfreqkd config adds to its codebase's stock default_runtime.py.
_base_ = ['./mmfreqkd_hooks.py']
randomness = dict(seed=0)
