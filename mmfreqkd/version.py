"""Version of mmfreqkd."""
__version__ = '0.1.0'
