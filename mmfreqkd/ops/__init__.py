"""Pure, differentiable tensor functions for frequency- and texture-domain distillation.

No registry and no mm* imports: every function works on plain tensors and is checked against a
reference library in the tests.
"""
from .wavelets import MODES, dwt2, idwt2, wavedec2, waverec2

__all__ = ['MODES', 'dwt2', 'idwt2', 'wavedec2', 'waverec2']
