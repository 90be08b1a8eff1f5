"""Memory-bound CUDA kernels for the Haar butterflies of :mod:`mmfreqkd.ops.wavelets`.

On GPUs the eager butterflies are a dozen kernel passes (about 6x a tensor copy on an H100);
these Triton kernels read each 2x2 block once, as two contiguous row pairs, and write the four
bands (or the four pixels) once: about 1.0-1.2x a copy. They compute exactly what
``wavelets._haar_analysis`` / ``_haar_synthesis`` compute and are used only for CUDA tensors
when Triton is installed (it comes with torch's CUDA builds).
"""
try:
    import triton
    import triton.language as tl
except ImportError:  # CPU-only installs: the eager butterflies serve
    triton = None

__all__ = ['available', 'haar_analysis', 'haar_synthesis']


def available() -> bool:
    """Whether the kernels can run (Triton importable)."""
    return triton is not None


if triton is not None:

    @triton.jit
    def _haar_analysis_kernel(x_ptr, a_ptr, h_ptr, v_ptr, d_ptr, H2, W2, BLOCK: tl.constexpr):
        row = tl.program_id(0)
        n = row // H2
        i = row % H2
        j = tl.program_id(1) * BLOCK + tl.arange(0, BLOCK)
        mask = j < W2
        W = 2 * W2
        base = x_ptr + (n * 2 * H2 + 2 * i).to(tl.int64) * W
        cols = 2 * j[:, None] + tl.arange(0, 2)[None, :]
        m2 = mask[:, None] & (cols < W)
        a, b = tl.split(tl.load(base + cols, mask=m2))
        c, d = tl.split(tl.load(base + W + cols, mask=m2))
        top = (a + b) * 0.5
        bottom = (c + d) * 0.5
        left = (a - b) * 0.5
        right = (c - d) * 0.5
        off = row.to(tl.int64) * W2 + j
        tl.store(a_ptr + off, top + bottom, mask=mask)
        tl.store(h_ptr + off, top - bottom, mask=mask)
        tl.store(v_ptr + off, left + right, mask=mask)
        tl.store(d_ptr + off, left - right, mask=mask)

    @triton.jit
    def _haar_synthesis_kernel(a_ptr, h_ptr, v_ptr, d_ptr, out_ptr, H2, W2, s_n, s_h,
                               BLOCK: tl.constexpr):
        row = tl.program_id(0)
        n = row // H2
        i = row % H2
        j = tl.program_id(1) * BLOCK + tl.arange(0, BLOCK)
        mask = j < W2
        off = n.to(tl.int64) * s_n + i * s_h + j
        ca = tl.load(a_ptr + off, mask=mask)
        ch = tl.load(h_ptr + off, mask=mask)
        cv = tl.load(v_ptr + off, mask=mask)
        cd = tl.load(d_ptr + off, mask=mask)
        top = (ca + ch) * 0.5
        bottom = (cv + cd) * 0.5
        low = (ca - ch) * 0.5
        high = (cv - cd) * 0.5
        W = 2 * W2
        base = out_ptr + (n * 2 * H2 + 2 * i).to(tl.int64) * W
        cols = 2 * j[:, None] + tl.arange(0, 2)[None, :]
        m2 = mask[:, None] & (cols < W)
        tl.store(base + cols, tl.join(top + bottom, top - bottom), mask=m2)
        tl.store(base + W + cols, tl.join(low + high, low - high), mask=m2)

    def _block(w2):
        """Columns per program: the row length rounded up to a power of two, 16 to 1024."""
        return min(1024, triton.next_power_of_2(max(w2, 16)))

    def haar_analysis(x):
        """Contiguous (N, 2h, 2w) CUDA tensor -> four (N, h, w) bands cA, cH, cV, cD."""
        n, hh, ww = x.shape
        outs = tuple(x.new_empty(n, hh // 2, ww // 2) for _ in range(4))
        blk = _block(ww // 2)
        _haar_analysis_kernel[(n * (hh // 2), triton.cdiv(ww // 2, blk))](
            x, *outs, hh // 2, ww // 2, BLOCK=blk)
        return outs

    def haar_synthesis(ca, ch, cv, cd):
        """Four (N, h, w) CUDA bands (row-major strides) -> (N, 2h, 2w)."""
        n, h, w = ca.shape
        if not all(t.stride() == ca.stride() and t.stride(-1) == 1 for t in (ch, cv, cd)) or \
                ca.stride(-1) != 1:
            ca, ch, cv, cd = (t.contiguous() for t in (ca, ch, cv, cd))
        out = ca.new_empty(n, 2 * h, 2 * w)
        blk = _block(w)
        _haar_synthesis_kernel[(n * h, triton.cdiv(w, blk))](
            ca, ch, cv, cd, out, h, w, ca.stride(0), ca.stride(1), BLOCK=blk)
        return out
