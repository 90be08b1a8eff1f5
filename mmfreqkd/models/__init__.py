"""Registered components: algorithms, distillers, connectors, losses, discriminators, necks,
restoration models; the image-quality extractors the losses use, and helpers that assigners
build."""
from .algorithms import *  # noqa: F401,F403
from .builder import build_model, load_model_config  # noqa: F401
from .connectors import *  # noqa: F401,F403
from .discriminators import *  # noqa: F401,F403
from .distillers import *  # noqa: F401,F403
from .extractors import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .necks import *  # noqa: F401,F403
from .restorers import *  # noqa: F401,F403
from .task_modules import *  # noqa: F401,F403
