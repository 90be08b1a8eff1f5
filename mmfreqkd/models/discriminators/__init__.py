"""Discriminators for adversarial distillation."""
from .self_attention_discriminator import SelfAttentionDiscriminator

__all__ = ['SelfAttentionDiscriminator']
