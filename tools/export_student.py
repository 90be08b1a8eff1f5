"""Export a distilled student as a plain checkpoint + config that stock codebases load.

Usage:
    python tools/export_student.py CONFIG CHECKPOINT OUT.pth [--trust-checkpoint]

Writes OUT.pth (student weights + dataset_meta; loads with torch.load(weights_only=True)) and
OUT.py (the student's own mmseg/mmdet/mmrotate config, without mmfreqkd). Then, with no plugin:
    from mmseg.apis import init_model;  init_model('OUT.py', 'OUT.pth')
"""
import argparse

from mmfreqkd.export import export_student


def main(argv=None):
    parser = argparse.ArgumentParser(description='Export the student of a distillation run')
    parser.add_argument('config', help='the training config')
    parser.add_argument('checkpoint', help='a checkpoint of that training')
    parser.add_argument('out', help='output .pth; the config is written next to it as .py')
    parser.add_argument('--trust-checkpoint', action='store_true', default=None,
                        help='unpickle CHECKPOINT fully; by default only checkpoints in the '
                        "config's work_dir are trusted")
    args = parser.parse_args(argv)
    ckpt, cfg = export_student(args.config, args.checkpoint, args.out,
                               trust=args.trust_checkpoint)
    print(f'student weights: {ckpt}\nstudent config:  {cfg}')


if __name__ == '__main__':
    main()
