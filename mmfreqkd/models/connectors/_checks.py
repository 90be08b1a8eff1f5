"""Input checks shared by the connectors: errors that name the connector and the shape."""
import torch


def check_feature_map(name: str, feature: torch.Tensor, channels: int = None) -> None:
    """Raise a ValueError unless ``feature`` is (B, C, H, W) with ``channels`` channels."""
    if not torch.is_tensor(feature) or feature.dim() != 4:
        shape = tuple(feature.shape) if torch.is_tensor(feature) else type(feature).__name__
        raise ValueError(f'{name} expects a (B, C, H, W) feature map, got {shape}')
    if channels is not None and feature.shape[1] != channels:
        raise ValueError(
            f'{name} was built for {channels} input channels but got a feature of shape '
            f'{tuple(feature.shape)}: set its in_channels, or align the channels first '
            "(e.g. a 'ConvModuleConnector' before it in the connector chain)")
