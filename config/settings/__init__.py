"""Settings come from the environment (12-factor); see `base.py` and the README."""

from config.settings.base import *  # noqa: F403
