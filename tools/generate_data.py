"""Generate the embedded default data sets (idempotent; see mmfreqkd/datasets/embedded.py).

Usage:
    python tools/generate_data.py                 # every set, where the tools look for them
    python tools/generate_data.py texseg densedet --root /data/mmfreqkd --seed 5 --replace

The tools look in $MMFREQKD_DATA, else in the checkout's data/mmfreqkd (mmfreqkd/paths.py), and
generate a missing set themselves. A folder that is not a set generated here is never touched;
a set generated with other options is replaced only with --replace, which moves it aside to
<set>.replaced-<time>.
"""
import argparse
import time

from mmfreqkd.datasets import EMBEDDED_SETS, prepare
from mmfreqkd.paths import embedded_data_root


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('sets', nargs='*', help=f'sets to generate, of {sorted(EMBEDDED_SETS)} '
                        '(default: all)')
    parser.add_argument('--root', default=embedded_data_root(),
                        help='parent folder of the sets (default: %(default)s)')
    parser.add_argument('--replace', action='store_true',
                        help='regenerate existing sets, moving each aside to '
                        '<set>.replaced-<time> (never deleted)')
    parser.add_argument('--seed', type=int, help='override the default seed')
    args = parser.parse_args()
    unknown = sorted(set(args.sets) - set(EMBEDDED_SETS))
    if unknown:
        parser.error(f'unknown sets {unknown}; choose from {sorted(EMBEDDED_SETS)}')
    args.sets = args.sets or sorted(EMBEDDED_SETS)
    return args


def main():
    args = parse_args()
    for name in args.sets:
        start = time.perf_counter()
        folder = prepare(name, args.root, replace=args.replace, seed=args.seed)
        print(f'{name:9s} {EMBEDDED_SETS[name].description:55s} -> {folder} '
              f'({time.perf_counter() - start:.1f}s)')


if __name__ == '__main__':
    main()
