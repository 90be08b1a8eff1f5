"""Export a distilled student as a plain checkpoint + config that stock codebases load.

Usage:
    python tools/export_student.py CONFIG CHECKPOINT OUT.pth [--trust-checkpoint] [--weights-only]

Writes OUT.pth (student weights + dataset_meta; loads with torch.load(weights_only=True)) and
OUT.py (the student's own mmseg/mmdet/mmrotate config, without mmfreqkd). Then, with no plugin:
    from mmseg.apis import init_model;  init_model('OUT.py', 'OUT.pth')
"""
import argparse

from mmfreqkd.export import export_student, export_weights


def main(argv=None):
    parser = argparse.ArgumentParser(description='Export the student of a distillation run')
    parser.add_argument('config', help='the training config')
    parser.add_argument('checkpoint', help='a checkpoint of that training')
    parser.add_argument('out', help='output .pth; the config is written next to it as .py')
    parser.add_argument('--trust-checkpoint', action='store_true', default=None,
                        help='unpickle CHECKPOINT fully; by default only checkpoints in the '
                        "config's work_dir are trusted")
    parser.add_argument('--weights-only', action='store_true',
                        help='write the weights only, no stock config (e.g. for a model that '
                        "only mmfreqkd builds, such as its restorers)")
    args = parser.parse_args(argv)
    if args.weights_only:
        weights = export_weights(args.checkpoint, args.out, bool(args.trust_checkpoint))
        print(f'student weights: {weights}')
        return
    ckpt, cfg = export_student(args.config, args.checkpoint, args.out,
                               trust=args.trust_checkpoint)
    print(f'student weights: {ckpt}\nstudent config:  {cfg}')


if __name__ == '__main__':
    main()
