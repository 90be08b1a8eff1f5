"""Registered components: algorithms, connectors, losses."""
from .algorithms import *  # noqa: F401,F403
from .builder import build_model, load_model_config  # noqa: F401
