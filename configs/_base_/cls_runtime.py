# mmpretrain's stock runtime (epoch-based logging and checkpoints) plus what every mmfreqkd
# config carries, here in two pieces: mmpretrain's runtime sets a seed of its own, which a
# sibling base may not. A distillation config adds the typed data preprocessor the runner hands
# to the algorithm (mmpretrain's dataset configs leave the type to the classifier).
_base_ = ['mmpretrain::_base_/default_runtime.py', './mmfreqkd_hooks.py']
randomness = dict(seed=0)
