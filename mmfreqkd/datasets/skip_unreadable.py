"""A pipeline step that skips training samples whose files cannot be read, instead of ending
the run, and says which and how many."""
import logging
from typing import List, Optional

from mmcv.transforms import BaseTransform, Compose
from mmengine.logging import print_log

from ..registry import TRANSFORMS

__all__ = ['SkipUnreadable']


@TRANSFORMS.register_module()
class SkipUnreadable(BaseTransform):
    """Run ``transforms`` (the loading steps of a stock pipeline); when one fails on a sample
    (an undecodable image, a missing annotation file), skip the sample with a warning naming
    its files and counting the skips so far.

    A skipped sample makes the pipeline return ``None``, on which mmengine's ``BaseDataset``
    draws another sample for training (its ``max_refetch``); test and validation datasets
    refuse ``None``, so use it in training pipelines only. Without it, such a sample stops the
    run with an error naming the dataset and the file (mmfreqkd's data-error naming). An image
    above the pixel limit (:mod:`mmfreqkd.datasets.image_size`) counts as unreadable: it is
    refused from its header, before any transform decodes it.

    Args:
        transforms: the transforms to guard, e.g. ``[dict(type='LoadImageFromFile'),
            dict(type='LoadAnnotations')]``.
        max_skipped: how many samples one process may skip before the error is raised after
            all ([our default] 100), so a broken data set does not train on silently.

    Examples:
        >>> train_pipeline = [
        ...     dict(type='mmfreqkd.SkipUnreadable', transforms=[
        ...         dict(type='LoadImageFromFile'), dict(type='LoadAnnotations')]),
        ...     dict(type='PackSegInputs')]
    """

    def __init__(self, transforms: List[dict], max_skipped: int = 100) -> None:
        self.transforms = Compose(transforms)
        self.max_skipped = max_skipped
        self.skipped = 0

    def transform(self, results: dict) -> Optional[dict]:
        try:
            return self.transforms(results)
        except Exception as err:  # any loader's failure: the file is what matters
            return self.skip(results, err)

    def skip(self, results: dict, err: Exception) -> None:
        """Count and log the sample of ``results`` as skipped for ``err`` (raise once more
        than ``max_skipped`` were); returns None, the pipeline's "no sample"."""
        self.skipped += 1
        files = ', '.join(f'{k}={v!r}' for k, v in results.items()
                          if isinstance(v, str) and k.endswith(('path', 'file_name')))
        if self.skipped > self.max_skipped:
            raise RuntimeError(f'SkipUnreadable: more than max_skipped={self.max_skipped} '
                               f'unreadable samples; the last: {files}: {err}') from err
        print_log(f'SkipUnreadable: skipped the sample {files} ({type(err).__name__}: '
                  f'{str(err).strip()[:200]}); {self.skipped} skipped so far in this '
                  f'process', logger='current', level=logging.WARNING)
        return None

    def __repr__(self) -> str:
        return f'{type(self).__name__}(transforms={self.transforms}, max_skipped=' \
               f'{self.max_skipped})'
