"""Small, deterministic, procedurally generated data sets in stock OpenMMLab formats."""
from .embedded import DEFAULT_ROOT, EMBEDDED_SETS, DataFolderError, EmbeddedSet, prepare
from .generators import (DEGRADATIONS, DENSEDET_CLASSES, ROTDET_CLASSES, TEXCLS_CLASSES,
                         TEXSEG_CLASSES, TEXSEG_PALETTE)
from .paired_image_dataset import (LAYOUTS, LoadImagePair, PackImagePair, PairedImageDataset,
                                   PairedRandomCrop, PairedRandomFlip)
from .skip_unreadable import SkipUnreadable

__all__ = [
    'prepare', 'DataFolderError', 'EMBEDDED_SETS', 'EmbeddedSet', 'DEFAULT_ROOT', 'TEXSEG_CLASSES',
    'TEXSEG_PALETTE', 'DENSEDET_CLASSES', 'ROTDET_CLASSES', 'DEGRADATIONS', 'SkipUnreadable',
    'TEXCLS_CLASSES', 'PairedImageDataset', 'LoadImagePair', 'PackImagePair', 'LAYOUTS',
    'PairedRandomCrop', 'PairedRandomFlip'
]
