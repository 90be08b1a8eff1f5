"""Signal extension by index gather: every PyWavelets mode, any pad length, autograd-safe."""
from typing import Optional, Tuple

import torch

__all__ = ['extend', 'source_index']


def source_index(pos: torch.Tensor, n: int,
                 mode: str) -> Tuple[torch.Tensor, Optional[torch.Tensor]]:
    """Map positions ``pos`` of the extended signal to source indices (and a 0/1 mask for
    'zero')."""
    inside = (pos >= 0) & (pos < n)
    if mode == 'zero':
        return pos.clamp(0, n - 1), inside
    if mode == 'constant':
        idx = pos.clamp(0, n - 1)
    elif mode in ('periodic', 'periodization'):
        idx = pos.remainder(n)
    elif mode == 'symmetric':  # half-sample symmetric: ... x1 x0 | x0 x1 ...
        idx = pos.remainder(2 * n)
        idx = torch.where(idx >= n, 2 * n - 1 - idx, idx)
    else:  # reflect, whole-sample symmetric: ... x2 x1 | x0 x1 x2 ...
        period = max(2 * n - 2, 1)
        idx = pos.remainder(period)
        idx = torch.where(idx >= n, period - idx, idx)
    return idx, None


def extend(x: torch.Tensor, dim: int, start: int, length: int, mode: str) -> torch.Tensor:
    """``x_ext[start : start + length]`` along ``dim`` (index 0 = the first true sample)."""
    n = x.shape[dim]
    pos = torch.arange(start, start + length, device=x.device)
    if mode == 'periodization' and n % 2:
        # an odd signal is first made even by repeating its last sample
        idx = pos.remainder(n + 1).clamp(max=n - 1)
        mask = None
    else:
        idx, mask = source_index(pos, n, mode)
    out = x.index_select(dim, idx)
    if mask is not None:
        shape = [1] * x.dim()
        shape[dim] = length
        out = out * mask.view(shape).to(out.dtype)
    return out
