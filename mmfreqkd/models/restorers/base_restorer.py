"""The part every restoration model shares: an encoder-decoder on mmengine's ``BaseModel`` with
``loss``/``predict``/``tensor`` modes, the pixel loss to the clean target and 8-bit predictions
for the PSNR/SSIM metrics."""
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModel
from mmengine.structures import BaseDataElement

__all__ = ['BaseRestorer', 'ResidualOutput', 'stack_field', 'normalise', 'denormalise']


def stack_field(data_samples: List[BaseDataElement], field: str) -> torch.Tensor:
    """The (B, C, H, W) float batch of one (C, H, W) field of every data sample (e.g. the clean
    ``gt_img``); a sample without it is an error naming the field."""
    tensors = []
    for i, sample in enumerate(data_samples or []):
        value = sample.get(field) if hasattr(sample, 'get') else None
        if value is None:
            raise KeyError(f'data_samples[{i}] has no {field!r} (fields: '
                           f'{sorted(sample.keys()) if hasattr(sample, "keys") else "none"})')
        tensors.append(getattr(value, 'data', value))
    if not tensors:
        raise ValueError(f'no data samples to read {field!r} from')
    sizes = [tuple(t.shape) for t in tensors]
    if len(set(sizes)) > 1:
        raise ValueError(
            f'the {field!r} images of one batch have different sizes {sizes}: a restoration '
            f'batch needs one size. Crop the training pairs to one size with '
            f"dict(type='mmfreqkd.PairedRandomCrop', crop_size=...) in the pipeline, or use "
            f'batch_size=1 (validation and test batches of whole images).')
    return torch.stack(tensors).float()


def normalise(images: torch.Tensor, preprocessor: nn.Module) -> torch.Tensor:
    """[0, 255] images in the normalisation of a data preprocessor (mmengine's
    ``ImgDataPreprocessor`` and its subclasses: ``(x - mean) / std``; none: unchanged)."""
    if getattr(preprocessor, '_enable_normalize', False):
        return (images - preprocessor.mean) / preprocessor.std
    return images


def denormalise(x: torch.Tensor, preprocessor: nn.Module) -> torch.Tensor:
    """The inverse of :func:`normalise`: normalised images back to [0, 255]."""
    if getattr(preprocessor, '_enable_normalize', False):
        return x * preprocessor.std + preprocessor.mean
    return x


class ResidualOutput(nn.Conv2d):
    """The last step of a restorer as one module (so a recorder on it captures the restored
    image in every mode): a 3x3 convolution of the features plus the image (``residual``),
    cropped to ``size``. A ``Conv2d`` itself, so its weights keep the plain convolution's
    names."""

    def __init__(self, in_channels: int, out_channels: int, bias: bool = True,
                 residual: bool = True) -> None:
        super().__init__(in_channels, out_channels, 3, padding=1, bias=bias)
        self.residual = residual

    def forward(self, features: torch.Tensor, image: torch.Tensor,
                size: Sequence[int]) -> torch.Tensor:
        out = super().forward(features)
        return (out + image if self.residual else out)[..., :size[0], :size[1]]


class BaseRestorer(BaseModel):
    """An image-to-image model predicting the clean image of a degraded one.

    Subclasses build ``self.encoders`` / ``self.decoders`` and a :class:`ResidualOutput`,
    whose outputs distillation recorders address by name (e.g. ``'encoders.0'``; the
    output module's name gives the restored image), and implement :meth:`restore`.

    The data preprocessor (default: mmengine's ``ImgDataPreprocessor`` with mean 0, std 255,
    i.e. images in [0, 1]) normalises the inputs; the clean target ``gt_img`` of each data
    sample is normalised the same way for the loss, and predictions are mapped back to
    [0, 255] and rounded, as papers score saved 8-bit images.

    Args:
        loss_weight: the weight of the L1 image loss to the clean target.
        data_preprocessor: the data preprocessor config.
        init_cfg: mmengine's initialisation config.
    """

    def __init__(self, loss_weight: float = 1.0, data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        if data_preprocessor is None:
            data_preprocessor = dict(type='ImgDataPreprocessor', mean=[0.0] * 3,
                                     std=[255.0] * 3)
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.loss_weight = loss_weight

    def restore(self, x: torch.Tensor) -> torch.Tensor:
        """The restored image (B, C, H, W) of normalised inputs of any size."""
        raise NotImplementedError

    def forward(self, inputs: torch.Tensor,
                data_samples: Optional[List[BaseDataElement]] = None, mode: str = 'tensor'):
        if mode == 'tensor':
            return self.restore(inputs)
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        raise ValueError(f"{type(self).__name__}: mode must be 'tensor', 'loss' or 'predict', "
                         f'got {mode!r}')

    def loss(self, inputs: torch.Tensor,
             data_samples: List[BaseDataElement]) -> Dict[str, torch.Tensor]:
        """``loss_img``: L1 between the restored image and the normalised clean target."""
        target = normalise(stack_field(data_samples, 'gt_img').to(inputs.device),
                           self.data_preprocessor)
        restored = self.restore(inputs)
        if restored.shape != target.shape:
            raise ValueError(f'{type(self).__name__}: restored image {tuple(restored.shape)} '
                             f'and clean target {tuple(target.shape)} differ')
        return dict(loss_img=self.loss_weight * F.l1_loss(restored, target))

    def predict(self, inputs: torch.Tensor,
                data_samples: Optional[List[BaseDataElement]] = None
                ) -> List[BaseDataElement]:
        """Each data sample with ``pred_img`` (C, H, W) in [0, 255], rounded."""
        restored = denormalise(self.restore(inputs), self.data_preprocessor)
        restored = restored.clamp(0, 255).round()
        data_samples = data_samples or [BaseDataElement() for _ in range(len(inputs))]
        for sample, image in zip(data_samples, restored):
            sample.pred_img = image
        return data_samples

    @staticmethod
    def pad_to_multiple(x: torch.Tensor, multiple: int, mode: str = 'constant') -> torch.Tensor:
        """Pad bottom and right to a multiple of ``multiple`` (the encoder halves the size at
        each level) with zeros or by reflection (``mode='reflect'``, replicating where the
        image is too small to reflect); callers crop the output back."""
        h, w = x.shape[-2:]
        ph, pw = -h % multiple, -w % multiple
        if not (ph or pw):
            return x
        if mode == 'reflect' and (ph >= h or pw >= w):
            mode = 'replicate'
        return F.pad(x, (0, pw, 0, ph), mode=mode)
