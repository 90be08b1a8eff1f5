"""Haar dwt2 + idwt2: mmfreqkd.ops vs pytorch_wavelets vs ptwt vs a plain tensor copy.

Everything is measured side by side in one run on the same tensors: forward (decompose then
reconstruct) and forward + backward, the median of several timed repetitions after a warm-up,
and the peak memory above the input (CUDA: ``max_memory_allocated``; CPU: the peak resident set
of a child process that runs only that case, its high-water mark reset after start-up). The
copy baseline moves the same bytes as a round trip (two clones: the memory-bound floor).
Ratios are printed against pytorch_wavelets, ptwt and the copy.

Usage:
    .venv/bin/python -m pip install --isolated -c requirements/constraints.txt \
        -r requirements/benchmark.txt
    .venv/bin/python benchmarks/bench_ops.py [--device cpu cuda] [--repeat 5]
"""
import argparse
import importlib.util
import json
import os.path as osp
import statistics
import subprocess
import sys
import time

import pywt
import torch


def _import_ops():
    """mmfreqkd.ops; on a machine without the OpenMMLab stack (which ``import mmfreqkd``
    sets up), the pure-torch ops package alone."""
    try:
        import mmfreqkd.ops as ops
        return ops
    except ImportError:
        folder = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), 'mmfreqkd', 'ops')
        spec = importlib.util.spec_from_file_location(
            'mmfreqkd_ops', osp.join(folder, '__init__.py'), submodule_search_locations=[folder])
        ops = importlib.util.module_from_spec(spec)
        sys.modules['mmfreqkd_ops'] = ops
        spec.loader.exec_module(ops)
        return ops


_OPS = _import_ops()
dwt2, idwt2 = _OPS.dwt2, _OPS.idwt2

SHAPES = [(8, 256, 128, 128), (2, 256, 256, 512)]
IMPLS = ('mmfreqkd', 'pytorch_wavelets', 'ptwt', 'copy')


def round_trip(impl: str, device: str):
    """A function x -> reconstruction for ``impl`` (modules built once, outside the timing)."""
    if impl == 'mmfreqkd':
        return lambda x: idwt2(dwt2(x, 'haar', 'zero'), 'haar', 'zero')
    if impl == 'pytorch_wavelets':
        from pytorch_wavelets import DWTForward, DWTInverse
        fwd = DWTForward(J=1, wave='haar', mode='zero').to(device)
        inv = DWTInverse(wave='haar', mode='zero').to(device)
        return lambda x: inv(fwd(x))
    if impl == 'ptwt':
        import ptwt
        wavelet = pywt.Wavelet('haar')
        return lambda x: ptwt.waverec2(ptwt.wavedec2(x, wavelet, level=1, mode='zero'), wavelet)
    return lambda x: x.clone().clone()


def _sync(device):
    if device == 'cuda':
        torch.cuda.synchronize()


def time_case(impl, shape, device, backward, repeat):
    """(median seconds, peak bytes above the input) of one case."""
    torch.manual_seed(0)
    x = torch.randn(shape, device=device, requires_grad=backward)
    grad = torch.randn(shape, device=device) if backward else None
    fn = round_trip(impl, device)

    def step():
        out = fn(x)
        if backward:
            out.backward(grad)
            x.grad = None
        return out

    step()  # warm-up (and correctness: the reconstruction must equal the input)
    with torch.no_grad():
        err = (fn(x.detach()) - x.detach()).abs().max().item()
    if err > 5e-3:  # convolution-based baselines run in TF32 on recent GPUs by default
        raise RuntimeError(f'{impl} does not reconstruct its input (max error {err})')
    if device == 'cuda':
        torch.cuda.reset_peak_memory_stats()
        base = torch.cuda.memory_allocated()
    times = []
    for _ in range(repeat):
        _sync(device)
        start = time.perf_counter()
        step()
        _sync(device)
        times.append(time.perf_counter() - start)
    peak = torch.cuda.max_memory_allocated() - base if device == 'cuda' else None
    return statistics.median(times), peak


def cpu_peak_rss(impl, shape, backward):
    """Peak resident memory (bytes) of a child process running one step, above its input."""
    out = subprocess.run([sys.executable, __file__, '--child', impl, json.dumps(shape),
                          str(int(backward))], capture_output=True, text=True, check=True)
    return int(out.stdout.strip().splitlines()[-1])


def _status_kib(field):
    with open('/proc/self/status') as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ':'))


def child(impl, shape, backward):
    x = torch.randn(shape, requires_grad=backward)
    grad = torch.randn(shape) if backward else None
    fn = round_trip(impl, 'cpu')
    with open('/proc/self/clear_refs', 'w') as f:
        f.write('5')  # reset the peak resident size (VmHWM) to the current one
    base = _status_kib('VmRSS')
    out = fn(x)
    if backward:
        out.backward(grad)
    print((_status_kib('VmHWM') - base) * 1024)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--device', nargs='+', default=['cpu', 'cuda'])
    parser.add_argument('--repeat', type=int, default=5)
    parser.add_argument('--child', nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        impl, shape, backward = args.child
        return child(impl, tuple(json.loads(shape)), bool(int(backward)))

    print(f'torch {torch.__version__}, {torch.get_num_threads()} CPU threads')
    rows = []
    for device in args.device:
        if device == 'cuda' and not torch.cuda.is_available():
            print('no CUDA device: skipping cuda')
            continue
        if device == 'cuda':
            print(f'GPU: {torch.cuda.get_device_name()}')
        for shape in SHAPES:
            for backward in (False, True):
                res = {}
                for impl in IMPLS:
                    seconds, peak = time_case(impl, shape, device, backward, args.repeat)
                    if device == 'cpu':
                        peak = cpu_peak_rss(impl, shape, backward)
                    res[impl] = (seconds, peak)
                rows.append((device, shape, backward, res))
    header = (f'{"device":6s} {"shape":20s} {"pass":8s} ' + ' '.join(
        f'{i + " ms":>18s}' for i in IMPLS) + f' {"vs pytorch_wav":>15s} {"vs ptwt":>8s} '
        f'{"vs copy":>8s} {"peak MiB (ours/ptw/ptwt/copy)":>32s}')
    print(header)
    for device, shape, backward, res in rows:
        ours = res['mmfreqkd'][0]
        print(f'{device:6s} {str(shape):20s} {"fwd+bwd" if backward else "fwd":8s} ' +
              ' '.join(f'{res[i][0] * 1e3:18.1f}' for i in IMPLS) +
              f' {res["pytorch_wavelets"][0] / ours:14.2f}x {res["ptwt"][0] / ours:7.2f}x'
              f' {ours / res["copy"][0]:7.2f}x '
              f'{"/".join(f"{res[i][1] / 2**20:.0f}" for i in IMPLS):>32s}')
    print('vs pytorch_wavelets, vs ptwt: their time / ours (> 1: ours faster); '
          'vs copy: our time / copy time (memory-bound floor = 1)')


if __name__ == '__main__':
    main()
