"""Refusing images too large to decode, from their header, before decoding.

A 15000 x 15000 PNG can be a few hundred kilobytes on disk and 675 MB decoded (2.7 GB as
float32 later in the pipeline); a data set holding one by mistake ends a run with an
allocation error that names nothing. Every sample's image files are checked against a pixel
limit before its pipeline runs (the data-error naming of :mod:`mmfreqkd.compat`): above it, the
sample is an error naming the file, its size and the limit, or, under
:class:`~mmfreqkd.datasets.SkipUnreadable`, an unreadable sample that is skipped.

The limit is ``$MMFREQKD_MAX_IMAGE_PIXELS`` ([our default] 1e8 pixels: a 10000 x 10000 image,
which leaves room for remote-sensing tiles).
"""
import os
import os.path as osp
import re
import warnings
from typing import Mapping, Optional

from PIL import Image

__all__ = ['MAX_PIXELS_ENV', 'DEFAULT_MAX_PIXELS', 'ImageTooLargeError', 'max_image_pixels',
           'image_pixels', 'check_image_sizes']

#: The environment variable that sets the limit.
MAX_PIXELS_ENV = 'MMFREQKD_MAX_IMAGE_PIXELS'
#: The limit without it.
DEFAULT_MAX_PIXELS = 10**8


class ImageTooLargeError(ValueError):
    """An image has more pixels than the limit."""


def max_image_pixels() -> int:
    """The limit in force (:data:`MAX_PIXELS_ENV`, else :data:`DEFAULT_MAX_PIXELS`)."""
    value = os.environ.get(MAX_PIXELS_ENV)
    if not value:
        return DEFAULT_MAX_PIXELS
    try:
        return int(float(value))
    except ValueError:
        raise ValueError(f'${MAX_PIXELS_ENV}={value!r} is not a number of pixels') from None


def image_pixels(path: str) -> Optional[int]:
    """The pixel count of the image file ``path`` from its header (nothing is decoded), or
    None when Pillow does not read it as an image (an annotation file, a format it lacks)."""
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', Image.DecompressionBombWarning)
        try:
            with Image.open(path) as image:
                return image.size[0] * image.size[1]
        except Image.DecompressionBombError as err:  # above twice Pillow's own limit
            found = re.search(r'\((\d+) pixels\)', str(err))
            return int(found.group(1)) if found else 2 * Image.MAX_IMAGE_PIXELS + 1
        except (OSError, ValueError, SyntaxError):
            return None


def check_image_sizes(info: Mapping, max_pixels: Optional[int] = None) -> None:
    """Refuse a sample (its data info) whose image files exceed ``max_pixels``.

    Every string value under a key ending in ``path`` that names a file is checked.

    Raises:
        ImageTooLargeError: naming the key, the file, its pixel count and the limit.
    """
    limit = max_image_pixels() if max_pixels is None else max_pixels
    for key, value in info.items():
        if not (isinstance(value, str) and key.endswith('path') and osp.isfile(value)):
            continue
        pixels = image_pixels(value)
        if pixels is not None and pixels > limit:
            raise ImageTooLargeError(
                f'{key}={value!r}: {pixels:.3g} pixels, above the limit of {limit:.3g} pixels; '
                f'it was not decoded. Raise ${MAX_PIXELS_ENV} if the image is meant to be this '
                f'large, or tile it.')
