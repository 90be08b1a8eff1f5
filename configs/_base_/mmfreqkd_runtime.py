# What every mmfreqkd config adds to its codebase's stock default_runtime.py.
custom_imports = dict(imports=['mmfreqkd'], allow_failed_imports=False)
randomness = dict(seed=0)
